import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSafetensors, rng, tf } from '@tensorloom/core';
import { ResNet } from '../index.js';
import { stateFromTorch } from '../transfer/internal/torch-name-map.js';

// Weights, inputs and outputs from scripts/resnet_fixture.py (PyTorch 2.13, torchvision's structure).
const fixture = readSafetensors(new Uint8Array(readFileSync(new URL('./fixtures/resnet-small.safetensors', import.meta.url)))).tensors;

function loadFromTorch(model: ResNet, prefix: string): void {
  const source: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(fixture)) if (k.startsWith(`${prefix}.state.`)) source[k.slice(prefix.length + 7)] = v;
  const mapped = stateFromTorch(Object.keys(model.state()), source);
  model.loadState(mapped); // strict: every entry maps
  tf.dispose(Object.values(mapped));
}

/** max |a − b| ≤ atol + rtol·|b| elementwise. */
function expectClose(actual: tf.Tensor, expected: tf.Tensor, atol: number, rtol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const b = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) - rtol * Math.abs(b[i]!));
  expect(worst).toBeLessThanOrEqual(atol);
}

describe('ResNet against PyTorch (torchvision layout, same weights)', () => {
  for (const [name, config] of [
    ['basic', { block: 'basic', layers: [1, 1, 1, 1], width: 4, classes: 5 }],
    ['bottleneck', { block: 'bottleneck', layers: [1, 1, 1, 1], width: 2, classes: 5 }],
  ] as const) {
    it(`${name} blocks: inference logits and features, training-mode logits and running mean`, () => {
      const model = new ResNet(config).build([null, 35, 33, 3], rng(0));
      loadFromTorch(model, name);
      const x = tf.transpose(fixture[`${name}.input`]!, [0, 2, 3, 1]); // NCHW → NHWC
      const logits = model.apply(x);
      expectClose(logits, fixture[`${name}.eval_logits`]!, 1e-5, 1e-4);
      const features = model.features(x);
      expectClose(features, fixture[`${name}.eval_features`]!, 1e-5, 1e-4);
      const trained = model.apply(x, { training: true });
      expectClose(trained, fixture[`${name}.train_logits`]!, 1e-5, 1e-4);
      expectClose(model.buffers()['layer4.0.bn1.movingMean']!, fixture[`${name}.train_running_mean.layer4.0.bn1`]!, 1e-6, 1e-5);
      tf.dispose([x, logits, features, trained]);
      model.dispose();
    });
  }
});
