// Plain-TypeScript float64 references for the attention tests, written from the equations
// of Vaswani et al. 2017 (https://arxiv.org/abs/1706.03762) and of PyTorch's
// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer (post-norm and pre-norm), with
// nested loops over arrays of numbers. They read the SAME weights as the modules under test
// (by parameter name) and share no code with them. Not exported from the package.
import type { tf } from '@tensorloom/core';

export type Vec = number[];
export type Mat = number[][];
export type Arr3 = number[][][];
export type Arr4 = number[][][][];

/** erf to ~1e-12: Maclaurin series for |z| < 3, the erfc continued fraction beyond. */
export function erf(z: number): number {
  const a = Math.abs(z);
  let r: number;
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(a) = e^{-a²}/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …)))))
    let f = a;
    for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
    r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  }
  return z < 0 ? -r : r;
}

export const activations: Record<'relu' | 'gelu', (x: number) => number> = {
  relu: (x) => Math.max(0, x),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
};

/** Softmax over the allowed entries; a row with nothing allowed gives all zeros. */
export function maskedSoftmax(logits: Vec, allowed: boolean[]): Vec {
  let max = -Infinity;
  logits.forEach((l, j) => {
    if (allowed[j]) max = Math.max(max, l);
  });
  if (max === -Infinity) return logits.map(() => 0);
  const e = logits.map((l, j) => (allowed[j] ? Math.exp(l - max) : 0));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

/** y = x·W + b for one vector; W is [in][out]. */
export function linear(x: Vec, w: Mat, b: Vec | null): Vec {
  const out = w[0]!.length;
  const y: Vec = [];
  for (let o = 0; o < out; o++) {
    let s = b === null ? 0 : b[o]!;
    for (let i = 0; i < x.length; i++) s += x[i]! * w[i]![o]!;
    y.push(s);
  }
  return y;
}

/** Layer norm of one vector with the biased variance. */
export function layerNormRef(x: Vec, gamma: Vec | null, beta: Vec | null, eps: number): Vec {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * (gamma === null ? 1 : gamma[i]!) + (beta === null ? 0 : beta[i]!));
}

/** The weights of one attention block as nested arrays (Keras layout). */
export interface MhaRefWeights {
  qKernel: Arr3; // [Fq][H][Dk]
  qBias: Mat | null; // [H][Dk]
  kKernel: Arr3;
  kBias: Mat | null;
  vKernel: Arr3; // [Fv][H][Dv]
  vBias: Mat | null;
  oKernel: Arr3; // [H][Dv][O]
  oBias: Vec | null; // [O]
}

export interface MhaRefMasks {
  keyMask?: boolean[][] | null; // [B][S]
  attentionMask?: boolean[][][] | null; // [B][T][S]
  causal?: boolean;
}

/** Per head h: x·W[:, h, :] + b[h] for one vector. */
function headProject(x: Vec, kernel: Arr3, bias: Mat | null, h: number): Vec {
  const d = kernel[0]![h]!.length;
  const y: Vec = [];
  for (let j = 0; j < d; j++) {
    let s = bias === null ? 0 : bias[h]![j]!;
    for (let i = 0; i < x.length; i++) s += x[i]! * kernel[i]![h]![j]!;
    y.push(s);
  }
  return y;
}

/**
 * Multi-head attention, eq. (1)–(2) of Vaswani et al.: for every batch b, head h, query t:
 * w = softmax_j(q_t·k_j/√Dk over allowed j); o_t = Σ_h Σ_d (Σ_j w_j v_j)[d] · W_o[h][d] + b_o.
 */
export function mhaRef(query: Arr3, value: Arr3, key: Arr3, w: MhaRefWeights, masks: MhaRefMasks = {}): { output: Arr3; scores: Arr4 } {
  const heads = w.qKernel[0]!.length;
  const dk = w.qKernel[0]![0]!.length;
  const outDim = w.oKernel[0]![0]!.length;
  const output: Arr3 = [];
  const scores: Arr4 = [];
  for (let b = 0; b < query.length; b++) {
    const T = query[b]!.length;
    const S = value[b]!.length;
    const perHead: Arr3 = []; // [H][T][Dv]
    const bScores: Arr3 = [];
    for (let h = 0; h < heads; h++) {
      const qs = query[b]!.map((x) => headProject(x, w.qKernel, w.qBias, h));
      const ks = key[b]!.map((x) => headProject(x, w.kKernel, w.kBias, h));
      const vs = value[b]!.map((x) => headProject(x, w.vKernel, w.vBias, h));
      const hOut: Mat = [];
      const hScores: Mat = [];
      for (let t = 0; t < T; t++) {
        const logits: Vec = [];
        const allowed: boolean[] = [];
        for (let j = 0; j < S; j++) {
          let dot = 0;
          for (let d = 0; d < dk; d++) dot += qs[t]![d]! * ks[j]![d]!;
          logits.push(dot / Math.sqrt(dk));
          allowed.push(
            (masks.keyMask ? masks.keyMask[b]![j]! : true) &&
              (masks.attentionMask ? masks.attentionMask[b]![t]![j]! : true) &&
              (masks.causal ? j <= t : true),
          );
        }
        const weights = maskedSoftmax(logits, allowed);
        hScores.push(weights);
        const dv = vs[0]!.length;
        const o: Vec = new Array(dv).fill(0);
        for (let j = 0; j < S; j++) for (let d = 0; d < dv; d++) o[d] += weights[j]! * vs[j]![d]!;
        hOut.push(o);
      }
      perHead.push(hOut);
      bScores.push(hScores);
    }
    const bOut: Mat = [];
    for (let t = 0; t < T; t++) {
      const y: Vec = [];
      for (let o = 0; o < outDim; o++) {
        let s = w.oBias === null ? 0 : w.oBias[o]!;
        for (let h = 0; h < heads; h++) {
          const row = perHead[h]![t]!;
          for (let d = 0; d < row.length; d++) s += row[d]! * w.oKernel[h]![d]![o]!;
        }
        y.push(s);
      }
      bOut.push(y);
    }
    output.push(bOut);
    scores.push(bScores);
  }
  return { output, scores };
}

type Params = Record<string, tf.Tensor>;

function read<T>(params: Params, name: string): T {
  const p = params[name];
  if (p === undefined) throw new Error(`reference: no parameter '${name}' among ${Object.keys(params).join(', ')}`);
  return p.arraySync() as T;
}

function readOptional<T>(params: Params, name: string): T | null {
  return params[name] === undefined ? null : read<T>(params, name);
}

/** Reads an attention block's weights by name (`<prefix>.query.kernel`, ...). */
export function readMhaWeights(params: Params, prefix: string): MhaRefWeights {
  const p = prefix === '' ? '' : `${prefix}.`;
  return {
    qKernel: read(params, `${p}query.kernel`),
    qBias: readOptional(params, `${p}query.bias`),
    kKernel: read(params, `${p}key.kernel`),
    kBias: readOptional(params, `${p}key.bias`),
    vKernel: read(params, `${p}value.kernel`),
    vBias: readOptional(params, `${p}value.bias`),
    oKernel: read(params, `${p}output.kernel`),
    oBias: readOptional(params, `${p}output.bias`),
  };
}

export interface BlockRefConfig {
  normFirst: boolean;
  eps: number;
  activation: 'relu' | 'gelu';
}

function ffnRef(params: Params, x: Vec, activation: (v: number) => number): Vec {
  const h = linear(x, read(params, 'ffn1.kernel'), readOptional(params, 'ffn1.bias')).map(activation);
  return linear(h, read(params, 'ffn2.kernel'), readOptional(params, 'ffn2.bias'));
}

function norm(params: Params, name: string, x: Vec, eps: number): Vec {
  return layerNormRef(x, readOptional(params, `${name}.gamma`), readOptional(params, `${name}.beta`), eps);
}

const addVec = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]!);
const mapRows = (x: Arr3, f: (row: Vec) => Vec): Arr3 => x.map((seq) => seq.map(f));

/**
 * A transformer encoder layer (PyTorch nn.TransformerEncoderLayer, inference):
 * post-norm `h = LN1(x + SA(x)); y = LN2(h + FFN(h))`;
 * pre-norm `h = x + SA(LN1(x)); y = h + FFN(LN2(h))`; FFN(x) = W2·act(W1·x + b1) + b2.
 */
export function encoderRef(params: Params, x: Arr3, config: BlockRefConfig, keyMask: boolean[][] | null = null): Arr3 {
  const act = activations[config.activation];
  const sa = readMhaWeights(params, 'self_attn');
  const attend = (z: Arr3): Arr3 => mhaRef(z, z, z, sa, { keyMask }).output;
  const residual = (a: Arr3, b: Arr3): Arr3 => a.map((seq, i) => seq.map((row, t) => addVec(row, b[i]![t]!)));
  if (config.normFirst) {
    const h = residual(x, attend(mapRows(x, (r) => norm(params, 'norm1', r, config.eps))));
    return mapRows(h, (r) => addVec(r, ffnRef(params, norm(params, 'norm2', r, config.eps), act)));
  }
  const h = mapRows(residual(x, attend(x)), (r) => norm(params, 'norm1', r, config.eps));
  return mapRows(h, (r) => norm(params, 'norm2', addVec(r, ffnRef(params, r, act)), config.eps));
}

/**
 * A transformer decoder layer (PyTorch nn.TransformerDecoderLayer, inference) with causal
 * self-attention: post-norm `h1 = LN1(x + SA(x)); h2 = LN2(h1 + CA(h1, m)); y = LN3(h2 + FFN(h2))`;
 * pre-norm `h1 = x + SA(LN1 x); h2 = h1 + CA(LN2 h1, m); y = h2 + FFN(LN3 h2)`.
 */
export function decoderRef(
  params: Params,
  x: Arr3,
  memory: Arr3,
  config: BlockRefConfig,
  targetMask: boolean[][] | null = null,
  memoryMask: boolean[][] | null = null,
): Arr3 {
  const act = activations[config.activation];
  const sa = readMhaWeights(params, 'self_attn');
  const ca = readMhaWeights(params, 'cross_attn');
  const self = (z: Arr3): Arr3 => mhaRef(z, z, z, sa, { keyMask: targetMask, causal: true }).output;
  const cross = (z: Arr3): Arr3 => mhaRef(z, memory, memory, ca, { keyMask: memoryMask }).output;
  const residual = (a: Arr3, b: Arr3): Arr3 => a.map((seq, i) => seq.map((row, t) => addVec(row, b[i]![t]!)));
  const ln = (name: string) => (r: Vec): Vec => norm(params, name, r, config.eps);
  if (config.normFirst) {
    const h1 = residual(x, self(mapRows(x, ln('norm1'))));
    const h2 = residual(h1, cross(mapRows(h1, ln('norm2'))));
    return mapRows(h2, (r) => addVec(r, ffnRef(params, ln('norm3')(r), act)));
  }
  const h1 = mapRows(residual(x, self(x)), ln('norm1'));
  const h2 = mapRows(residual(h1, cross(h1)), ln('norm2'));
  return mapRows(h2, (r) => ln('norm3')(addVec(r, ffnRef(params, r, act))));
}

/** Flattens nested arrays of numbers (row-major), for comparisons with tensors. */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}
