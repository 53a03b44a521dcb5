// summary() of a small CNN against the equivalent tfjs-layers model's summary: the same
// output shapes and parameter counts, row by row, and the same totals.
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { rng } from '@tensorloom/core';
import { BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Sequential } from '@tensorloom/layers';

interface Row {
  shape: string;
  params: number;
}

/** Parses `[null, 26, 26, 32]`-style shapes and `1,234` counts out of summary lines. */
function parse(lines: string[]): { rows: Row[]; totals: number[] } {
  const rows: Row[] = [];
  for (const line of lines) {
    const m = /\[(null[0-9, null]*)\]\s+([0-9,]+)\s*$/.exec(line);
    if (m) rows.push({ shape: m[1]!.replace(/\s/g, ''), params: Number(m[2]!.replace(/,/g, '')) });
  }
  const totals = ['Total params', 'Trainable params', 'Non-trainable params'].map((label) => {
    const line = lines.find((l) => l.startsWith(label))!;
    return Number(line.split(':')[1]!.trim().replace(/,/g, ''));
  });
  return { rows, totals };
}

describe('summary()', () => {
  it('prints the same shapes and parameter counts as tfjs-layers for a small CNN', () => {
    const ours = new Sequential(
      [
        new Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }),
        new BatchNorm(),
        new MaxPool2D({ poolSize: 2 }),
        new Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
        new MaxPool2D({ poolSize: 2 }),
        new Flatten(),
        new Dropout({ rate: 0.25 }),
        new Dense({ units: 10 }),
      ],
      { name: 'mnist-cnn' },
    ).build([null, 28, 28, 1], rng(1));

    const ref = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
        tfl.layers.batchNormalization(),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.dense({ units: 10 }),
      ],
    });
    const refLines: string[] = [];
    ref.summary(120, undefined, (line: string) => refLines.push(line));

    const text = ours.summary();
    const a = parse(text.split('\n'));
    const b = parse(refLines);
    expect(a.rows).toHaveLength(8);
    expect(a.rows).toEqual(b.rows);
    expect(a.totals).toEqual(b.totals);
    // conv 3·3·1·8+8 = 80, BN 4·8 = 32, conv 3·3·8·16+16 = 1,168, dense (6·6·16)·10+10 = 5,770:
    // 7,050 in all, 16 of them the BatchNorm running statistics.
    expect(a.totals).toEqual([7050, 7034, 16]);
    expect(text).toMatch(/conv2d \(Conv2D\)\s+\[null, 26, 26, 8\]\s+80/);
  });
});
