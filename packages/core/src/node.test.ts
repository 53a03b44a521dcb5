import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, tf } from '@tensorloom/core';
import { fileReadError, loadSafetensors, saveSafetensors } from '@tensorloom/core/node';

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
    await expect(loadSafetensors(missing)).rejects.toThrowError(new FormatError(`safetensors '${missing}': cannot read the file: no such file`));
    await expect(loadSafetensors(dir)).rejects.toThrowError(new FormatError(`safetensors '${dir}': cannot read the file: it is a folder`));
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, new Uint8Array([1, 2, 3]));
    await expect(loadSafetensors(bad)).rejects.toThrowError(`safetensors '${bad}': file is truncated: expected at least 8 bytes, got 3`);
  });
});

describe('fileReadError', () => {
  it('puts the reason in the message and keeps the system error as the cause', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'a.csv'"), { code: 'ENOENT' });
    const e = fileReadError("readCsv 'a.csv'", enoent);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toBe("readCsv 'a.csv': cannot read the file: no such file");
    expect(e.cause).toBe(enoent);
    expect(fileReadError("readImageFolder 'd'", enoent, 'folder').message).toBe("readImageFolder 'd': cannot read the folder: no such folder");
    expect(fileReadError('u', Object.assign(new Error('x'), { code: 'EACCES' })).message).toBe('u: cannot read the file: permission denied');
    expect(fileReadError('u', new Error('disk on fire')).message).toBe('u: cannot read the file: disk on fire');
  });
});
