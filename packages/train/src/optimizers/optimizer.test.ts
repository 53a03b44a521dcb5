import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError, ShapeError, ValueError, expectNoLeaks, tf } from '@tensorloom/core';
import { optimizers, schedules } from '../index.js';
import type { Optimizer } from '../index.js';

function makeParams(): Record<string, tf.Variable> {
  return {
    'fc.kernel': tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25], [-0.3, 0.8]])),
    'fc.bias': tf.variable(tf.tensor1d([0.1, -0.1])),
    'norm.gamma': tf.variable(tf.tensor1d([1, 1])),
  };
}

function gradsAt(step: number): Record<string, tf.Tensor> {
  const s = step + 1;
  return {
    'fc.kernel': tf.tensor2d([[0.3 * s, -0.2], [0.1, 0.5 / s], [-0.4, 0.2 * s]]),
    'fc.bias': tf.tensor1d([0.2 / s, -0.3]),
    'norm.gamma': tf.tensor1d([0.05 * s, -0.1]),
  };
}

function train(opt: Optimizer, params: Record<string, tf.Variable>, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    const g = gradsAt(t);
    opt.apply(params, g);
    tf.dispose(Object.values(g));
  }
}

const values = (params: Record<string, tf.Variable>) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.from(v.dataSync())]));

const factories: [string, () => Optimizer][] = [
  ['sgd', () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adam', () => optimizers.adam({ amsgrad: true })],
  ['adamw', () => optimizers.adamW({ learningRate: schedules.cosine({ initial: 0.01, steps: 10 }) })],
  ['adamax', () => optimizers.adamax()],
  ['rmsprop', () => optimizers.rmsprop({ centered: true, momentum: 0.5 })],
  ['adagrad', () => optimizers.adagrad()],
  ['adadelta', () => optimizers.adadelta()],
  ['nadam', () => optimizers.nadam()],
  ['radam', () => optimizers.radam()],
  ['lion', () => optimizers.lion()],
  ['lamb', () => optimizers.lamb()],
  ['adafactor', () => optimizers.adafactor()],
  ['schedule_free_adamw', () => optimizers.scheduleFreeAdamW()],
  ['muon', () => optimizers.muon()],
];

describe('optimizer state', () => {
  it.each(factories)('%s: save after 3 steps, load into a fresh optimizer (through safetensors bytes), continue = uninterrupted, bit for bit', async (_n, make) => {
    const straight = makeParams();
    const a = make();
    train(a, straight, 0, 6);
    const resumed = makeParams();
    const b = make();
    train(b, resumed, 0, 3);
    const state = b.getState();
    const bytes = optimizers.stateToSafetensors(state);
    tf.dispose(Object.values(state.tensors));
    b.dispose();
    const c = make();
    const loaded = optimizers.stateFromSafetensors(bytes);
    c.setState(loaded);
    tf.dispose(Object.values(loaded.tensors));
    expect(c.iterations).toBe(3);
    await expectNoLeaks(() => train(c, resumed, 3, 6));
    expect(values(resumed)).toEqual(values(straight));
    a.dispose();
    c.dispose();
    tf.dispose([Object.values(straight), Object.values(resumed)]);
  });

  it('keys slots by parameter path and saves counters, rate and groups in the config', () => {
    const params = makeParams();
    const opt = optimizers.adamW({ learningRate: 0.01, groups: optimizers.noDecayGroups() });
    train(opt, params, 0, 2);
    opt.learningRateScale = 0.5;
    const state = opt.getState();
    expect(Object.keys(state.tensors).sort()).toEqual(['fc.bias/m', 'fc.bias/v', 'fc.kernel/m', 'fc.kernel/v', 'norm.gamma/m', 'norm.gamma/v']);
    expect(state.config).toMatchObject({
      name: 'adamw',
      iterations: 2,
      learningRateScale: 0.5,
      learningRate: 0.01,
      weightDecay: 0.01,
      groups: [{ learningRate: 0.01, weightDecay: 0 }],
      params: { 'fc.kernel': { step: 2, shape: [3, 2] } },
    });
    expect(JSON.parse(JSON.stringify(state.config))).toEqual(state.config);
    tf.dispose(Object.values(state.tensors));
    opt.dispose();
    tf.dispose(Object.values(params));
  });

  it('is strict about missing and extra entries, and unchanged after a failed load', () => {
    const params = makeParams();
    const opt = optimizers.adam();
    train(opt, params, 0, 2);
    const good = opt.getState();
    const fresh = optimizers.adam();
    train(fresh, params, 0, 1);
    const before = fresh.getState();
    const { 'fc.bias/v': dropped, ...missing } = good.tensors;
    expect(() => fresh.setState({ tensors: missing, config: good.config })).toThrowError(
      new ValueError("Optimizer 'adam': setState expected exactly the slots of the saved parameters, got missing 'fc.bias/v'", {
        help: 'pass { strict: false } to load what matches and start the rest afresh',
      }),
    );
    const extra = { ...good.tensors, 'head.kernel/m': tf.zeros([2]) };
    expect(() => fresh.setState({ tensors: extra, config: good.config })).toThrowError(/got unexpected 'head.kernel\/m'/);
    const wrongShape = { ...good.tensors, 'fc.bias/m': tf.zeros([3]) };
    expect(() => fresh.setState({ tensors: wrongShape, config: good.config })).toThrowError(
      new ShapeError("Optimizer 'adam': setState: tensors['fc.bias/m'] expected shape [2], got [3]"),
    );
    expect(() => fresh.setState({ tensors: good.tensors, config: { ...good.config, name: 'sgd' } })).toThrowError(
      "Optimizer 'adam': setState: config.name expected 'adam', got \"sgd\"",
    );
    // Nothing changed.
    const after = fresh.getState();
    expect(fresh.iterations).toBe(1);
    expect(after.config).toEqual(before.config);
    for (const k of Object.keys(before.tensors)) expect(Array.from(after.tensors[k].dataSync())).toEqual(Array.from(before.tensors[k].dataSync()));
    // Non-strict: a parameter with a missing slot starts afresh, the rest loads.
    fresh.setState({ tensors: missing, config: good.config }, { strict: false });
    const partial = fresh.getState();
    expect(Object.keys(partial.tensors).sort()).toEqual(['fc.kernel/m', 'fc.kernel/v', 'norm.gamma/m', 'norm.gamma/v']);
    tf.dispose([Object.values(good.tensors), Object.values(before.tensors), Object.values(after.tensors), Object.values(partial.tensors)]);
    tf.dispose([extra['head.kernel/m'], wrongShape['fc.bias/m'], dropped]);
    opt.dispose();
    fresh.dispose();
    tf.dispose(Object.values(params));
  });

  it('rejects bytes without an optimizer config', () => {
    const bytes = optimizers.stateToSafetensors({ tensors: {}, config: {} });
    expect(optimizers.stateFromSafetensors(bytes).config).toEqual({});
    expect(() => optimizers.stateFromSafetensors(new Uint8Array([1, 2, 3]), 'x.safetensors')).toThrowError(FormatError);
  });
});

describe('optimizer updates', () => {
  it('skips parameters without a gradient (their step count does not advance) and rejects unknown paths', () => {
    const params = makeParams();
    const opt = optimizers.adam({ learningRate: 0.1 });
    const g = gradsAt(0);
    opt.apply(params, { 'fc.bias': g['fc.bias'] });
    expect(Array.from(params['fc.kernel'].dataSync())).toEqual([0.5, -1, 2, 0.25, -0.3, 0.8].map(Math.fround));
    // Adam's first step moves each updated weight by lr·sign(g).
    expect(params['fc.bias'].dataSync()[0]).toBeCloseTo(0.1 - 0.1, 6);
    const before = values(params);
    expect(() => opt.apply(params, { 'fc.bias': g['fc.bias'], 'fc.kernal': g['fc.kernel'] })).toThrowError(
      /^Optimizer 'adam': grads expected only paths of params, got 'fc.kernal' which is not a parameter/,
    );
    expect(() => opt.apply(params, { 'fc.bias': g['fc.kernel'] })).toThrowError(
      new ShapeError("Optimizer 'adam': grads['fc.bias'] expected shape [2], got [3, 2]"),
    );
    expect(values(params)).toEqual(before); // a rejected update changes nothing
    expect(opt.iterations).toBe(1);
    opt.apply(params, { 'fc.kernel': g['fc.kernel'] });
    const state = opt.getState();
    expect(state.config.params).toEqual({ 'fc.bias': { step: 1, shape: [2] }, 'fc.kernel': { step: 1, shape: [3, 2] } });
    tf.dispose([Object.values(state.tensors), Object.values(g), Object.values(params)]);
    opt.dispose();
  });

  it('follows the schedule and the scale, per group', () => {
    const params = makeParams();
    const opt = optimizers.sgd({
      learningRate: schedules.step({ initial: 1, stepSize: 1, gamma: 0.5 }),
      groups: [{ match: (p) => p.startsWith('norm.'), learningRate: 0.01 }],
    });
    expect(opt.currentLearningRate()).toBe(1);
    const g = { 'fc.bias': tf.tensor1d([1, 1]), 'norm.gamma': tf.tensor1d([1, 1]) };
    opt.apply(params, g); // rate 1 and 0.01
    opt.learningRateScale = 0.5;
    expect(opt.currentLearningRate()).toBe(0.25);
    opt.apply(params, g); // rate 0.5·0.5 and 0.01·0.5
    expect(params['fc.bias'].dataSync()[0]).toBeCloseTo(0.1 - 1 - 0.25, 6);
    expect(params['norm.gamma'].dataSync()[0]).toBeCloseTo(1 - 0.01 - 0.005, 6);
    tf.dispose([Object.values(g), Object.values(params)]);
    opt.dispose();
  });

  it('noDecayGroups exempts biases and norm parameters from decay', () => {
    const [group] = optimizers.noDecayGroups();
    const match = group.match as RegExp;
    expect(['fc.bias', 'norm.gamma', 'bn.beta', 'bias'].every((p) => match.test(p))).toBe(true);
    expect(['fc.kernel', 'fc.biasx', 'embedding.embeddings'].some((p) => match.test(p))).toBe(false);
    const params = makeParams();
    const opt = optimizers.adamW({ learningRate: 0.1, weightDecay: 0.5, groups: optimizers.noDecayGroups() });
    opt.apply(params, { 'fc.bias': tf.zeros([2]), 'fc.kernel': tf.zeros([3, 2]) });
    expect(params['fc.bias'].dataSync()[0]).toBeCloseTo(0.1, 7); // no decay
    expect(params['fc.kernel'].dataSync()[0]).toBeCloseTo(0.5 * (1 - 0.05), 7);
    opt.dispose();
    tf.dispose(Object.values(params));
  });

  it('muon gives non-2-D parameters AdamW with its adamw options', () => {
    const a = makeParams();
    const b = makeParams();
    const m = optimizers.muon({ learningRate: 0.02, adamw: { learningRate: 3e-3, weightDecay: 0.02, beta2: 0.99 } });
    const w = optimizers.adamW({ learningRate: 3e-3, weightDecay: 0.02, beta2: 0.99 });
    for (let t = 0; t < 3; t++) {
      const g = gradsAt(t);
      m.apply(a, { 'fc.bias': g['fc.bias'], 'norm.gamma': g['norm.gamma'] });
      w.apply(b, { 'fc.bias': g['fc.bias'], 'norm.gamma': g['norm.gamma'] });
      tf.dispose(Object.values(g));
    }
    expect(values(a)).toEqual(values(b));
    m.dispose();
    w.dispose();
    tf.dispose([Object.values(a), Object.values(b)]);
  });

  it('muon orthogonalizes a conv kernel [kh, kw, in, out] as the matrix [kh·kw·in, out]', () => {
    const values4 = Array.from({ length: 2 * 2 * 3 * 4 }, (_, i) => Math.sin(i + 1));
    const grads4 = Array.from({ length: 48 }, (_, i) => Math.cos(3 * i));
    const conv = { k: tf.variable(tf.tensor(values4, [2, 2, 3, 4])) };
    const flat = { k: tf.variable(tf.tensor(values4, [12, 4])) };
    const a = optimizers.muon({ learningRate: 0.02, useMuon: (_p, shape) => shape.length >= 2 });
    const b = optimizers.muon({ learningRate: 0.02 });
    for (let t = 0; t < 2; t++) {
      const g4 = tf.tensor(grads4, [2, 2, 3, 4]);
      const g2 = tf.reshape(g4, [12, 4]);
      a.apply(conv, { k: g4 });
      b.apply(flat, { k: g2 });
      tf.dispose([g4, g2]);
    }
    const state = a.getState();
    expect(Object.keys(state.tensors)).toEqual(['k/momentum']);
    tf.dispose(Object.values(state.tensors));
    expect(Array.from(conv.k.dataSync())).toEqual(Array.from(flat.k.dataSync()));
    a.dispose();
    b.dispose();
    tf.dispose([conv.k, flat.k]);
  });

  it('validates options, naming the optimizer and the option', () => {
    expect(() => optimizers.sgd({ learningRate: -0.1 })).toThrowError(new ConfigError("Optimizer 'sgd': learningRate expected a finite number ≥ 0, got -0.1"));
    expect(() => optimizers.adam({ beta1: 1 })).toThrowError(new ConfigError("Optimizer 'adam': beta1 expected a number in [0, 1), got 1"));
    expect(() => optimizers.adamW({ beta2: -0.1 })).toThrowError("Optimizer 'adamw': beta2 expected a number in [0, 1), got -0.1");
    expect(() => optimizers.adam({ epsilon: 0 })).toThrowError("Optimizer 'adam': epsilon expected a finite number > 0, got 0");
    expect(() => optimizers.sgd({ nesterov: true })).toThrowError(
      "Optimizer 'sgd': nesterov expected momentum > 0 and dampening 0, got momentum 0 and dampening 0",
    );
    expect(() => optimizers.rmsprop({ momentum: 1.5 })).toThrowError("Optimizer 'rmsprop': momentum expected a number in [0, 1), got 1.5");
    expect(() => optimizers.lion({ weightDecay: -1 })).toThrowError("Optimizer 'lion': weightDecay expected a finite number ≥ 0, got -1");
    expect(() => optimizers.adafactor({ beta2Decay: 0.5 })).toThrowError("Optimizer 'adafactor': beta2Decay expected a number ≤ 0, got 0.5");
    expect(() => optimizers.muon({ nsSteps: 0 })).toThrowError("Optimizer 'muon': nsSteps expected an integer in [1, 100), got 0");
    expect(() => optimizers.muon({ adamw: { beta1: 2 } })).toThrowError("Optimizer 'muon': adamw.beta1 expected a number in [0, 1), got 2");
    expect(() => optimizers.scheduleFreeAdamW({ beta1: 0 })).toThrowError("Optimizer 'schedule_free_adamw': beta1 expected a number in (0, 1), got 0");
    expect(() => optimizers.adam({ lr: 0.1 } as never)).toThrowError(/^Optimizer 'adam': option 'lr' expected one of learningRate, weightDecay, groups, beta1/);
    expect(() => optimizers.adam({ groups: [{ match: 'bias' as never }] })).toThrowError(
      "Optimizer 'adam': groups[0].match expected a RegExp or a function of the path, got string",
    );
    expect(() => optimizers.adam({ groups: [{ match: /x/, learningRate: -1 }] })).toThrowError(
      "Optimizer 'adam': groups[0].learningRate expected a finite number ≥ 0, got -1",
    );
    expect(() => optimizers.adam({ learningRate: ((s: number) => s) as never })).toThrowError(/learningRate expected a number or a Schedule \(with a config\), got a plain function/);
    const scaled = optimizers.sgd();
    scaled.learningRateScale = -1;
    expect(() => scaled.apply({}, {})).toThrowError("Optimizer 'sgd': learningRateScale expected a finite number ≥ 0, got -1");
    const opt = optimizers.sgd();
    opt.dispose();
    expect(() => opt.apply({}, {})).toThrowError("Optimizer 'sgd': expected a live optimizer, got one already disposed");
  });
});
