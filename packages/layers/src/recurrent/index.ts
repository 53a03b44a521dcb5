// Public exports of the recurrent layers; re-exported by ../index.ts.
export {};
