/**
 * The Module base class, every layer, initializers and activations.
 *
 * @packageDocumentation
 */
export {};
