/** Types of workload-values.mjs, for the benches written in TypeScript. */
export declare const small: (x: number, y: number) => { x: number; sum: number; list: number[] };
export declare const bigArgument: () => Record<string, Record<string, number>>;
export declare function objectsOf(value: unknown, found?: object[]): object[];
export declare function keyRuleFloor(value: unknown, bytes: Uint8Array): () => unknown;
