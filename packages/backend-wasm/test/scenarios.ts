// Training steps of the layers Tensorloom has or plans, written with the tfjs ops those
// layers use, small enough to run in milliseconds. Each is a scalar loss of named inputs,
// differentiated with respect to some of them: running one records every kernel that the
// forward pass, its gradient and the optimizer arithmetic call.
import { type Rng, tf } from '@tensorloom/core';

/** How to fill an input: normal floats, integer ids in [0, max), or a 0/1 mask. */
export type InputKind = { shape: number[]; ids?: number; mask?: number };

/** One training computation. */
export interface Scenario {
  /** What it stands for (a layer, a loss, an optimizer). */
  name: string;
  /** Its inputs; all floats unless `ids` or `mask` is set. */
  inputs: Record<string, InputKind>;
  /** The names differentiated (float inputs only); empty for forward-only arithmetic. */
  wrt: string[];
  /** Set when tfjs-backend-cpu's gradient is wrong here, so only the loss is compared to it: why. */
  cpuGradientWrong?: string;
  /** The scalar loss. */
  loss: (t: Record<string, tf.Tensor>) => tf.Scalar;
}

const f = (shape: number[]): InputKind => ({ shape });
const ids = (shape: number[], max: number): InputKind => ({ shape, ids: max });
const mask = (shape: number[], keep: number): InputKind => ({ shape, mask: keep });

/** Data of one input, the same on every backend. */
export function inputData(r: Rng, kind: InputKind): { values: Float32Array | Int32Array; dtype: 'float32' | 'int32' } {
  const size = kind.shape.reduce((a, b) => a * b, 1);
  if (kind.ids !== undefined) {
    const max = kind.ids;
    return { values: Int32Array.from({ length: size }, () => r.int(max)), dtype: 'int32' };
  }
  if (kind.mask !== undefined) {
    const keep = kind.mask;
    return { values: r.fill(size, () => (r.uniform() < keep ? 1 : 0)), dtype: 'float32' };
  }
  return { values: r.fill(size, () => r.normal()), dtype: 'float32' };
}

const t4 = (x: tf.Tensor) => x as tf.Tensor4D;
const t3 = (x: tf.Tensor) => x as tf.Tensor3D;
const sumSq = (x: tf.Tensor): tf.Scalar => tf.sum(tf.square(x));

/** Sparse softmax cross-entropy from logits (B, K) and int labels (B). */
function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const k = logits.shape[logits.shape.length - 1] as number;
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels as tf.Tensor1D, k), tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

/** One LSTM step (Keras gate order i, f, c, o) on x (B, I), h and c (B, U). */
function lstmStep(x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const z = tf.add(tf.add(tf.matMul(x, w), tf.matMul(h, u)), b); // (B, 4U)
  const [i, fg, g, o] = tf.split(z, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const c2 = tf.add(tf.mul(tf.sigmoid(fg), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return [tf.mul(tf.sigmoid(o), tf.tanh(c2)), c2];
}

/** One GRU step (reset after, as Keras' default) on x (B, I), h (B, U). */
function gruStep(x: tf.Tensor, h: tf.Tensor, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor, units: number): tf.Tensor {
  const xz = tf.add(tf.matMul(x, w), b); // (B, 3U)
  const hz = tf.matMul(h, u); // (B, 3U)
  const [xr, xu, xn] = [0, 1, 2].map((k) => tf.slice(xz, [0, k * units], [-1, units])) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const [hr, hu, hn] = [0, 1, 2].map((k) => tf.slice(hz, [0, k * units], [-1, units])) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const r = tf.sigmoid(tf.add(xr, hr));
  const z = tf.sigmoid(tf.add(xu, hu));
  const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n));
}

/** Multi-head attention on x (2, 4, E) with H heads, a padding mask and optionally a causal mask. */
function attention(t: Record<string, tf.Tensor>, heads: number, causal: boolean): tf.Tensor {
  const x = t.x as tf.Tensor;
  const [batch, steps, embed] = x.shape as [number, number, number];
  const depth = embed / heads;
  const flat = tf.reshape(x, [batch * steps, embed]);
  const project = (w: tf.Tensor) =>
    tf.transpose(tf.reshape(tf.matMul(flat, w), [batch, steps, heads, depth]), [0, 2, 1, 3]); // (B, H, T, D)
  const q = project(t.wq as tf.Tensor);
  const k = project(t.wk as tf.Tensor);
  const v = project(t.wv as tf.Tensor);
  let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(depth)); // (B, H, T, T)
  // Padding: the last key of sequence 0 and the last two of sequence 1. Key 0 stays, so no
  // row of the causal mask is masked whole (float32 would then see -1e9 + s as a step).
  const padding = tf.tensor2d([[1, 1, 1, 0], [1, 1, 0, 0]]);
  const keep = tf.reshape(padding, [batch, 1, 1, steps]);
  scores = tf.add(scores, tf.mul(tf.sub(1, keep), -1e9));
  if (causal) {
    const allowed = tf.linalg.bandPart(tf.ones([steps, steps]), -1, 0);
    scores = tf.where(tf.cast(allowed, 'bool'), scores, tf.fill(scores.shape, -1e9));
  }
  const mixed = tf.matMul(tf.softmax(scores), v); // (B, H, T, D)
  const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch * steps, embed]);
  return tf.reshape(tf.matMul(merged, t.wo as tf.Tensor), [batch, steps, embed]);
}

/** The scenarios: every layer family's forward and backward, losses, optimizers, metrics. */
export const scenarios: Scenario[] = [
  {
    name: 'Dense + relu, softmax cross-entropy',
    inputs: { x: f([4, 6]), w: f([6, 5]), b: f([5]), labels: ids([4], 5) },
    wrt: ['x', 'w', 'b'],
    loss: (t) => crossEntropy(tf.relu(tf.add(tf.matMul(t.x!, t.w!), t.b!)), t.labels!),
  },
  {
    name: 'Dense fused (bias + relu / sigmoid / linear)',
    inputs: { x: f([4, 6]), w: f([6, 5]), b: f([5]) },
    wrt: ['x', 'w', 'b'],
    loss: (t) =>
      tf.addN(
        (['relu', 'sigmoid', 'linear', 'elu'] as const).map((activation) =>
          sumSq(tf.fused.matMul({ a: t.x!, b: t.w!, bias: t.b!, activation })),
        ),
      ) as tf.Scalar,
  },
  {
    name: 'Dense on a sequence (rank-3 input)',
    inputs: { x: f([2, 3, 6]), w: f([6, 4]), b: f([4]) },
    wrt: ['x', 'w', 'b'],
    loss: (t) => sumSq(tf.add(tf.reshape(tf.matMul(tf.reshape(t.x!, [6, 6]), t.w!), [2, 3, 4]), t.b!)),
  },
  {
    name: 'activations: tanh, sigmoid, elu, selu, leakyRelu, relu6, prelu, softplus, swish, gelu (erf and tanh), softmax, logSoftmax',
    inputs: { x: f([3, 5]), alpha: f([5]) },
    wrt: ['x', 'alpha'],
    loss: (t) => {
      const x = t.x!;
      const geluErf = tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
      const geluTanh = tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
      const outs = [
        tf.tanh(x), tf.sigmoid(x), tf.elu(x), tf.selu(x), tf.leakyRelu(x, 0.2), tf.relu6(tf.mul(x, 4)),
        tf.prelu(x, t.alpha!), tf.softplus(x), tf.mul(x, tf.sigmoid(x)), geluErf, geluTanh,
        tf.softmax(x), tf.logSoftmax(x), tf.exp(tf.neg(tf.abs(x))), tf.log1p(tf.abs(x)), tf.sqrt(tf.add(tf.square(x), 1)),
      ];
      return tf.sum(tf.stack(outs.map((o) => tf.sum(tf.mul(o, o)))));
    },
  },
  {
    name: 'Conv2D 3×3 same stride 1 + bias + relu, and valid stride 2',
    inputs: { x: f([2, 8, 8, 3]), w: f([3, 3, 3, 4]), b: f([4]), w2: f([3, 3, 4, 2]) },
    wrt: ['x', 'w', 'b', 'w2'],
    loss: (t) => {
      const h = tf.relu(tf.add(tf.conv2d(t4(t.x!), t4(t.w!), 1, 'same'), t.b!));
      return sumSq(tf.conv2d(t4(h), t4(t.w2!), 2, 'valid'));
    },
  },
  {
    name: 'Conv2D fused (bias + relu), 5×5 valid',
    inputs: { x: f([2, 9, 9, 2]), w: f([5, 5, 2, 3]), b: f([3]) },
    wrt: ['x', 'w', 'b'],
    loss: (t) => sumSq(tf.fused.conv2d({ x: t4(t.x!), filter: t4(t.w!), strides: 1, pad: 'valid', bias: t.b!, activation: 'relu' })),
  },
  {
    name: 'Conv1D stride 1 same and stride 2 valid',
    inputs: { x: f([2, 11, 3]), w: f([3, 3, 4]), w2: f([2, 4, 2]) },
    wrt: ['x', 'w', 'w2'],
    loss: (t) => sumSq(tf.conv1d(t3(tf.conv1d(t3(t.x!), t3(t.w!), 1, 'same')), t3(t.w2!), 2, 'valid')),
  },
  {
    name: 'dilated Conv2D as space-to-batch (atrous), dilation 2',
    inputs: { x: f([1, 8, 8, 2]), w: f([3, 3, 2, 3]) },
    wrt: ['x', 'w'],
    loss: (t) => {
      // 'same' with dilation 2 and a 3×3 filter pads 2 on each side; SpaceToBatchND splits
      // the padded 12×12 image into 4 phase images of 6×6 that a plain conv reads.
      const s2b = tf.spaceToBatchND(t.x!, [2, 2], [[2, 2], [2, 2]]);
      const y = tf.conv2d(t4(s2b), t4(t.w!), 1, 'valid');
      return sumSq(tf.batchToSpaceND(y, [2, 2], [[0, 0], [0, 0]]));
    },
  },
  {
    name: 'DepthwiseConv2D (multiplier 1 and 2)',
    inputs: { x: f([2, 7, 7, 3]), w1: f([3, 3, 3, 1]), w2: f([3, 3, 3, 2]) },
    wrt: ['x', 'w1', 'w2'],
    loss: (t) =>
      tf.add(
        sumSq(tf.depthwiseConv2d(t4(t.x!), t4(t.w1!), 1, 'same')),
        sumSq(tf.depthwiseConv2d(t4(t.x!), t4(t.w2!), 2, 'valid')),
      ),
  },
  {
    name: 'SeparableConv2D',
    inputs: { x: f([2, 6, 6, 3]), dw: f([3, 3, 3, 2]), pw: f([1, 1, 6, 4]), b: f([4]) },
    wrt: ['x', 'dw', 'pw', 'b'],
    loss: (t) => sumSq(tf.add(tf.separableConv2d(t4(t.x!), t4(t.dw!), t4(t.pw!), 1, 'same'), t.b!)),
  },
  {
    name: 'Conv2DTranspose stride 2 same',
    inputs: { x: f([2, 4, 4, 3]), w: f([3, 3, 2, 3]) },
    wrt: ['x', 'w'],
    loss: (t) => sumSq(tf.conv2dTranspose(t4(t.x!), t4(t.w!), [2, 8, 8, 2], 2, 'same')),
  },
  {
    name: 'MaxPool2D, AvgPool2D valid, global pools',
    inputs: { x: f([2, 6, 6, 3]) },
    wrt: ['x'],
    loss: (t) => {
      const x = t4(t.x!);
      return tf.addN([
        sumSq(tf.maxPool(x, 2, 2, 'valid')),
        sumSq(tf.avgPool(x, 3, 1, 'valid')),
        sumSq(tf.maxPool(x, 3, 2, 'same')),
        sumSq(tf.mean(x, [1, 2])),
        sumSq(tf.max(x, [1, 2])),
      ]) as tf.Scalar;
    },
  },
  {
    name: "AvgPool2D 'same'",
    inputs: { x: f([2, 6, 6, 3]) },
    wrt: ['x'],
    cpuGradientWrong: "AvgPoolGrad divides by the whole window where AvgPool divides by the pixels inside the image ('same' borders)",
    loss: (t) => sumSq(tf.avgPool(t4(t.x!), 3, 1, 'same')),
  },
  {
    name: 'MaxPool1D, AvgPool1D (as 2-D pools over a height of 1)',
    inputs: { x: f([2, 9, 3]) },
    wrt: ['x'],
    cpuGradientWrong: "AvgPoolGrad is wrong at 'same' borders",
    loss: (t) => {
      const x4 = tf.expandDims(t.x!, 1) as tf.Tensor4D; // (B, 1, T, C)
      return tf.add(sumSq(tf.squeeze(tf.maxPool(x4, [1, 2], [1, 2], 'valid'), [1])), sumSq(tf.avgPool(x4, [1, 3], [1, 1], 'same')));
    },
  },
  {
    name: 'UpSampling2D bilinear (aligned corners or not)',
    // Square images only: tfjs-backend-cpu's ResizeBilinearGrad returns (B, W, H, C), so
    // the cpu reference fails on any other (resize-grad.test.ts checks wasm's on one).
    inputs: { x: f([2, 3, 3, 2]) },
    wrt: ['x'],
    loss: (t) => tf.add(sumSq(tf.image.resizeBilinear(t4(t.x!), [6, 6])), sumSq(tf.image.resizeBilinear(t4(t.x!), [5, 7], true))),
  },
  {
    name: 'UpSampling2D nearest',
    inputs: { x: f([2, 3, 4, 2]) },
    wrt: ['x'],
    cpuGradientWrong: 'ResizeNearestNeighborGrad disagrees with finite differences of ResizeNearestNeighbor',
    loss: (t) => tf.add(sumSq(tf.image.resizeNearestNeighbor(t4(t.x!), [6, 8])), sumSq(tf.image.resizeNearestNeighbor(t4(t.x!), [5, 7], true))),
  },
  {
    name: 'BatchNormalization (training statistics, fused op) and LayerNormalization',
    inputs: { x: f([4, 3, 3, 5]), gamma: f([5]), beta: f([5]) },
    wrt: ['x', 'gamma', 'beta'],
    loss: (t) => {
      const x = t.x!;
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const bn = tf.batchNorm(x, mean, variance, t.beta!, t.gamma!, 1e-3);
      const ln = tf.moments(x, -1, true);
      const layer = tf.add(tf.mul(tf.mul(tf.sub(x, ln.mean), tf.rsqrt(tf.add(ln.variance, 1e-5))), t.gamma!), t.beta!);
      return tf.add(sumSq(tf.sin(bn)), sumSq(tf.cos(layer)));
    },
  },
  {
    name: 'Embedding (gather) + mean over the sequence',
    inputs: { table: f([10, 4]), tokens: ids([3, 5], 10), w: f([4, 2]) },
    wrt: ['table', 'w'],
    loss: (t) => sumSq(tf.matMul(tf.mean(tf.gather(t.table!, t.tokens!), 1), t.w!)),
  },
  {
    name: 'LSTM over 3 steps (unstack, split, stack)',
    inputs: { x: f([2, 3, 4]), w: f([4, 12]), u: f([3, 12]), b: f([12]) },
    wrt: ['x', 'w', 'u', 'b'],
    loss: (t) => {
      let h = tf.zeros([2, 3]);
      let c = tf.zeros([2, 3]);
      const outputs: tf.Tensor[] = [];
      for (const xt of tf.unstack(t.x!, 1)) {
        [h, c] = lstmStep(xt, h, c, t.w!, t.u!, t.b!);
        outputs.push(h);
      }
      return sumSq(tf.stack(outputs, 1));
    },
  },
  {
    name: 'GRU over 3 steps (slices, concat of outputs)',
    inputs: { x: f([2, 3, 4]), w: f([4, 9]), u: f([3, 9]), b: f([9]) },
    wrt: ['x', 'w', 'u', 'b'],
    loss: (t) => {
      let h = tf.zeros([2, 3]);
      const outputs: tf.Tensor[] = [];
      for (let s = 0; s < 3; s++) {
        h = gruStep(tf.squeeze(tf.slice(t.x!, [0, s, 0], [-1, 1, -1]), [1]), h, t.w!, t.u!, t.b!, 3);
        outputs.push(tf.expandDims(h, 1));
      }
      return sumSq(tf.concat(outputs, 1));
    },
  },
  {
    name: 'MultiHeadAttention (padding and causal masks)',
    inputs: { x: f([2, 4, 6]), wq: f([6, 6]), wk: f([6, 6]), wv: f([6, 6]), wo: f([6, 6]) },
    wrt: ['x', 'wq', 'wk', 'wv', 'wo'],
    loss: (t) => tf.add(sumSq(attention(t, 2, false)), sumSq(attention(t, 3, true))),
  },
  {
    name: 'Dropout (mask from an Rng) and residual Add / Multiply / Maximum / Average layers',
    inputs: { x: f([3, 5]), y: f([3, 5]), keep: mask([3, 5], 0.7) },
    wrt: ['x', 'y'],
    loss: (t) => {
      const dropped = tf.div(tf.mul(t.x!, t.keep!), 0.7);
      const merged = tf.addN([tf.add(dropped, t.y!), tf.mul(t.x!, t.y!), tf.maximum(t.x!, t.y!), tf.minimum(t.x!, t.y!)]);
      return sumSq(tf.div(merged, 4));
    },
  },
  {
    // No strided slice: tfjs-core registers no gradient for StridedSlice. No mirror pad:
    // tfjs-core's MirrorPad gradient only slices dy, dropping what the mirrored borders
    // read (wrong on every backend).
    name: 'shape layers: Flatten, Reshape, ZeroPadding, Cropping, Concatenate, tile, reverse',
    inputs: { x: f([2, 4, 4, 2]), y: f([2, 4, 4, 1]) },
    wrt: ['x', 'y'],
    loss: (t) => {
      const x = t.x!;
      const padded = tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]]);
      const cropped = tf.slice(padded, [0, 1, 1, 0], [-1, 4, 4, -1]);
      const joined = tf.concat([cropped, t.y!], -1);
      const flat = tf.reshape(joined, [2, -1]);
      const extra = tf.addN([
        sumSq(tf.tile(t.y!, [1, 1, 2, 1])),
        sumSq(tf.reverse(x, [1])),
      ]);
      return tf.add(sumSq(flat), extra);
    },
  },
  {
    name: 'losses: MSE, MAE, Huber, binary cross-entropy (logits and probabilities), hinge, KL, clip',
    inputs: { pred: f([4, 3]), target: f([4, 3]), bits: mask([4, 3], 0.5) },
    wrt: ['pred'],
    loss: (t) => {
      const p = t.pred!;
      const y = t.target!;
      const prob = tf.clipByValue(tf.sigmoid(p), 1e-7, 1 - 1e-7);
      return tf.addN([
        tf.mean(tf.squaredDifference(p, y)),
        tf.mean(tf.abs(tf.sub(p, y))),
        tf.losses.huberLoss(y, p),
        tf.losses.sigmoidCrossEntropy(t.bits!, p),
        tf.neg(tf.mean(tf.add(tf.mul(t.bits!, tf.log(prob)), tf.mul(tf.sub(1, t.bits!), tf.log(tf.sub(1, prob)))))),
        tf.mean(tf.relu(tf.sub(1, tf.mul(p, y)))),
        tf.sum(tf.mul(tf.softmax(y), tf.sub(tf.logSoftmax(y), tf.logSoftmax(p)))),
        tf.losses.softmaxCrossEntropy(tf.softmax(y), p),
      ]) as tf.Scalar;
    },
  },
  {
    name: 'regularizers (L1, L2) and weight tying',
    inputs: { w: f([5, 4]) },
    wrt: ['w'],
    loss: (t) => tf.add(tf.mul(0.01, tf.sum(tf.abs(t.w!))), tf.mul(0.01, tf.sum(tf.square(tf.transpose(t.w!))))),
  },
  {
    name: 'optimizer arithmetic (SGD momentum, Adam/AdamW, RMSprop, global-norm clipping), forward only',
    inputs: { w: f([4, 3]), g: f([4, 3]), m: f([4, 3]), v: f([4, 3]) },
    wrt: [],
    loss: (t) => {
      const { w, g, m, v } = t as Record<string, tf.Tensor>;
      const norm = tf.sqrt(tf.sum(tf.square(g!)));
      const clipped = tf.mul(g!, tf.div(1, tf.maximum(norm, 1)));
      const m2 = tf.add(tf.mul(0.9, m!), tf.mul(0.1, clipped));
      const v2 = tf.add(tf.mul(0.999, tf.abs(v!)), tf.mul(0.001, tf.square(clipped)));
      const adam = tf.sub(tf.mul(w!, 1 - 1e-4), tf.div(tf.mul(1e-3, m2), tf.add(tf.sqrt(v2), 1e-7)));
      const rms = tf.div(clipped, tf.sqrt(tf.add(tf.square(v!), 1e-7)));
      const finite = tf.all(tf.isFinite(adam));
      return tf.add(tf.sum(tf.add(adam, rms)), tf.cast(finite, 'float32'));
    },
  },
  {
    name: 'metrics (accuracy, top-k, confusion counts), forward only',
    inputs: { logits: f([6, 4]), labels: ids([6], 4) },
    wrt: [],
    loss: (t) => {
      const predicted = tf.argMax(t.logits!, -1);
      const correct = tf.cast(tf.equal(predicted, t.labels!), 'float32');
      const top2 = tf.topk(t.logits!, 2).indices;
      const inTop2 = tf.any(tf.equal(top2, tf.expandDims(t.labels!, 1)), 1);
      const counts = tf.sum(tf.mul(tf.oneHot(t.labels!, 4), tf.expandDims(correct, 1)), 0);
      return tf.add(tf.add(tf.mean(correct), tf.mean(tf.cast(inTop2, 'float32'))), tf.sum(counts));
    },
  },
];
