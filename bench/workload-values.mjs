// The functions and arguments of W1–W4 (shared/notes/peers.md), shared by workloads.mjs and store-calls.mjs.

/** W1 and W2: a small result. */
export const small = (x, y) => ({ x, sum: x + y, list: Array(10).fill(x) });

/** W4: a nested 100 × 100 object argument. */
export const bigArgument = () => {
  const groups = {};
  for (let g = 0; g < 100; g++) {
    const leaves = {};
    for (let l = 0; l < 100; l++) leaves[`leaf${l}`] = g * 100 + l + 0.5;
    groups[`group${g}`] = leaves;
  }
  return groups;
};
