/**
 * Node-only helpers of @tensorloom/interop.
 *
 * @packageDocumentation
 */
export {};
