import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensorsHeader, rng, writeSafetensors } from '@tensorloom/core';
import { MobileNetV2 } from '@tensorloom/models';
import { writePyTorchSafetensors } from '@tensorloom/interop';
import { randomizeState } from '../internal/testing.js';
import { runConvert } from './convert.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runConvert(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('tensorloom-convert', () => {
  it('converts a PyTorch MobileNetV2 checkpoint to our state and back, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convert-'));
    const torch = new MobileNetV2({ classes: 3 }).build([null, 224, 224, 3], rng(1));
    randomizeState(torch, 2, 0.1);
    const original = writePyTorchSafetensors(torch);
    torch.dispose();
    writeFileSync(join(dir, 'torch.safetensors'), original);
    const a = await run('pytorch-to-tensorloom', join(dir, 'torch.safetensors'), '--model', 'mobilenet_v2', '--classes', '3', '--out', join(dir, 'ours'));
    expect(a).toMatchObject({ code: 0, err: '' });
    expect(a.out).toContain(`wrote ${join(dir, 'ours', 'model.safetensors')}`);
    expect(readSafetensorsHeader(new Uint8Array(readFileSync(join(dir, 'ours', 'model.safetensors')))).entries.has('features.0.0.kernel')).toBe(true);
    const b = await run('tensorloom-to-pytorch', join(dir, 'ours', 'model.safetensors'), '--model', 'mobilenet_v2', '--classes', '3', '--out', join(dir, 'back'));
    expect(b.code).toBe(0);
    expect(Buffer.from(readFileSync(join(dir, 'back', 'model.safetensors'))).equals(Buffer.from(original))).toBe(true);
  });

  it('prints --help with the defaults, and rejects a bad value in one line with exit code 2', async () => {
    const help = await run('pytorch-to-tensorloom', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--classes <n>');
    expect(help.out).toContain('(default: 1000)');
    expect(help.out).toContain('resnet18, resnet34, resnet50, mobilenet_v2');
    const bad = await run('pytorch-to-tensorloom', 'x.safetensors', '--model', 'vgg99', '--out', 'o');
    expect(bad).toEqual({
      code: 2, out: '',
      err: "tensorloom-convert: option '--model <name>' argument 'vgg99' is invalid. expected one of resnet18, resnet34, resnet50, mobilenet_v2\n",
    });
    const classes = await run('tensorloom-to-pytorch', 'x.safetensors', '--model', 'resnet18', '--out', 'o', '--classes', 'abc');
    expect(classes.code).toBe(2);
    expect(classes.err.trim().split('\n')).toHaveLength(1);
    expect((await run('nonsense')).code).toBe(2);
  });

  it('fails with exit code 1 and one line naming the tensor, expected and actual, for a checkpoint of another head', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convert-'));
    const torch = new MobileNetV2({ classes: 3 }).build([null, 224, 224, 3], rng(1));
    writeFileSync(join(dir, 'torch.safetensors'), writePyTorchSafetensors(torch));
    writeFileSync(join(dir, 'ours.safetensors'), writeSafetensors(torch.state()));
    torch.dispose();
    const a = await run('pytorch-to-tensorloom', join(dir, 'torch.safetensors'), '--model', 'mobilenet_v2', '--classes', '4', '--out', join(dir, 'o'));
    expect(a).toEqual({
      code: 1, out: '',
      err: `tensorloom-convert: fromPyTorchStateDict '${join(dir, 'torch.safetensors')}': tensor 'classifier.1.weight' expected shape [4, 1280], got [3, 1280]\n`,
    });
    const b = await run('tensorloom-to-pytorch', join(dir, 'ours.safetensors'), '--model', 'mobilenet_v2', '--classes', '4', '--out', join(dir, 'o'));
    expect(b.code).toBe(1);
    expect(b.err).toBe(`tensorloom-convert: state file '${join(dir, 'ours.safetensors')}': MobileNetV2 'mobilenet_v2': loadState: entry 'classifier.1.bias' expected shape [4], got [3]\n`);
    const c = await run('tensorloom-to-pytorch', join(dir, 'torch.safetensors'), '--model', 'mobilenet_v2', '--classes', '3', '--out', join(dir, 'o'));
    expect(c.code).toBe(1);
    expect(c.err).toMatch(new RegExp(`^tensorloom-convert: state file '${join(dir, 'torch.safetensors')}': .*'features\\.0\\.0\\.kernel'.*\\n$`)); // a PyTorch file where ours belongs
    expect(existsSync(join(dir, 'o'))).toBe(false); // nothing written
  });

  it('fails with exit code 1 and one line for a missing or foreign file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convert-'));
    const missing = await run('pytorch-to-tensorloom', join(dir, 'none.safetensors'), '--model', 'resnet18', '--out', dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^tensorloom-convert: ENOENT: no such file or directory/);
    writeFileSync(join(dir, 'photo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const foreign = await run('pytorch-to-tensorloom', join(dir, 'photo.png'), '--model', 'resnet18', '--out', dir);
    expect(foreign).toMatchObject({ code: 1, err: `tensorloom-convert: safetensors '${join(dir, 'photo.png')}': not a safetensors file: header length 727905341920923785 exceeds the limit 100000000\n` });
  });
});
