// The network: the U-Net of @tensorloom/models with batch norm, sized by two flags.
import type { Rng } from '@tensorloom/core';
import { UNet } from '@tensorloom/models';

/** What a run folder records to rebuild its network. */
export interface SegmentationSpec {
  /** Pools of the encoder (the bottleneck sees the canvas at 1 / 2^depth). */
  depth: number;
  /** Channels of the first level; level i has baseFilters · 2^(i−1). */
  baseFilters: number;
  /** Mask classes: background and the ten digits. */
  classes: number;
  /** One canvas, `[h, w, c]`. */
  inputShape: [number, number, number];
}

/**
 * The U-Net (Ronneberger et al. 2015) of `spec` with fresh weights from `rng`: 'same' padding
 * so the mask is as large as the canvas, batch norm after every 3×3 convolution (it lets a
 * small network train at a high rate), transposed-convolution up-sampling, a 1×1 head of
 * per-pixel logits. Depth 3 and 16 filters: 482,619 parameters.
 */
export function buildUNet(spec: SegmentationSpec, rng: Rng): UNet {
  const unet = new UNet({ depth: spec.depth, baseFilters: spec.baseFilters, classes: spec.classes, batchNorm: true, upsampling: 'transpose' });
  return unet.build([null, ...spec.inputShape], rng);
}
