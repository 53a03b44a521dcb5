// Public exports of the conv layers; re-exported by ../index.ts.
export {};
