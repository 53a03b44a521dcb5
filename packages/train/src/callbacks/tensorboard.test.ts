import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sgd } from '../optimizers/sgd.js';
import { fit } from '../fit/fit.js';
import { tensorBoardFile } from '../node/file-store.js';
import { tensorBoard } from './tensorboard.js';
import { crc32c, encodeEvent, frameRecord, maskedCrc32c } from './tfevents.js';

const root = mkdtempSync(join(tmpdir(), 'tl-train-tb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A Python that can import tensorboard, or null. */
function python(): string | null {
  for (const candidate of [process.env['TENSORLOOM_PYTHON'], '/tmp/venv/bin/python', 'python3']) {
    if (candidate === undefined) continue;
    try {
      execFileSync(candidate, ['-c', 'import tensorboard'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Reads our own framing back: [length, data] records, checking both CRCs. */
function records(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < bytes.length; ) {
    const n = Number(view.getBigUint64(at, true));
    expect(view.getUint32(at + 8, true)).toBe(maskedCrc32c(bytes.subarray(at, at + 8)));
    const data = bytes.subarray(at + 12, at + 12 + n);
    expect(view.getUint32(at + 12 + n, true)).toBe(maskedCrc32c(data));
    out.push(data);
    at += 12 + n + 4;
  }
  return out;
}

describe('tfevents', () => {
  it('CRC-32C matches the standard check value and the masked form', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    const c = 0xe3069283;
    expect(maskedCrc32c(new TextEncoder().encode('123456789'))).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
  });

  it('encodes an Event with scalars as protobuf bytes (hand-decoded)', () => {
    const bytes = encodeEvent({ wallTime: 1.5, step: 300, scalars: { loss: 0.25 } });
    // field 1 double: tag 0x09 + 8 bytes; field 2 varint: 0x10, 300 = 0xac 0x02; field 5 bytes: 0x2a, len.
    expect(bytes[0]).toBe(0x09);
    expect(new DataView(bytes.buffer, 1, 8).getFloat64(0, true)).toBe(1.5);
    expect(Array.from(bytes.subarray(9, 12))).toEqual([0x10, 0xac, 0x02]);
    expect(bytes[12]).toBe(0x2a);
    const summary = bytes.subarray(14, 14 + bytes[13]!);
    // Summary.value (field 1) → Value { tag (1) = 'loss', simple_value (2, fixed32) = 0.25 }
    expect(Array.from(summary.subarray(0, 2))).toEqual([0x0a, 11]);
    expect(Array.from(summary.subarray(2, 8))).toEqual([0x0a, 4, ...new TextEncoder().encode('loss')]);
    expect(summary[8]).toBe(0x15);
    expect(new DataView(summary.buffer, summary.byteOffset + 9, 4).getFloat32(0, true)).toBe(0.25);
    expect(records(frameRecord(bytes))[0]).toEqual(bytes);
  });

  it('fit writes an event file that TensorBoard reads (when Python has tensorboard)', async () => {
    const dir = join(root, 'run');
    const model = new Sequential([new Dense({ units: 1 })]).build([null, 2], rng(1));
    const data = [{ x: tf.tensor2d([[1, 2], [3, 4]]), y: tf.tensor2d([[1], [2]]) }];
    const history = await fit(model, data, {
      loss: meanSquaredError(),
      optimizer: sgd({ learningRate: 0.01 }),
      epochs: 3,
      callbacks: [tensorBoard({ sink: tensorBoardFile(dir), now: () => 1000 })],
    });
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^events\.out\.tfevents\.\d+\./);
    const bytes = new Uint8Array(readFileSync(join(dir, file!)));
    expect(records(bytes)).toHaveLength(1 + 3 + 3);
    const py = python();
    if (py !== null) {
      const script = fileURLToPath(new URL('../../test/check_tfevents.py', import.meta.url));
      const read = JSON.parse(execFileSync(py, [script, join(dir, file!)], { encoding: 'utf8' })) as {
        file_version: string;
        scalars: Record<string, [number, number][]>;
      };
      expect(read.file_version).toBe('brain.Event:2');
      expect(read.scalars['epoch/loss']!.map(([s]) => s)).toEqual([1, 2, 3]);
      read.scalars['epoch/loss']!.forEach(([, v], i) => expect(v).toBeCloseTo(history.get('loss')[i]!, 5));
      expect(read.scalars['step/lr']!.map(([, v]) => v)).toEqual([0.01, 0.01, 0.01].map((v) => Math.fround(v)));
    }
    tf.dispose([data[0]!.x, data[0]!.y]);
    model.dispose();
  });
});
