// The image-classification app's command line: train, evaluate, predict, finetune.
// Every flag has a default shown by --help; a bad value is one line and exit code 2.
import { InvalidArgumentError, Option } from 'commander';
import { ARCHITECTURES } from './architectures.js';
import { DATASETS } from './data.js';
import { BACKENDS, choice, integer, number, program, run } from '@tensorloom/app-kit';

/** `--depth`: 6n + 2 with n ≥ 1. */
function resnetDepth(text: string): number {
  const depth = integer(8)(text);
  if ((depth - 2) % 6 !== 0) throw new InvalidArgumentError('expected 6n + 2 (8, 14, 20, 32, ...).');
  return depth;
}

/** `--classes`: labels 0–9 as a range `a-b` or a comma list, at least two, no repeats. */
function labelList(text: string): number[] {
  const range = /^(\d)-(\d)$/.exec(text.trim());
  const labels = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i) : text.split(',').map((t) => t.trim());
  const values = labels.map(Number);
  if (values.length < 2 || values.some((v, i) => !/^\d$/.test(String(labels[i])) || v > 9) || new Set(values).size !== values.length) {
    throw new InvalidArgumentError('expected at least two distinct labels 0–9, as a-b or a,b,c.');
  }
  return values;
}

const cli = program('image-classification', 'Image classification on MNIST and Fashion-MNIST with Tensorloom.');

const backendOption = (): Option =>
  new Option('--backend <name>', 'cpu, wasm, native, or auto: the fastest installed').default('auto').argParser(choice(BACKENDS));

cli
  .command('train')
  .description('train a network and write a run folder (model, checkpoints, log, report)')
  .addOption(new Option('--dataset <name>', 'mnist or fashion-mnist').default('mnist').argParser(choice(DATASETS)))
  .addOption(new Option('--model <name>', 'lenet5, resnet (ResNet-20) or vit (a small Vision Transformer)').default('lenet5').argParser(choice(ARCHITECTURES)))
  .option('--depth <n>', 'resnet only: depth 6n + 2 (8, 14, 20, ...)', resnetDepth, 20)
  .option('--width <n>', 'resnet only: channels of the first stage (the others 2× and 4×)', integer(1), 16)
  .option('--classes <list>', 'keep only these labels, relabelled 0, 1, … (e.g. 0-4 or 0,2,4); default all', labelList)
  .option('--epochs <n>', 'epochs (early stopping may end sooner)', integer(1), 20)
  .option('--batch-size <n>', 'images per step', integer(1), 64)
  .option('--lr <rate>', 'peak learning rate of AdamW', number(0), 3e-3)
  .option('--weight-decay <w>', 'decoupled weight decay (not on biases and norms)', number(0, Infinity, true), 1e-4)
  .option('--warmup-epochs <e>', 'linear warmup before the cosine decay, in epochs', number(0, Infinity, true), 1)
  .option('--patience <n>', 'epochs without a better validation accuracy before stopping', integer(1), 6)
  .option('--limit <n>', 'use at most n images of each split (quick runs, tests); default all', integer(1))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order, augmentation and dropout', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/<dataset>-<model>)')
  .option('--resume <folder>', 'continue the run in this folder from its last checkpoint (its own settings)')
  .action(async (flags) => {
    const { train } = await import('./commands/train.js');
    await train(flags);
  });

cli
  .command('evaluate')
  .description("reload a run's model and reproduce its test figures")
  .requiredOption('--run <folder>', 'a run folder written by train or finetune')
  .addOption(backendOption())
  .action(async (flags) => {
    const { evaluateRun } = await import('./commands/evaluate.js');
    await evaluateRun(flags);
  });

cli
  .command('predict')
  .description('print the top classes of an image or of every image in a folder')
  .argument('<path>', 'a PNG or JPEG file, or a folder of them (any size or channel count)')
  .requiredOption('--run <folder>', 'a run folder written by train or finetune')
  .option('--top <k>', 'classes to print', integer(1), 3)
  .addOption(backendOption())
  .action(async (path: string, flags) => {
    const { predictFiles } = await import('./commands/predict.js');
    for (const p of await predictFiles({ path, ...flags })) {
      const top = p.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)} %`).join(', ');
      console.log(`${p.file}: ${top}${p.converted.length ? ` (${p.converted.join(', ')})` : ''}`);
    }
  });

cli
  .command('finetune')
  .description('transfer learning: a trained backbone, a new head, few labels; compared with training from scratch')
  .requiredOption('--from <folder>', 'the run folder whose backbone to reuse')
  .addOption(new Option('--dataset <name>', 'the target data set: mnist or fashion-mnist').default('mnist').argParser(choice(DATASETS)))
  .option('--classes <list>', 'keep only these labels of the target, relabelled 0, 1, … (e.g. 5-9); default all', labelList)
  .option('--labels <n>', 'labelled train images of the target (balanced over the classes, drawn by --seed)', integer(2), 100)
  .option('--head-epochs <n>', 'phase 1: epochs of the new head with the backbone frozen', integer(1), 20)
  .option('--tune-epochs <n>', 'phase 2: epochs with the last block unfrozen, at --tune-rate × --lr', integer(1), 10)
  .option('--tune-rate <f>', "phase 2's rate as a fraction of --lr", number(0, 1), 0.1)
  .option('--lr <rate>', 'learning rate of phase 1 and of the from-scratch run', number(0), 3e-3)
  .option('--batch-size <n>', 'images per step', integer(1), 32)
  .addOption(backendOption())
  .option('--seed <n>', 'seed of the head, data order and augmentation', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/<dataset>-finetune-<labels>)')
  .action(async (flags) => {
    const { finetune } = await import('./commands/finetune.js');
    await finetune(flags);
  });

cli
  .command('pretrain-ae')
  .description("pretrain a classifier's backbone as the encoder of a convolutional autoencoder on the train images without labels (for finetune --from)")
  .addOption(new Option('--dataset <name>', 'mnist or fashion-mnist').default('mnist').argParser(choice(DATASETS)))
  .addOption(new Option('--model <name>', 'the backbone: lenet5 or resnet').default('lenet5').argParser(choice(['lenet5', 'resnet'] as const)))
  .option('--depth <n>', 'resnet only: depth 6n + 2 (8, 14, 20, ...)', resnetDepth, 20)
  .option('--width <n>', 'resnet only: channels of the first stage', integer(1), 16)
  .option('--epochs <n>', 'epochs', integer(1), 10)
  .option('--batch-size <n>', 'images per step', integer(1), 64)
  .option('--lr <rate>', 'peak learning rate of AdamW (one epoch of warmup, then cosine)', number(0), 3e-3)
  .option('--mask <rate>', 'denoising: share of input pixels zeroed in training (0: a plain autoencoder)', number(0, 0.95, true), 0)
  .option('--limit <n>', 'use at most n images of each split (quick runs, tests); default all', integer(1))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order and augmentation', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/<dataset>-<model>-ae)')
  .action(async (flags) => {
    const { pretrainAutoencoder } = await import('./commands/pretrain-ae.js');
    await pretrainAutoencoder(flags);
  });

await run(cli);
