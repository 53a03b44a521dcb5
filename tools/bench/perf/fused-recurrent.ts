// The fused whole-sequence LSTM and GRU against the general path on 'native', from a tiny
// shape to the perf task's: CPU ms per training forward+backward of one layer (sum of its
// output), each path twice, alternating. Why the fused kernels have no small-call fallback.
//   node --import tsx tools/bench/perf/fused-recurrent.ts
import { rng, tf, useBackend } from '@tensorloom/core';
import { setNativeThreads } from '@tensorloom/backend-native';
import { GRU, LSTM } from '@tensorloom/layers';
// Not public: the switch between the two paths (tools run from the sources, one module instance).
import { setFusedRecurrent } from '../../../packages/layers/src/recurrent/fused-sequence.js';
import * as cli from '../../cli.mjs';

// No options: --help says what it measures; anything else is one line and exit code 2.
cli.parse(cli.command('fused-recurrent', 'Times the fused whole-sequence LSTM and GRU kernels against the general path on native: CPU ms per training forward+backward of one layer, tiny to the perf LSTM shape.'));
setNativeThreads(2);
await useBackend('native');
const cells = {
  LSTM: (units: number) => new LSTM({ units }),
  GRU: (units: number) => new GRU({ units }),
  'GRU resetAfter': (units: number) => new GRU({ units, resetAfter: true }),
};
for (const [cell, make] of Object.entries(cells))
for (const [B, T, F, U] of [[1, 5, 3, 4], [8, 10, 16, 16], [32, 20, 32, 64], [64, 28, 28, 128]] as const) {
  if (cell !== 'LSTM' && B < 64) continue;
  const layer = make(U).build([null, T, F], rng(1));
  const x = tf.randomNormal([B, T, F]);
  const step = () => tf.tidy(() => Object.values(tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar).grads));
  const row: string[] = [];
  for (const fused of [false, true, false, true]) {
    setFusedRecurrent(fused);
    for (let i = 0; i < 3; i++) tf.dispose(step());
    const n = 20;
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) tf.dispose(step());
    const c = process.cpuUsage(c0);
    row.push(`${fused ? 'fused' : 'general'} ${((c.user + c.system) / 1000 / n).toFixed(2)}`);
  }
  console.log(`${cell} B${B} T${T} F${F} U${U}: ms CPU per forward+backward: ${row.join(', ')}`);
}
process.exit(0);
