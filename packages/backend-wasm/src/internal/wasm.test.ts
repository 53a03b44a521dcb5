import { BackendError, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { original, swapLastTwo } from './wasm.js';

describe('kernel helpers', () => {
  it('say which wasm kernel a composed kernel missed', async () => {
    await tf.setBackend('wasm');
    const transpose = tf.getKernel('Transpose', 'wasm');
    tf.unregisterKernel('Transpose', 'wasm');
    try {
      const a = tf.ones([3, 2]);
      expect(() => tf.matMul(a, a, true)).toThrowError(
        new BackendError("@tensorloom/backend-wasm: kernel 'Transpose' expected registered for wasm, got none"),
      );
      a.dispose();
    } finally {
      tf.registerKernel(transpose);
    }
    expect(tf.tidy(() => tf.matMul(tf.ones([3, 2]), tf.ones([3, 2]), true).shape)).toEqual([2, 2]);
  });

  it('say when a replaced tfjs kernel was not kept', () => {
    expect(() => original('NoSuchKernel')).toThrowError(
      new BackendError("@tensorloom/backend-wasm: tfjs-backend-wasm's 'NoSuchKernel' kernel expected kept, got none"),
    );
  });

  it('swap the last two axes', () => {
    expect(swapLastTwo(2)).toEqual([1, 0]);
    expect(swapLastTwo(4)).toEqual([0, 1, 3, 2]);
  });
});
