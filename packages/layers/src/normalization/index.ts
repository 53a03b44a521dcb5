// Public exports of the normalization layers; re-exported by ../index.ts.
export {};
