import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSafetensors, rng, tf } from '@tensorloom/core';
import { CausalLM, MobileNetV2, ResNet, resnet18 } from '@tensorloom/models';
import { fromPyTorchStateDict, toPyTorchStateDict } from '@tensorloom/interop';
import { maxExcess } from '../internal/testing.js';

// The models package's own PyTorch fixture (its scripts/resnet_fixture.py: torchvision-layout
// ResNets written out in plain torch), read here through the general importer.
const fixture = readSafetensors(new Uint8Array(readFileSync(new URL('../../../models/src/cnn/fixtures/resnet-small.safetensors', import.meta.url)))).tensors;

const shapes = (dict: Record<string, unknown>): Record<string, number[]> =>
  Object.fromEntries(Object.entries(dict).map(([k, v]) => [k, (v instanceof tf.Tensor ? v : (v as { tensor: tf.Tensor }).tensor).shape]));
const dispose = (dict: Record<string, unknown>): void =>
  Object.values(dict).forEach((v) => (v instanceof tf.Tensor ? v : (v as { tensor: tf.Tensor }).tensor).dispose());

describe('PyTorch names of the model zoo', () => {
  for (const [name, config] of [
    ['basic', { block: 'basic', layers: [1, 1, 1, 1], width: 4, classes: 5 }],
    ['bottleneck', { block: 'bottleneck', layers: [1, 1, 1, 1], width: 2, classes: 5 }],
  ] as const) {
    it(`ResNet (${name}): a PyTorch state dict imports with no name map and reproduces PyTorch's logits`, () => {
      const model = new ResNet(config).build([null, 35, 33, 3], rng(0));
      const prefix = `${name}.state.`;
      const state = Object.fromEntries(Object.entries(fixture).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
      fromPyTorchStateDict(model, state, { source: `resnet-small.safetensors (${name})` });
      const x = tf.transpose(fixture[`${name}.input`]!, [0, 2, 3, 1]); // NCHW → NHWC
      const logits = model.apply(x);
      expect(maxExcess(logits, fixture[`${name}.eval_logits`]!, 1e-4)).toBeLessThanOrEqual(1e-5);
      const back = toPyTorchStateDict(model);
      // The names and shapes load_state_dict(strict=True) checks (the fixture leaves out num_batches_tracked).
      const exported = Object.fromEntries(Object.entries(shapes(back)).filter(([k]) => !k.endsWith('num_batches_tracked')));
      expect(exported).toEqual(shapes(state));
      tf.dispose([x, logits]);
      dispose(back);
      model.dispose();
    });
  }

  it("resnet18 exports torchvision's 122 state_dict names (at 1/8 width)", () => {
    const model = resnet18({ width: 8 }).build([null, 64, 64, 3], rng(1));
    const dict = toPyTorchStateDict(model);
    const s = shapes(dict);
    expect(Object.keys(s)).toHaveLength(122);
    expect(s).toMatchObject({
      'conv1.weight': [8, 3, 7, 7], 'bn1.running_var': [8], 'layer1.0.conv1.weight': [8, 8, 3, 3],
      'layer2.0.downsample.0.weight': [16, 8, 1, 1], 'layer2.0.downsample.1.num_batches_tracked': [],
      'layer4.1.bn2.weight': [64], 'fc.weight': [1000, 64], 'fc.bias': [1000],
    });
    dispose(dict);
    model.dispose();
  });

  it("MobileNetV2 exports torchvision's 314 state_dict names", () => {
    const model = new MobileNetV2().build([null, 32, 32, 3], rng(1));
    const dict = toPyTorchStateDict(model);
    const s = shapes(dict);
    expect(Object.keys(s)).toHaveLength(314);
    expect(s).toMatchObject({
      'features.0.0.weight': [32, 3, 3, 3], 'features.0.1.running_mean': [32], 'features.1.conv.0.0.weight': [32, 1, 3, 3],
      'features.1.conv.1.weight': [16, 32, 1, 1], 'features.1.conv.2.running_var': [16], 'features.2.conv.0.0.weight': [96, 16, 1, 1],
      'features.2.conv.1.0.weight': [96, 1, 3, 3], 'features.2.conv.2.weight': [24, 96, 1, 1], 'features.18.0.weight': [1280, 320, 1, 1],
      'classifier.1.weight': [1000, 1280],
    });
    dispose(dict);
    model.dispose();
  });
});

describe('GPT-2 names', () => {
  // The models package's GPT-2 fixture (its scripts/sequence_fixtures.py: a 2-block GPT-2 in
  // Hugging Face's GPT2Model layout, Conv1D c_attn), read through the general importer.
  const gpt2 = readSafetensors(new Uint8Array(readFileSync(new URL('../../../models/src/transformer/fixtures/gpt2.safetensors', import.meta.url)))).tensors;
  const config = (JSON.parse(readFileSync(new URL('../../../models/src/transformer/fixtures/gpt2.map.json', import.meta.url), 'utf8')) as { config: object }).config;

  it("a Hugging Face GPT-2 state dict imports with no name map and reproduces its logits; the export gives back its names", () => {
    const model = new CausalLM({ ...config, dimFeedforward: 32, activation: 'geluTanh' }).build([null, 8], rng(0));
    const state = Object.fromEntries(Object.entries(gpt2).filter(([k]) => k.startsWith('torch.')).map(([k, v]) => [k.slice(6), v]));
    fromPyTorchStateDict(model, state, { source: 'gpt2.safetensors' });
    const logits = model.apply(gpt2['input.ids']!);
    expect(maxExcess(logits, gpt2['output.logits']!, 1e-4)).toBeLessThanOrEqual(1e-5);
    const back = toPyTorchStateDict(model);
    expect(shapes(back)).toEqual(shapes(state));
    for (const [k, v] of Object.entries(back)) expect(maxExcess(v as tf.Tensor, state[k]!, 0), k).toBeLessThanOrEqual(1e-7);
    logits.dispose();
    dispose(back);
    model.dispose();
  });
});
