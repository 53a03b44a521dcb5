import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '@tensorloom/core';
import { loadSafetensors, saveSafetensors } from '@tensorloom/core/node';

describe('@tensorloom/core/node safetensors files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tensorloom-core-'));

  it('saves and loads a file, creating folders', async () => {
    const path = join(dir, 'nested/run/model.safetensors');
    const w = tf.tensor([[1, 2], [3, 4]]);
    await saveSafetensors(path, { w }, { epoch: '3' });
    const { tensors, metadata } = await loadSafetensors(path, { expect: { w: { shape: [2, 2] } } });
    expect(metadata).toEqual({ epoch: '3' });
    expect(tensors.w!.arraySync()).toEqual([[1, 2], [3, 4]]);
    tf.dispose([w, tensors.w!]);
  });

  it('names the file in errors', async () => {
    const missing = join(dir, 'missing.safetensors');
    await expect(loadSafetensors(missing)).rejects.toThrowError(`safetensors '${missing}': cannot read the file`);
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, new Uint8Array([1, 2, 3]));
    await expect(loadSafetensors(bad)).rejects.toThrowError(`safetensors '${bad}': file is truncated: expected at least 8 bytes, got 3`);
  });
});
