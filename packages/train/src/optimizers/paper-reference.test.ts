import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { optimizers } from '../index.js';
import type { Optimizer } from '../index.js';

// Lion, LAMB and Schedule-Free AdamW against their papers' pseudo-code, written out here in float64
// step by step (no PyTorch reference exists for them in torch.optim).

const init = { w: [0.5, -1.2, 2.0, 0.3, -0.7, 1.1], b: [0.1, -0.2] };
const shapes = { w: [2, 3], b: [2] };
const gradSeq = [
  { w: [0.3, -0.1, 0.8, -1.5, 0.2, 0.05], b: [0.4, -0.3] },
  { w: [-0.2, 0.4, 0.6, -0.9, -0.3, 0.1], b: [0.1, 0.2] },
  { w: [0.5, 0.5, -0.4, 0.7, 0.9, -0.6], b: [-0.6, 0.05] },
  { w: [0.1, -0.8, 0.3, 0.2, -0.1, 0.4], b: [0.3, 0.3] },
  { w: [-0.4, 0.2, 0.1, -0.3, 0.6, -0.2], b: [-0.1, -0.4] },
];
type Vec = number[];
type Params = Record<'w' | 'b', Vec>;

function run(opt: Optimizer, check: (step: number, params: Record<string, tf.Variable>) => void): Promise<void> {
  return (async () => {
    const params = { w: tf.variable(tf.tensor(init.w, shapes.w)), b: tf.variable(tf.tensor(init.b, shapes.b)) };
    for (const [t, g] of gradSeq.entries()) {
      const grads = { w: tf.tensor(g.w, shapes.w), b: tf.tensor(g.b, shapes.b) };
      if (t === 0) opt.apply(params, grads);
      else await expectNoLeaks(() => opt.apply(params, grads));
      tf.dispose(Object.values(grads));
      check(t, params);
    }
    opt.dispose();
    tf.dispose(Object.values(params));
  })();
}

function expectClose(got: ArrayLike<number>, want: Vec, label: string, tol = 2e-6): void {
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `${label}[${i}]: got ${got[i]}, want ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w))));
}

const norm = (v: Vec) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('optimizers against the papers, by hand', () => {
  it('Lion (Chen et al. 2023, Algorithm 2)', async () => {
    const [lr, b1, b2, wd] = [0.01, 0.9, 0.99, 0.1];
    const theta: Params = { w: [...init.w], b: [...init.b] };
    const m: Params = { w: init.w.map(() => 0), b: init.b.map(() => 0) };
    await run(optimizers.lion({ learningRate: lr, beta1: b1, beta2: b2, weightDecay: wd }), (t, params) => {
      for (const k of ['w', 'b'] as const) {
        const g = gradSeq[t][k];
        theta[k] = theta[k].map((x, i) => {
          const c = b1 * m[k][i] + (1 - b1) * g[i]; // interpolation
          return x - lr * (Math.sign(c) + wd * x);
        });
        m[k] = m[k].map((mi, i) => b2 * mi + (1 - b2) * g[i]);
        expectClose(params[k].dataSync(), theta[k], `lion ${k} step ${t + 1}`);
      }
    });
  });

  it('LAMB (You et al. 2019, Algorithm 2), trust ratio per tensor', async () => {
    const [lr, b1, b2, eps, wd] = [0.05, 0.9, 0.999, 1e-6, 0.01];
    const theta: Params = { w: [...init.w], b: [...init.b] };
    const m: Params = { w: init.w.map(() => 0), b: init.b.map(() => 0) };
    const v: Params = { w: init.w.map(() => 0), b: init.b.map(() => 0) };
    await run(optimizers.lamb({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd }), (t, params) => {
      const step = t + 1;
      for (const k of ['w', 'b'] as const) {
        const g = gradSeq[t][k];
        m[k] = m[k].map((mi, i) => b1 * mi + (1 - b1) * g[i]);
        v[k] = v[k].map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
        const r = m[k].map((mi, i) => mi / (1 - b1 ** step) / (Math.sqrt(v[k][i] / (1 - b2 ** step)) + eps) + wd * theta[k][i]);
        const ratio = norm(theta[k]) / norm(r);
        theta[k] = theta[k].map((x, i) => x - lr * ratio * r[i]);
        expectClose(params[k].dataSync(), theta[k], `lamb ${k} step ${step}`);
      }
    });
  });

  it('Schedule-Free AdamW (Defazio et al. 2024, Algorithm 1): y during training, x for evaluation', async () => {
    const [gamma, b1, b2, eps, wd] = [0.02, 0.9, 0.999, 1e-8, 0.05];
    const x: Params = { w: [...init.w], b: [...init.b] };
    const z: Params = { w: [...init.w], b: [...init.b] };
    const v: Params = { w: init.w.map(() => 0), b: init.b.map(() => 0) };
    let sumGamma2 = 0;
    const opt = optimizers.scheduleFreeAdamW({ learningRate: gamma, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd });
    await run(opt, (t, params) => {
      const step = t + 1;
      const gt = gamma * Math.sqrt(1 - b2 ** step);
      sumGamma2 += gt * gt;
      const c = (gt * gt) / sumGamma2;
      for (const k of ['w', 'b'] as const) {
        const g = gradSeq[t][k];
        const y = z[k].map((zi, i) => (1 - b1) * zi + b1 * x[k][i]); // where the gradient was taken
        v[k] = v[k].map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
        z[k] = z[k].map((zi, i) => zi - gt * (g[i] / (Math.sqrt(v[k][i]) + eps) + wd * y[i]));
        x[k] = x[k].map((xi, i) => (1 - c) * xi + c * z[k][i]);
      }
      // The parameters hold y = (1−β₁)z + β₁x for the next gradient…
      for (const k of ['w', 'b'] as const) {
        expectClose(params[k].dataSync(), z[k].map((zi, i) => (1 - b1) * zi + b1 * x[k][i]), `sf y ${k} step ${step}`);
      }
      // …and x after swapToEvalWeights; swapping back restores y.
      opt.swapToEvalWeights!(params);
      for (const k of ['w', 'b'] as const) expectClose(params[k].dataSync(), x[k], `sf x ${k} step ${step}`, 1e-5);
      expect(() => opt.apply(params, {})).toThrowError(/apply expected the training weights, got the evaluation weights swapped in/);
      opt.swapToEvalWeights!(params); // a second swap to eval is a no-op
      opt.swapToTrainWeights!(params);
      for (const k of ['w', 'b'] as const) {
        expectClose(params[k].dataSync(), z[k].map((zi, i) => (1 - b1) * zi + b1 * x[k][i]), `sf y again ${k} step ${step}`, 1e-5);
      }
    });
  });
});
