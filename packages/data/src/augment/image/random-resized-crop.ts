import { checkInterval, checkSize } from '../internal/config.js';
import { applyToSample, resolveRng } from '../internal/sample.js';
import { warpSample } from '../internal/warp.js';
import type { Projective } from '../internal/warp.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomResizedCrop}.
 *
 * @example
 * ```ts
 * const crop = augment.randomResizedCrop({ height: 24, width: 24, scale: [0.5, 1] });
 * const out = crop(image, rng(2)); // [24, 24, c]
 * ```
 */
export interface RandomResizedCropConfig {
  /** Output height in pixels. */
  height: number;
  /** Output width in pixels. */
  width: number;
  /** Range of the crop's area as a fraction of the image's. Default `[0.08, 1]`. */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio (width / height), drawn log-uniformly. Default `[3/4, 4/3]`. */
  ratio?: readonly [number, number];
}

/**
 * Crops a random region of random area and aspect ratio and resizes it to `height × width`
 * (the "Inception" crop of Szegedy et al. 2015, https://arxiv.org/abs/1409.4842, as in
 * torchvision's `RandomResizedCrop`).
 *
 * The region is drawn as in torchvision: up to 10 tries of an area in `scale` and a
 * log-uniform ratio in `ratio` that fit the image; if none fits, the central crop with the
 * ratio clamped to `ratio`. The image is resampled bilinearly and the mask by nearest
 * neighbour from one `tf.image.transform` map with half-pixel centres (the convention of
 * `tf.image.resize` / torchvision), edges clamped. In a batch each image draws its own region.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32. Output: `[height, width, c]` or
 * `[batch, height, width, c]`.
 *
 * @param config - output size and the region's area and ratio ranges.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad size, `scale` outside (0, 1] or a bad `ratio`.
 * @example
 * ```ts
 * const crop = augment.randomResizedCrop({ height: 24, width: 24, scale: [0.5, 1] });
 * const out = crop(image, rng(2)); // [24, 24, c]
 * ```
 */
export function randomResizedCrop(config: RandomResizedCropConfig): Transform {
  const unit = 'randomResizedCrop';
  const [oh, ow] = checkSize(unit, config.height, config.width);
  const [smin, smax] = checkInterval(unit, 'scale', config.scale ?? [0.08, 1], { lowest: 0, open: true, highest: 1 });
  const [rmin, rmax] = checkInterval(unit, 'ratio', config.ratio ?? [3 / 4, 4 / 3], { lowest: 0, open: true });
  const logRatio: [number, number] = [Math.log(rmin), Math.log(rmax)];
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, masks, n, height, width }) => {
      const maps: Projective[] = [];
      for (let i = 0; i < n; i++) {
        const [top, left, h, w] = region(height, width);
        // Output pixel x samples the input at left + (x + 0.5)·w/ow − 0.5 (half-pixel centres).
        const sx = w / ow;
        const sy = h / oh;
        maps.push([sx, 0, left + 0.5 * sx - 0.5, 0, sy, top + 0.5 * sy - 0.5, 0, 0]);
      }
      return warpSample(images, masks, maps, {
        fillMode: 'nearest',
        fillValue: 0,
        maskFillValue: 0,
        outputShape: [oh, ow],
      });
    });

    /** [top, left, h, w] in whole pixels, torchvision's RandomResizedCrop.get_params. */
    function region(height: number, width: number): [number, number, number, number] {
      const area = height * width;
      for (let attempt = 0; attempt < 10; attempt++) {
        const target = area * r.range(smin, smax);
        const aspect = Math.exp(r.range(logRatio[0], logRatio[1]));
        const w = Math.round(Math.sqrt(target * aspect));
        const h = Math.round(Math.sqrt(target / aspect));
        if (w > 0 && w <= width && h > 0 && h <= height) {
          return [r.int(height - h + 1), r.int(width - w + 1), h, w];
        }
      }
      const inRatio = width / height;
      let w = width;
      let h = height;
      if (inRatio < rmin) h = Math.max(1, Math.round(w / rmin));
      else if (inRatio > rmax) w = Math.max(1, Math.round(h * rmax));
      return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
    }
  };
}
