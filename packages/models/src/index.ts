/**
 * The architecture zoo: feed-forward, CNNs, ResNet, U-Net, recurrent, transformers, GANs, autoencoders; decoding and transfer learning.
 *
 * @packageDocumentation
 */
export {};
