/**
 * Registers @tensorflow/tfjs-node-gpu as the 'node-gpu' backend when it is installed.
 *
 * @packageDocumentation
 */
export {};
