import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { BatchNorm, Conv2D, Dense, Flatten, Module, Sequential } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';

function stack(): Sequential {
  return new Sequential(
    [
      new Dense({ units: 3, name: 'layer1' }),
      new BatchNorm({ name: 'bn' }),
      new Dense({ units: 3, name: 'layer2' }),
      new Dense({ units: 2, name: 'head' }),
    ],
    { name: 'net' },
  );
}

const trainableNames = (m: Module): string[] => Object.keys(m.trainableParameters());

/** A module that builds by running call (the default onBuild): not shape-only capable. */
class ByCall extends Module {
  readonly fc = this.addModule('fc', new Dense({ units: 2 }));
  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return this.fc.apply(x, options);
  }
}

describe('Module transfer-learning helpers', () => {
  it('loadState strict: all-or-nothing, a failed load leaves the state unchanged', () => {
    const a = stack().build([null, 4], rng(1));
    const b = stack().build([null, 4], rng(2));
    const before = Array.from(b.parameters()['layer1.kernel']!.dataSync());
    const partial = { ...a.state() };
    delete partial['head.bias'];
    expect(() => b.loadState(partial)).toThrow(/head\.bias/);
    expect(Array.from(b.parameters()['layer1.kernel']!.dataSync())).toEqual(before);
    const report = b.loadState(a.state());
    expect(report.loaded.length).toBe(Object.keys(a.state()).length);
    expect(report.missing).toEqual([]);
    expect(Array.from(b.parameters()['layer1.kernel']!.dataSync())).toEqual(Array.from(a.parameters()['layer1.kernel']!.dataSync()));
    a.dispose();
    b.dispose();
  });

  it('loadState non-strict reports loaded, missing, unexpected and misshapen entries', () => {
    const a = stack().build([null, 4], rng(1));
    const other = new Sequential([new Dense({ units: 3, name: 'layer1' }), new Dense({ units: 5, name: 'head' })], { name: 'o' }).build([null, 4], rng(3));
    const extra = tf.zeros([2]);
    const before = Array.from(a.parameters()['head.kernel']!.dataSync());
    const report = a.loadState({ ...other.state(), stray: extra }, { strict: false });
    expect(report.loaded).toEqual(['layer1.kernel', 'layer1.bias']);
    expect(report.missing).toEqual(['bn.gamma', 'bn.beta', 'layer2.kernel', 'layer2.bias', 'bn.movingMean', 'bn.movingVariance']);
    expect(report.unexpected).toEqual(['stray']);
    expect(report.shapeMismatched).toEqual([
      { name: 'head.kernel', expected: [3, 2], actual: [3, 5], expectedDtype: 'float32', actualDtype: 'float32' },
      { name: 'head.bias', expected: [2], actual: [5], expectedDtype: 'float32', actualDtype: 'float32' },
    ]);
    expect(Array.from(a.parameters()['head.kernel']!.dataSync())).toEqual(before);
    expect(Array.from(a.parameters()['layer1.kernel']!.dataSync())).toEqual(Array.from(other.parameters()['layer1.kernel']!.dataSync()));
    extra.dispose();
    a.dispose();
    other.dispose();
  });

  it('loadState strips a prefix and renames (record or function, null skips)', () => {
    const a = stack().build([null, 4], rng(1));
    const k = tf.fill([4, 3], 0.5);
    const bias = tf.fill([3], 0.25);
    const src = { 'model.fc1.w': k, 'model.fc1.b': bias, 'other.x': bias };
    const r1 = a.loadState(src, { strict: false, prefix: 'model.', rename: { 'fc1.w': 'layer1.kernel', 'fc1.b': 'layer1.bias' } });
    expect(r1.loaded).toEqual(['layer1.kernel', 'layer1.bias']);
    expect(r1.unexpected).toEqual([]);
    expect(a.parameters()['layer1.bias']!.dataSync()[0]).toBe(0.25);
    const r2 = a.loadState(src, { strict: false, prefix: 'model.', rename: (n) => (n === 'fc1.w' ? 'layer1.kernel' : null) });
    expect(r2.loaded).toEqual(['layer1.kernel']);
    expect(() => a.loadState(src, { strict: false, rename: () => 'same' })).toThrow(
      new ConfigError("Sequential 'net': loadState rename expected distinct names, got 'same' twice"),
    );
    [k, bias].forEach((t) => t.dispose());
    a.dispose();
  });

  it('freeze by path, list, upTo and predicate; unfreeze by path', () => {
    const m = stack().build([null, 4], rng(1));
    m.freeze({ upTo: 'layer2' });
    expect(trainableNames(m)).toEqual(['head.kernel', 'head.bias']);
    m.unfreeze('layer2');
    expect(trainableNames(m)).toEqual(['layer2.kernel', 'layer2.bias', 'head.kernel', 'head.bias']);
    m.unfreeze();
    m.freeze(['layer1', 'head']);
    expect(trainableNames(m)).toEqual(['bn.gamma', 'bn.beta', 'layer2.kernel', 'layer2.bias']);
    m.unfreeze();
    m.freeze((name) => name.endsWith('.bias'));
    expect(trainableNames(m)).toEqual(['layer1.kernel', 'bn.gamma', 'bn.beta', 'layer2.kernel', 'head.kernel']);
    expect(() => m.freeze('layer9')).toThrow(
      new ConfigError("Sequential 'net': freeze expected a module path such as 'layer1', 'bn', 'layer2', 'head', got 'layer9'"),
    );
    expect(() => m.unfreeze({ upTo: 'nope' })).toThrow(/unfreeze expected a module path/);
    m.dispose();
  });

  it('a frozen batch norm runs in inference mode and keeps its running statistics', () => {
    const m = stack().build([null, 4], rng(1));
    const bn = m.namedChildren().get('bn')!;
    const x = tf.tensor2d([[1, 2, 3, 4], [-1, 0, 5, 2], [3, 3, 3, 3]]);
    const stats = (): number[] => Array.from(bn.buffers()['movingMean']!.dataSync());
    const initial = stats();
    m.freeze('bn');
    expect(bn.isFrozen).toBe(true);
    const trained = m.apply(x, { training: true });
    const inference = m.apply(x, { training: false });
    expect(Array.from(trained.dataSync())).toEqual(Array.from(inference.dataSync()));
    expect(stats()).toEqual(initial);
    m.unfreeze('bn');
    expect(bn.isFrozen).toBe(false);
    tf.dispose(m.apply(x, { training: true }));
    expect(stats()).not.toEqual(initial);
    tf.dispose([x, trained, inference]);
    m.dispose();
  });

  it('shape-only build: parameter shapes without tensors, module left unbuilt', () => {
    const make = () =>
      new Sequential([new Conv2D({ filters: 8, kernelSize: 3, name: 'conv' }), new BatchNorm({ name: 'bn' }), new Flatten(), new Dense({ units: 10, name: 'fc' })]);
    const m = make();
    const before = tf.memory().numTensors;
    const shapes = m.parameterShapes([null, 10, 10, 3]);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.built).toBe(false);
    expect(shapes).toEqual({
      'conv.kernel': { shape: [3, 3, 3, 8], trainable: true, kind: 'parameter' },
      'conv.bias': { shape: [8], trainable: true, kind: 'parameter' },
      'bn.gamma': { shape: [8], trainable: true, kind: 'parameter' },
      'bn.beta': { shape: [8], trainable: true, kind: 'parameter' },
      'fc.kernel': { shape: [512, 10], trainable: true, kind: 'parameter' },
      'fc.bias': { shape: [10], trainable: true, kind: 'parameter' },
      'bn.movingMean': { shape: [8], trainable: false, kind: 'state' },
      'bn.movingVariance': { shape: [8], trainable: false, kind: 'state' },
    });
    // The module builds normally afterwards, with the same initial weights as a fresh one.
    m.build([null, 10, 10, 3], rng(4));
    const fresh = make().build([null, 10, 10, 3], rng(4));
    expect(Array.from(m.parameters()['fc.kernel']!.dataSync())).toEqual(Array.from(fresh.parameters()['fc.kernel']!.dataSync()));
    expect(Object.keys(m.parameterShapes([null, 10, 10, 3]))).toEqual(Object.keys(shapes));
    expect(() => make().parameterShapes([null, 2, 2, 3])).toThrow(ShapeError);
    expect(() => new ByCall().parameterShapes([null, 3])).toThrow(
      "ByCall 'by_call': a shape-only build expected onBuild to propagate shapes, got the default that runs call()",
    );
    m.dispose();
    fresh.dispose();
  });

  it('does not leak in loadState or frozen training', async () => {
    const a = stack().build([null, 4], rng(1));
    const b = stack().build([null, 4], rng(2));
    const x = tf.ones([2, 4]);
    await expectNoLeaks(() => {
      b.loadState(a.state(), { strict: false });
      b.freeze({ upTo: 'bn' });
      tf.dispose(b.apply(x, { training: true }));
    }, 'transfer helpers');
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });
});
