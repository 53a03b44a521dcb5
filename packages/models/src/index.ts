/**
 * The architecture zoo: feed-forward, CNNs, ResNet, U-Net, recurrent, transformers, GANs, autoencoders; decoding and transfer learning.
 *
 * @packageDocumentation
 */
// Transfer learning and CNNs (issue 10, part A).
export { BackboneModel, resolveBackbone } from './transfer/backbone-model.js';
export type { BackboneConfig, BackboneParts, Pooling, ResolvedBackbone } from './transfer/backbone-model.js';
export { LeNet5, lenet5Relu } from './cnn/lenet5.js';
export type { LeNet5Config } from './cnn/lenet5.js';
export { ResNet } from './cnn/resnet.js';
export type { ResNetConfig } from './cnn/resnet.js';
export { resnet18 } from './cnn/resnet18.js';
export { resnet34 } from './cnn/resnet34.js';
export { resnet50 } from './cnn/resnet50.js';
export { CifarResNet, resnet20, resnet32, resnet56 } from './cnn/cifar-resnet.js';
export type { CifarResNetConfig } from './cnn/cifar-resnet.js';
