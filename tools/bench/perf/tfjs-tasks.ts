// The tasks of tools/bench/perf.ts in tfjs-layers, as its users build them: no Tensorloom
// package is imported here (the stock worker must run none of our kernels).
import * as tfl from '@tensorflow/tfjs-layers';

/** The tfjs-layers model of a task, or why there is none. */
export function tfjsModel(task: string): tfl.LayersModel | string {
  switch (task) {
    case 'mlp':
      return tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
          tfl.layers.dense({ units: 128, activation: 'relu' }),
          tfl.layers.dense({ units: 10 }),
        ],
      });
    case 'lenet':
      return tfl.sequential({
        layers: [
          tfl.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 120, activation: 'relu' }),
          tfl.layers.dense({ units: 84, activation: 'relu' }),
          tfl.layers.dense({ units: 10 }),
        ],
      });
    case 'lstm':
      return tfl.sequential({
        layers: [
          tfl.layers.lstm({ units: 128, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform', inputShape: [28, 28] }),
          tfl.layers.dense({ units: 10 }),
        ],
      });
    case 'resnet20': {
      const input = tfl.input({ shape: [32, 32, 3] });
      const bn = () => tfl.layers.batchNormalization({ momentum: 0.9 });
      const conv = (filters: number, kernelSize: number, strides = 1) =>
        tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false });
      let x = tfl.layers.activation({ activation: 'relu' }).apply(bn().apply(conv(16, 3).apply(input))) as tfl.SymbolicTensor;
      [16, 32, 64].forEach((filters, stage) => {
        for (let b = 0; b < 3; b++) {
          const stride = stage > 0 && b === 0 ? 2 : 1;
          let h = tfl.layers.activation({ activation: 'relu' }).apply(bn().apply(conv(filters, 3, stride).apply(x))) as tfl.SymbolicTensor;
          h = bn().apply(conv(filters, 3).apply(h)) as tfl.SymbolicTensor;
          const s = stride === 2 ? (bn().apply(conv(filters, 1, 2).apply(x)) as tfl.SymbolicTensor) : x;
          x = tfl.layers.activation({ activation: 'relu' }).apply(tfl.layers.add().apply([h, s])) as tfl.SymbolicTensor;
        }
      });
      const out = tfl.layers.dense({ units: 10 }).apply(tfl.layers.globalAveragePooling2d({}).apply(x)) as tfl.SymbolicTensor;
      return tfl.model({ inputs: input, outputs: out });
    }
    case 'transformer':
      return 'tfjs-layers has no multi-head attention or transformer layer';
    default:
      return `unknown task ${task}`;
  }
}
