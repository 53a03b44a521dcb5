// The table of Conv2D configurations shared by the Conv2DBackpropFilter and
// Conv2DBackpropInput tests.

/** Padding as the kernels take it. */
export type Pad = 'same' | 'valid' | number;

/** One Conv2D: x `[batch, ...size, inChannels]`, filter `[...kernel, inChannels, outChannels]`. */
export interface Conv2DCase {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: number;
  pad: Pad;
}

/**
 * Strides 1–2 × 'same'/'valid'/explicit 1 × batch 1/3 × channels 1/3 (1 → 1 or 3 → 4), on a
 * 7×6 input, which strides do not divide (so the last input rows get no output), with a 3×2
 * filter; then a LeNet-sized 12×12, 6 → 16, 5×5 'valid' case. (The kernels have no dilation
 * attribute: tfjs-core's Conv2D gradient refuses dilation > 1 on every backend.)
 */
export function conv2DCases(): Conv2DCase[] {
  const cases: Conv2DCase[] = [];
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid', 1] as Pad[]) {
      for (const batch of [1, 3]) {
        for (const channels of [1, 3]) {
          cases.push({ batch, size: [7, 6], inChannels: channels, outChannels: channels === 1 ? 1 : 4, kernel: [3, 2], stride, pad });
        }
      }
    }
  }
  cases.push({ batch: 2, size: [12, 12], inChannels: 6, outChannels: 16, kernel: [5, 5], stride: 1, pad: 'valid' });
  return cases;
}

/** A case as test names print it. */
export function conv2DCaseName(c: Conv2DCase): string {
  return `x [${c.batch}, ${c.size}, ${c.inChannels}], filter [${c.kernel}, ${c.inChannels}, ${c.outChannels}], stride ${c.stride}, pad ${c.pad}`;
}
