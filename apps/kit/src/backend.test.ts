import { describe, expect, it } from 'vitest';
import { setNativeKernelChoice } from '@tensorloom/backend-native';
import { useBackend } from '@tensorloom/core';
import { selectBackend, withReproducibleKernels } from './backend.js';

describe('withReproducibleKernels', () => {
  it("on native, fixes the kernel choice by shape while fn runs and restores it, even when fn throws; elsewhere it just runs fn", async () => {
    expect(await selectBackend('native')).toBe('native');
    const inside = await withReproducibleKernels(() => {
      const mode = setNativeKernelChoice('fixed'); // reading the mode in force
      return mode;
    });
    expect(inside).toBe('fixed');
    expect(setNativeKernelChoice('timed')).toBe('timed'); // restored
    await expect(withReproducibleKernels(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(setNativeKernelChoice('timed')).toBe('timed');
    await useBackend('cpu');
    expect(await withReproducibleKernels(() => setNativeKernelChoice('timed'))).toBe('timed');
  });
});
