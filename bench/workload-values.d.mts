/** Types of workload-values.mjs, for the benches written in TypeScript. */
export declare const small: (x: number, y: number) => { x: number; sum: number; list: number[] };
export declare const bigArgument: () => Record<string, Record<string, number>>;
