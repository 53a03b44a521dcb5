/**
 * Registers tfjs's WebAssembly backend with the training kernels it lacks.
 *
 * @packageDocumentation
 */
export {};
