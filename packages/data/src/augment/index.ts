/**
 * Data augmentation: pure functions of an input and an {@link @tensorloom/core!Rng}.
 *
 * @module
 */
export {};
