import { ResNet } from './resnet.js';
import type { ResNetConfig } from './resnet.js';

/**
 * ResNet-50 (He et al. 2016, https://arxiv.org/abs/1512.03385): {@link ResNet} with
 * `block: 'bottleneck'`, `layers: [3, 4, 6, 3]`, torchvision's structure. 25,557,032 trainable parameters with
 * the default 1000 classes (the published torchvision figure, checked by a shape-only build).
 *
 * @param config - everything but `block` and `layers`: `width`, `classes`, `includeTop`, `pooling`, `name`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const backbone = resnet50({ includeTop: false, pooling: 'avg' });
 * backbone.parameterShapes([null, 224, 224, 3]); // no tensors allocated
 * ```
 */
export function resnet50(config: Omit<ResNetConfig, 'block' | 'layers'> = {}): ResNet {
  return new ResNet({ name: 'resnet50', ...config, block: 'bottleneck', layers: [3, 4, 6, 3] });
}
