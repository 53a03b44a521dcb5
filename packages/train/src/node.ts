/**
 * Node-only helpers of @tensorloom/train.
 *
 * @packageDocumentation
 */
export {};
