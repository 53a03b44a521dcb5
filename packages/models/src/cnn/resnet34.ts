import { ResNet } from './resnet.js';
import type { ResNetConfig } from './resnet.js';

/**
 * ResNet-34 (He et al. 2016, https://arxiv.org/abs/1512.03385): {@link ResNet} with
 * `block: 'basic'`, `layers: [3, 4, 6, 3]`, torchvision's structure. 21,797,672 trainable parameters with
 * the default 1000 classes (the published torchvision figure, checked by a shape-only build).
 *
 * @param config - everything but `block` and `layers`: `width`, `classes`, `includeTop`, `pooling`, `name`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const backbone = resnet34({ includeTop: false, pooling: 'avg' });
 * backbone.parameterShapes([null, 224, 224, 3]); // no tensors allocated
 * ```
 */
export function resnet34(config: Omit<ResNetConfig, 'block' | 'layers'> = {}): ResNet {
  return new ResNet({ name: 'resnet34', ...config, block: 'basic', layers: [3, 4, 6, 3] });
}
