/**
 * Losses, optimizers, schedules, regularization, the fit loop, callbacks, checkpoints and reports.
 *
 * @packageDocumentation
 */
export {};
