/**
 * Turns the drawing pad into a 28×28 MNIST-like digit: the ink's bounding box scaled to fit
 * 20×20 (aspect kept) and centred by its centre of mass in the 28×28 frame, as the MNIST
 * digits were prepared.
 */
export function padToDigit(pad: HTMLCanvasElement): Float32Array | null {
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  const { width, height } = pad;
  const ink = ctx.getImageData(0, 0, width, height).data;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[(y * width + x) * 4]! > 20) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const scale = 20 / Math.max(w, h);
  const small = document.createElement('canvas');
  small.width = 28;
  small.height = 28;
  const sctx = small.getContext('2d', { willReadFrequently: true })!;
  sctx.fillStyle = '#000';
  sctx.fillRect(0, 0, 28, 28);
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  const dw = w * scale, dh = h * scale;
  sctx.drawImage(pad, x0, y0, w, h, (28 - dw) / 2, (28 - dh) / 2, dw, dh);
  const px = sctx.getImageData(0, 0, 28, 28).data;
  const digit = new Float32Array(784);
  let mass = 0, mx = 0, my = 0;
  for (let i = 0; i < 784; i++) {
    const v = px[i * 4]! / 255;
    digit[i] = v;
    mass += v;
    mx += v * (i % 28);
    my += v * Math.floor(i / 28);
  }
  // Shift so the centre of mass lands on (13.5, 13.5).
  const sx = Math.round(13.5 - mx / mass), sy = Math.round(13.5 - my / mass);
  const shifted = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const fx = x - sx, fy = y - sy;
      if (fx >= 0 && fx < 28 && fy >= 0 && fy < 28) shifted[y * 28 + x] = digit[fy * 28 + fx]!;
    }
  }
  return shifted;
}
