// Types for the generated module `tfjs-registrations.js` (see tools/generate-tfjs-registrations.mjs).
// It has no exports: importing it registers tfjs-core's gradients and chained tensor methods.
export {};
