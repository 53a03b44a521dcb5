// Public exports of the attention layers; re-exported by ../index.ts.
export {};
