import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeModel } from './onnx.js';
import { checkSynchronousRun, createSession, loadOrt, ORT_VERSION, ortTensor } from './ort.js';

// These tests fail loudly when an onnxruntime-node upgrade takes away what the backend
// stands on: a binding whose run computes synchronously into preallocated outputs.
describe('the onnxruntime-node adapter', () => {
  it(`is onnxruntime-node ${ORT_VERSION}, the version it was checked against`, () => {
    expect(loadOrt().version).toBe(ORT_VERSION);
    const require = createRequire(import.meta.url);
    const manifest = require('../../package.json') as { dependencies: Record<string, string> };
    expect(manifest.dependencies['onnxruntime-node']).toBe(ORT_VERSION);
  });

  it("runs the binding synchronously: the output is filled when run returns", () => {
    expect(() => checkSynchronousRun()).not.toThrow();
    const { binding } = loadOrt();
    const session = new binding.InferenceSession();
    const model = encodeModel({
      inputs: [{ name: 'x0', shape: [3] }],
      outputs: [{ name: 'y0', shape: [3] }],
      nodes: [{ op: 'Relu', inputs: ['x0'], outputs: ['y0'] }],
    });
    session.loadModel(model.buffer, model.byteOffset, model.byteLength, {});
    const y = new Float32Array(3);
    const result = session.run({ x0: ortTensor(new Float32Array([-1, 2, -3]), [3]) }, { y0: ortTensor(y, [3]) }, {});
    expect(result instanceof Promise, 'binding run returned a Promise').toBe(false);
    expect(Array.from(y)).toEqual([0, 2, 0]);
    session.dispose();
  });

  it('reads inputs and writes outputs in place through views at any offset', () => {
    const heap = new Float32Array(16);
    heap.set([1, 2, 3, 4], 3);
    const session = createSession(
      encodeModel({
        inputs: [{ name: 'x0', shape: [2, 2] }],
        outputs: [{ name: 'y0', shape: [2, 2] }],
        nodes: [{ op: 'Transpose', inputs: ['x0'], outputs: ['y0'], attrs: { perm: [1, 0] } }],
      }),
      1,
    );
    session.run({ x0: ortTensor(heap.subarray(3, 7), [2, 2]) }, { y0: ortTensor(heap.subarray(9, 13), [2, 2]) });
    expect(Array.from(heap.subarray(9, 13))).toEqual([1, 3, 2, 4]);
    expect(heap[8]).toBe(0);
    expect(heap[13]).toBe(0);
    session.dispose();
  });

  it('encodes float and int64 constants that ONNX Runtime reads back', () => {
    const session = createSession(
      encodeModel({
        inputs: [{ name: 'x0', shape: [2, 3] }],
        outputs: [{ name: 'y0', shape: [3, 2] }],
        nodes: [
          { op: 'Reshape', inputs: ['x0', 'shape'], outputs: ['r'] },
          { op: 'LeakyRelu', inputs: ['r'], outputs: ['y0'], attrs: { alpha: { float: 0.5 } } },
        ],
        constants: { shape: [3, 2] },
      }),
      1,
    );
    const y = new Float32Array(6);
    session.run({ x0: ortTensor(new Float32Array([1, -2, 3, -4, 5, -6]), [2, 3]) }, { y0: ortTensor(y, [3, 2]) });
    expect(Array.from(y)).toEqual([1, -1, 3, -2, 5, -3]);
    session.dispose();
  });
});
