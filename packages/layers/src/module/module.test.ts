import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, ShapeError, expectNoLeaks, readSafetensors, rng, tf, writeSafetensors } from '@tensorloom/core';
import { Add, Concatenate, Conv2D, Dense, Dropout, Flatten, Module, Sequential, defaultName, l2, maxNorm } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';

/** A residual block written the PyTorch way: children as fields, forward in call(). */
class Residual extends Module {
  readonly fc1 = this.addModule('fc1', new Dense({ units: 4, activation: 'relu' }));
  readonly fc2 = this.addModule('fc2', new Dense({ units: 4 }));
  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => tf.add(x, this.fc2.apply(this.fc1.apply(x, options), options)));
  }
}

/** Two inputs, two outputs, a shared child used twice. */
class TwoTower extends Module<[tf.Tensor, tf.Tensor], { joint: tf.Tensor; left: tf.Tensor }> {
  readonly shared = this.addModule('shared', new Dense({ units: 3 }));
  readonly merge = this.addModule('merge', new Concatenate());
  protected call([a, b]: [tf.Tensor, tf.Tensor], options: ApplyOptions) {
    const left = this.shared.apply(a, options);
    const right = this.shared.apply(b, options);
    return { joint: this.merge.apply([left, right]), left };
  }
}

describe('Module', () => {
  it('derives default names from class names', () => {
    expect(defaultName('Conv2D')).toBe('conv2d');
    expect(defaultName('MaxPool2D')).toBe('max_pool2d');
    expect(defaultName('Conv2DTranspose')).toBe('conv2d_transpose');
    expect(defaultName('SimpleRNN')).toBe('simple_rnn');
    expect(defaultName('LSTM')).toBe('lstm');
    expect(defaultName('GlobalAvgPool1D')).toBe('global_avg_pool1d');
    expect(new Dense({ units: 1 }).name).toBe('dense');
  });

  it('names parameters by dotted path and dedupes Sequential keys', () => {
    const model = new Sequential([new Dense({ units: 3 }), new Dense({ units: 2 }), new Dense({ units: 2, name: 'head', useBias: false })]);
    model.build([null, 4], rng(1));
    expect(Object.keys(model.parameters())).toEqual(['dense.kernel', 'dense.bias', 'dense_1.kernel', 'dense_1.bias', 'head.kernel']);
    expect([...model.namedChildren().keys()]).toEqual(['dense', 'dense_1', 'head']);
  });

  it('initialises deterministically; adding a layer does not change the others', () => {
    const a = new Sequential([new Dense({ units: 3, name: 'fc1' }), new Dense({ units: 2, name: 'fc2' })]).build([null, 4], rng(7));
    const b = new Sequential([new Dense({ units: 3, name: 'fc1' }), new Dense({ units: 2, name: 'fc2' })]).build([null, 4], rng(7));
    const c = new Sequential([new Dense({ units: 3, name: 'fc1' }), new Dense({ units: 3, name: 'extra' }), new Dense({ units: 2, name: 'fc2' })]).build([null, 4], rng(7));
    const d = new Sequential([new Dense({ units: 3, name: 'fc1' })]).build([null, 4], rng(8));
    const values = (m: Module, k: string) => Array.from(m.parameters()[k]!.dataSync());
    expect(values(a, 'fc1.kernel')).toEqual(values(b, 'fc1.kernel'));
    expect(values(a, 'fc1.kernel')).toEqual(values(c, 'fc1.kernel'));
    expect(values(a, 'fc1.kernel')).not.toEqual(values(d, 'fc1.kernel'));
    [a, b, c, d].forEach((m) => m.dispose());
  });

  it('builds lazily on first apply (seed 0) and records shapes', () => {
    const lazy = new Sequential([new Dense({ units: 5 }), new Dense({ units: 2 })]);
    expect(lazy.built).toBe(false);
    const y = lazy.apply(tf.ones([3, 4]));
    expect(y.shape).toEqual([3, 2]);
    expect(lazy.built).toBe(true);
    const eager = new Sequential([new Dense({ units: 5 }), new Dense({ units: 2 })]).build([null, 4], rng(0));
    expect(Array.from(lazy.parameters()['dense.kernel']!.dataSync())).toEqual(Array.from(eager.parameters()['dense.kernel']!.dataSync()));
  });

  it('composes by subclassing: residual blocks, several inputs and outputs, shared weights', () => {
    const block = new Residual({ name: 'block' }).build([null, 4], rng(1));
    expect(Object.keys(block.parameters())).toEqual(['fc1.kernel', 'fc1.bias', 'fc2.kernel', 'fc2.bias']);
    expect(block.outputShape([null, 4])).toEqual([null, 4]);
    const x = rng(2).normalTensor([2, 4]);
    const manual = tf.add(x, block.fc2.apply(block.fc1.apply(x)));
    expect(block.apply(x).arraySync()).toEqual(manual.arraySync());

    const towers = new TwoTower().build([[null, 2], [null, 2]], rng(3));
    expect(Object.keys(towers.parameters())).toEqual(['shared.kernel', 'shared.bias']);
    const out = towers.apply([tf.ones([5, 2]), tf.zeros([5, 2])]);
    expect(out.joint.shape).toEqual([5, 6]);
    expect(out.left.shape).toEqual([5, 3]);
    expect(towers.outputShape([[null, 2], [null, 2]])).toEqual({ joint: [null, 6], left: [null, 3] });
  });

  it('nests modules: a Sequential of residual blocks', () => {
    const model = new Sequential([new Dense({ units: 4, name: 'stem' }), new Residual({ name: 'b1' }), new Residual({ name: 'b2' }), new Dense({ units: 1 })]);
    model.build([null, 3], rng(4));
    expect(Object.keys(model.parameters())).toContain('b2.fc1.kernel');
    expect([...model.modules()].map(([path]) => path)).toEqual(['', 'stem', 'b1', 'b1.fc1', 'b1.fc2', 'b2', 'b2.fc1', 'b2.fc2', 'dense']);
  });

  it('round-trips its state through safetensors and loads strictly', () => {
    const make = (seed: number) => new Sequential([new Dense({ units: 4 }), new Residual({ name: 'res' })]).build([null, 3], rng(seed));
    const a = make(1);
    const b = make(2);
    const { tensors } = readSafetensors(writeSafetensors(a.state()));
    b.loadState(tensors);
    const x = rng(3).normalTensor([2, 3]);
    expect(b.apply(x).arraySync()).toEqual(a.apply(x).arraySync());

    b.loadState(b.state()); // its own variables: a no-op, not a corruption
    expect(b.apply(x).arraySync()).toEqual(a.apply(x).arraySync());

    const { 'dense.bias': _dropped, ...missing } = tensors;
    expect(() => b.loadState(missing)).toThrowError(new ShapeError("Sequential 'sequential': loadState: entry 'dense.bias' is missing (expected shape [4])"));
    expect(() => b.loadState({ ...tensors, 'dense.extra': tf.zeros([1]) })).toThrowError(/^Sequential 'sequential': loadState: entry 'dense.extra' is not expected \(shape \[1\]\)/);
    expect(() => b.loadState({ ...tensors, 'dense.kernel': tf.zeros([4, 3]) })).toThrowError(
      "Sequential 'sequential': loadState: entry 'dense.kernel' expected shape [3, 4], got [4, 3]",
    );
    expect(() => b.loadState({ ...tensors, 'dense.bias': tf.zeros([4], 'int32') })).toThrowError(DTypeError);
    expect(() => new Dense({ units: 1 }).loadState({})).toThrowError(/loadState needs a built module/);
  });

  it('freezes and unfreezes subtrees; counts parameters', () => {
    const model = new Sequential([new Dense({ units: 3, name: 'backbone' }), new Dense({ units: 2, name: 'head' })]).build([null, 4], rng(1));
    expect(model.countParams()).toEqual({ trainable: 15 + 8, nonTrainable: 0, total: 23 });
    (model.namedChildren().get('backbone') as Module).freeze();
    expect(Object.keys(model.trainableParameters())).toEqual(['head.kernel', 'head.bias']);
    expect(model.countParams()).toEqual({ trainable: 8, nonTrainable: 15, total: 23 });
    const { grads } = tf.variableGrads(() => tf.sum(model.apply(tf.ones([1, 4]))) as tf.Scalar, Object.values(model.trainableParameters()));
    expect(Object.keys(grads)).toHaveLength(2);
    model.unfreeze();
    expect(Object.keys(model.trainableParameters())).toHaveLength(4);
  });

  it('sums regularizer penalties and applies constraints', () => {
    const layer = new Dense({ units: 2, kernelRegularizer: l2(0.5), kernelConstraint: maxNorm(1), useBias: false }).build([null, 2]);
    layer.loadState({ kernel: tf.tensor([[3, 0], [4, 0.5]]) });
    // 0.5 · (9 + 16 + 0.25)
    expect(layer.regularizationLoss().dataSync()[0]).toBeCloseTo(12.625, 5);
    layer.applyConstraints();
    // column norms 5 and 0.5 → first column scaled to norm 1, second unchanged
    const k = layer.kernel!.arraySync() as number[][];
    expect(k[0]![0]).toBeCloseTo(0.6, 5);
    expect(k[1]![0]).toBeCloseTo(0.8, 5);
    expect(k[1]![1]).toBeCloseTo(0.5, 5);
    expect(new Dense({ units: 1 }).build([null, 1]).regularizationLoss().dataSync()[0]).toBe(0);
  });

  it('prints a summary with output shapes and parameter counts', () => {
    const model = new Sequential([new Flatten(), new Dense({ units: 16, activation: 'relu' }), new Dropout({ rate: 0.2 }), new Dense({ units: 10 })], { name: 'mlp' });
    const text = model.summary([null, 28, 28]);
    expect(text).toContain("Model: Sequential 'mlp'");
    expect(text).toMatch(/flatten \(Flatten\)\s+\[null, 784\]\s+0/);
    expect(text).toMatch(/dense \(Dense\)\s+\[null, 16\]\s+12,560/);
    expect(text).toMatch(/dense_1 \(Dense\)\s+\[null, 10\]\s+170/);
    expect(text).toContain('Total params: 12,730');
    expect(text).toContain('Trainable params: 12,730');
    expect(text).toContain('Non-trainable params: 0');
    expect(() => new Sequential([new Dense({ units: 1 })], { name: 'x' }).summary()).toThrowError(/summary needs a built module or an input shape/);
  });

  it('reports configuration errors by name', () => {
    expect(() => new Dense({ units: 1, name: 'a.b' })).toThrowError(/^Dense: name expected letters, digits, '_' or '-', got 'a.b'/);
    expect(() => new Sequential([])).toThrowError(new ConfigError("Sequential 'sequential': layers expected at least 1, got 0"));
    const shared = new Dense({ units: 1, name: 'fc' });
    new Sequential([shared], { name: 'first' });
    expect(() => new Sequential([shared], { name: 'second' })).toThrowError("Sequential 'second': module Dense 'fc' already belongs to Sequential 'first'");
  });

  it('does not leak in build, apply, gradients or dispose', async () => {
    await expectNoLeaks(() => {
      const m = new Sequential([new Dense({ units: 4 }), new Residual()]).build([null, 2], rng(1));
      const x = tf.ones([2, 2]);
      m.apply(x, { training: true }).dispose();
      const { value, grads } = tf.variableGrads(() => tf.sum(m.apply(x)) as tf.Scalar, Object.values(m.trainableParameters()));
      tf.dispose([value, grads, x]);
      m.regularizationLoss().dispose();
      m.summary();
      m.dispose();
    }, 'module lifecycle');
  });

  it('Add and Concatenate compose graphs with checked shapes', () => {
    const add = new Add({ name: 'skip' });
    expect(add.outputShape([[null, 4], [null, 4]])).toEqual([null, 4]);
    expect(add.outputShape([[null, 4], [1, 4]])).toEqual([null, 4]);
    expect(() => add.outputShape([[null, 4], [null, 3]])).toThrowError("Add 'skip': inputs must broadcast, got [null, 4] and [null, 3]");
    expect(add.apply([tf.ones([2, 2]), tf.ones([2, 2])]).arraySync()).toEqual([[2, 2], [2, 2]]);
  });
});

describe('a failed build leaves nothing built', () => {
  it('a later child rejecting its shape un-builds the earlier ones, frees their parameters, and a right build then works', () => {
    const model = new Sequential([new Dense({ units: 4, name: 'fc' }), new Conv2D({ filters: 2, kernelSize: 3, name: 'conv' })], { name: 'stack' });
    const tensors = tf.memory().numTensors;
    expect(() => model.build([null, 6], rng(1))).toThrow(/Conv2D 'conv'/);
    expect(model.built).toBe(false);
    expect(model.layers.map((l) => l.built)).toEqual([false, false]);
    expect(Object.keys(model.parameters())).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    model.build([null, 5, 5, 3], rng(1));
    expect(model.parameters()['fc.kernel']!.shape).toEqual([3, 4]);
    expect(model.apply(tf.zeros([2, 5, 5, 3])).shape).toEqual([2, 3, 3, 2]);
    // The same weights as a model built right the first time: the failed build drew nothing.
    const fresh = new Sequential([new Dense({ units: 4, name: 'fc' }), new Conv2D({ filters: 2, kernelSize: 3, name: 'conv' })], { name: 'stack' }).build(
      [null, 5, 5, 3],
      rng(1),
    );
    for (const [k, v] of Object.entries(fresh.parameters())) expect(Array.from(model.parameters()[k]!.dataSync())).toEqual(Array.from(v.dataSync()));
    model.dispose();
    fresh.dispose();
  });

  it('a child built before the failed build stays built', () => {
    const first = new Dense({ units: 4, name: 'fc' }).build([null, 6], rng(2));
    const model = new Sequential([first, new Conv2D({ filters: 2, kernelSize: 3, name: 'conv' })], { name: 'stack' });
    expect(() => model.build([null, 6])).toThrow(/Conv2D 'conv'/);
    expect(first.built).toBe(true);
    expect(first.parameters()['kernel']!.shape).toEqual([6, 4]);
    model.dispose();
  });
});

describe('callRngState', () => {
  it('saves and restores the per-call random stream: the same dropout masks follow', () => {
    const model = new Sequential([new Dropout({ rate: 0.5, name: 'drop' })], { name: 'd' }).build([null, 16], rng(3));
    const drop = model.layers[0]!;
    expect(drop.callRngState()).toBeNull();
    const x = tf.ones([2, 16]);
    model.apply(x, { training: true }).dispose();
    const saved = drop.callRngState();
    expect(saved).toHaveLength(4);
    const next = model.apply(x, { training: true });
    drop.setCallRngState(saved);
    const again = model.apply(x, { training: true });
    expect(Array.from(again.dataSync())).toEqual(Array.from(next.dataSync()));
    expect(() => drop.setCallRngState([1, 2, 3])).toThrow("Dropout 'drop': setCallRngState expected four 32-bit integers or null, got [1,2,3]");
    tf.dispose([x, next, again]);
    model.dispose();
  });
});
