/**
 * A tfjs backend for Node that runs heavy kernels on a native multi-threaded CPU runtime.
 *
 * @packageDocumentation
 */
export {};
