// The segmentation app's command line: train, evaluate, predict.
// Every flag has a default shown by --help; a bad value is one line and exit code 2.
import { Option } from 'commander';
import { BACKENDS, choice, integer, number, program, run } from '@tensorloom/app-kit';

const cli = program('segmentation', 'Semantic segmentation of composited MNIST canvases with a U-Net, with Tensorloom.');

const backendOption = (): Option =>
  new Option('--backend <name>', 'cpu, wasm, native, or auto: the fastest installed').default('auto').argParser(choice(BACKENDS));

cli
  .command('train')
  .description('train a U-Net and write a run folder (model, checkpoints, log, metrics, report)')
  .option('--epochs <n>', 'epochs (early stopping may end sooner)', integer(1), 8)
  .option('--batch-size <n>', 'canvases per step', integer(1), 8)
  .option('--lr <rate>', 'peak learning rate of AdamW', number(0), 1e-2)
  .option('--weight-decay <w>', 'decoupled weight decay (not on biases and norms)', number(0, Infinity, true), 1e-4)
  .option('--warmup-epochs <e>', 'linear warmup before the cosine decay, in epochs', number(0, Infinity, true), 1)
  .option('--patience <n>', 'epochs without a better validation mean IoU before stopping', integer(1), 4)
  .option('--base-filters <n>', 'channels of the first U-Net level (doubled at each level down)', integer(1), 16)
  .option('--depth <n>', 'down-sampling levels of the U-Net (64 must halve evenly: 1 to 6)', integer(1), 3)
  .option('--limit <n>', 'use at most n canvases of train and of test (quick runs, tests); default all', integer(2))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order and augmentation', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/segmentation-unet<depth>-<base filters>)')
  .option('--resume <folder>', 'continue the run in this folder from its last checkpoint (its own settings)')
  .action(async (flags) => {
    const { train } = await import('./commands/train.js');
    await train(flags);
  });

cli
  .command('evaluate')
  .description("reload a run's model and reproduce its test figures")
  .requiredOption('--run <folder>', 'a run folder written by train')
  .addOption(backendOption())
  .action(async (flags) => {
    const { evaluateRun } = await import('./commands/evaluate.js');
    await evaluateRun(flags);
  });

cli
  .command('predict')
  .description('segment an image and write its coloured mask as PNG')
  .argument('<file>', 'a PNG or JPEG, light digits on a dark ground (any size or channel count: converted and resized)')
  .requiredOption('--run <folder>', 'a run folder written by train')
  .option('--out <file>', 'the PNG to write', 'mask.png')
  .addOption(backendOption())
  .action(async (path: string, flags) => {
    const { predictMask } = await import('./commands/predict.js');
    const p = await predictMask({ path, ...flags });
    const found = Object.entries(p.pixels).filter(([name]) => name !== 'background');
    const digits = found.length === 0 ? 'no digit pixels' : found.map(([name, n]) => `${name} (${n} px)`).join(', ');
    console.log(`${path}: ${digits}${p.converted.length ? ` (${p.converted.join(', ')})` : ''}; mask written to ${p.out}`);
  });

await run(cli);
