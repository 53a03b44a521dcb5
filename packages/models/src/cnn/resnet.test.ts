import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { CifarResNet, ResNet, resnet18, resnet20, resnet32, resnet34, resnet50, resnet56 } from '../index.js';
import { adamSteps, crossEntropy, trainableCount } from '../transfer/internal/testing.js';

/** Closed-form trainable parameter count of a torchvision-layout ResNet. */
function resnetClosedForm(block: 'basic' | 'bottleneck', layers: number[], width: number, classes: number, inChannels = 3): number {
  let n = 49 * inChannels * width + 2 * width; // conv1 + bn1
  let c = width;
  layers.forEach((count, i) => {
    const p = width * 2 ** i;
    for (let b = 0; b < count; b++) {
      const stride = b === 0 && i > 0 ? 2 : 1;
      if (block === 'basic') {
        n += 9 * c * p + 9 * p * p + 4 * p;
        if (stride !== 1 || c !== p) n += c * p + 2 * p;
        c = p;
      } else {
        n += c * p + 9 * p * p + p * 4 * p + 2 * p + 2 * p + 8 * p;
        if (stride !== 1 || c !== 4 * p) n += c * 4 * p + 8 * p;
        c = 4 * p;
      }
    }
  });
  return n + c * classes + classes;
}

/** Closed form of the CIFAR ResNet with option A shortcuts. */
function cifarClosedForm(depth: number, width: number, classes: number): number {
  const blocks = (depth - 2) / 6;
  let n = 27 * width + 2 * width;
  let c = width;
  for (let i = 0; i < 3; i++) {
    const p = width * 2 ** i;
    for (let b = 0; b < blocks; b++) {
      n += 9 * c * p + 9 * p * p + 4 * p;
      c = p;
    }
  }
  return n + c * classes + classes;
}

describe('ResNet', () => {
  it('has the published parameter counts (shape-only build, no tensors)', () => {
    const before = tf.memory().numTensors;
    expect(trainableCount(resnet18().parameterShapes([null, 224, 224, 3]))).toBe(11_689_512);
    expect(trainableCount(resnet34().parameterShapes([null, 224, 224, 3]))).toBe(21_797_672);
    expect(trainableCount(resnet50().parameterShapes([null, 224, 224, 3]))).toBe(25_557_032);
    expect(trainableCount(resnet20().parameterShapes([null, 32, 32, 3]))).toBe(269_722);
    expect(trainableCount(resnet32().parameterShapes([null, 32, 32, 3]))).toBe(464_154);
    expect(trainableCount(resnet56().parameterShapes([null, 32, 32, 3]))).toBe(853_018);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('parameter counts equal the closed form', () => {
    const cases: [('basic' | 'bottleneck'), number[], number, number][] = [
      ['basic', [2, 2, 2, 2], 64, 1000],
      ['basic', [1, 2, 1, 3], 8, 7],
      ['bottleneck', [3, 4, 6, 3], 64, 1000],
      ['bottleneck', [1, 1, 2, 1], 4, 5],
    ];
    for (const [block, layers, width, classes] of cases) {
      const shapes = new ResNet({ block, layers, width, classes }).parameterShapes([null, 64, 64, 3]);
      expect(trainableCount(shapes)).toBe(resnetClosedForm(block, layers, width, classes));
    }
    for (const depth of [8, 20, 44]) {
      expect(trainableCount(new CifarResNet({ depth, width: 4, classes: 3 }).parameterShapes([null, 8, 8, 3]))).toBe(cifarClosedForm(depth, 4, 3));
    }
    // A real build counts the same as the shape-only one.
    const tiny = new ResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], width: 2, classes: 3 }).build([null, 32, 32, 3], rng(1));
    expect(tiny.countParams().trainable).toBe(resnetClosedForm('bottleneck', [1, 1, 1, 1], 2, 3));
    tiny.dispose();
  });

  it('forward shapes: batch 1, odd sizes, both blocks, with and without the head', async () => {
    const x = tf.ones([1, 33, 35, 3]);
    const cases: [ResNet | CifarResNet, number[]][] = [
      [new ResNet({ layers: [1, 1, 1, 1], width: 4, classes: 5 }), [1, 5]],
      [new ResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], width: 2, classes: 5 }), [1, 5]],
      [new ResNet({ layers: [1, 1, 1, 1], width: 4, includeTop: false }), [1, 2, 2, 32]],
      [new ResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], width: 2, includeTop: false, pooling: 'avg' }), [1, 64]],
      [new CifarResNet({ depth: 8, width: 4 }), [1, 10]],
      [new CifarResNet({ depth: 8, width: 4, shortcut: 'projection', includeTop: false, pooling: 'max' }), [1, 16]],
    ];
    for (const [model, shape] of cases) {
      model.build([null, 33, 35, 3], rng(2));
      const y = await expectNoLeaks(() => model.apply(x), model.name);
      expect(y.shape).toEqual(shape);
      expect(model.outputShape([null, 33, 35, 3])).toEqual([null, ...shape.slice(1)]);
      y.dispose();
      model.dispose();
    }
    const m = new ResNet({ layers: [1, 1, 1, 1], width: 4, classes: 5 }).build([null, 33, 35, 3], rng(3));
    const f = m.features(x);
    expect(f.shape).toEqual([1, 32]);
    expect(Object.keys(m.parameters()).slice(0, 8)).toEqual([
      'conv1.kernel', 'bn1.gamma', 'bn1.beta', 'layer1.0.conv1.kernel', 'layer1.0.bn1.gamma', 'layer1.0.bn1.beta', 'layer1.0.conv2.kernel', 'layer1.0.bn2.gamma',
    ]);
    expect(Object.keys(m.parameters())).toContain('layer2.0.downsample.0.kernel');
    tf.dispose([x, f]);
    m.dispose();
  });

  it('checks its configuration', () => {
    expect(() => new ResNet({ layers: [2, 2, 2] })).toThrow(new ConfigError("ResNet 'resnet': layers expected 4 stage sizes, got [2, 2, 2]"));
    expect(() => new ResNet({ block: 'wide' as never })).toThrow(new ConfigError("ResNet 'resnet': block expected one of 'basic', 'bottleneck', got 'wide'"));
    expect(() => new ResNet({ width: 0 })).toThrow(new ConfigError("ResNet 'resnet': width expected a positive integer, got 0"));
    expect(() => resnet18({ classes: 2.5 })).toThrow(new ConfigError("ResNet 'resnet18': classes expected a positive integer, got 2.5"));
    expect(() => resnet18({ pooling: 'avg' })).toThrow(/^ResNet 'resnet18': pooling expected unset with includeTop true, got 'avg'\nhelp: the head has its own pooling/);
    expect(() => resnet18({ includeTop: false, pooling: 'sum' as never })).toThrow(
      new ConfigError("ResNet 'resnet18': pooling expected one of 'avg', 'max', null, got 'sum'"),
    );
    expect(() => new CifarResNet({ depth: 21 })).toThrow(new ConfigError("CifarResNet 'cifar_resnet': depth expected 6n + 2 with n ≥ 1 (8, 14, 20, 32, 56, ...), got 21"));
    expect(() => new CifarResNet({ shortcut: 'none' as never })).toThrow(/shortcut expected one of 'padding', 'projection', got 'none'/);
  });

  it('overfits a tiny batch: the ImageNet layout', () => {
    // 6 random 32×32 images, 3 labels, basic blocks of width 4: cross-entropy from ≈ ln 3 to
    // below 0.1 in 8 Adam steps (0.025 measured).
    const model = new ResNet({ layers: [1, 1, 1, 1], width: 4, classes: 3 }).build([null, 32, 32, 3], rng(7));
    const x = rng(8).normalTensor([6, 32, 32, 3]);
    const losses = adamSteps([model], () => crossEntropy(model.apply(x, { training: true }), [0, 1, 2, 2, 1, 0]), 8, 0.01);
    expect(losses[0]!).toBeGreaterThan(0.8);
    expect(losses.at(-1)!).toBeLessThan(0.1);
    x.dispose();
    model.dispose();
  });

  it('overfits a tiny batch', () => {
    // 6 random 8×8 images with 3 labels: 25 Adam steps take cross-entropy from ≈ ln 3 ≈ 1.1 to
    // below 0.1 — a model that cannot fit 6 points (wrong gradients, a broken shortcut) stays near ln 3.
    const model = new CifarResNet({ depth: 8, width: 4, classes: 3 }).build([null, 8, 8, 3], rng(5));
    const x = rng(6).normalTensor([6, 8, 8, 3]);
    const labels = [0, 1, 2, 2, 1, 0];
    const losses = adamSteps([model], () => crossEntropy(model.apply(x, { training: true }), labels), 25, 0.03);
    expect(losses[0]!).toBeGreaterThan(0.8);
    expect(losses.at(-1)!).toBeLessThan(0.1);
    x.dispose();
    model.dispose();
  });
});
