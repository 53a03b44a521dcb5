import { rng, tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';

console.log(await useBackend('auto')); // 'wasm'

// One SGD step of a small conv net: its gradient needs Conv2DBackpropFilter and
// MaxPoolGrad, which this package provides on wasm.
const r = rng(0);
const kernel = tf.variable(r.normalTensor([3, 3, 1, 8], 0, 0.3));
const dense = tf.variable(r.normalTensor([5 * 5 * 8, 10], 0, 0.1));
const images = r.uniformTensor([16, 12, 12, 1]) as tf.Tensor4D;
const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10);

const loss = (): tf.Scalar =>
  tf.tidy(() => {
    const h = tf.maxPool(tf.relu(tf.conv2d(images, kernel as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(h, [16, 200]), dense)) as tf.Scalar;
  });
const { value, grads } = tf.variableGrads(loss);
for (const v of [kernel, dense]) v.assign(tf.sub(v, tf.mul(0.1, grads[v.name]!)));
console.log('loss', value.dataSync()[0]);
