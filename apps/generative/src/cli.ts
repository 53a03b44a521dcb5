// The generative app's command line: train (a VAE or a DCGAN), evaluate (figures and scores) and sample.
// Every flag has a default shown by --help; a bad value is one line and exit code 2.
import { Option } from 'commander';
import { BACKENDS, choice, integer, number, program, run } from '@tensorloom/app-kit';
import { DEFAULT_CLASSIFIER, RunFolderError } from './classifier.js';
import { GENERATIVE_MODELS } from './networks.js';
import { DATASETS, MODEL_DEFAULTS } from './train.js';

const cli = program('generative', 'Generative models with Tensorloom: a convolutional VAE and a DCGAN on MNIST or Fashion-MNIST.');
const backendOption = (): Option =>
  new Option('--backend <name>', 'cpu, wasm, native, or auto: the fastest installed').default('auto').argParser(choice(BACKENDS));

cli
  .command('train')
  .description('train a VAE or a DCGAN and write a run folder (weights, checkpoints, log, report)')
  .addOption(new Option('--model <name>', 'vae or dcgan').default('vae').argParser(choice(GENERATIVE_MODELS)))
  .addOption(new Option('--dataset <name>', 'mnist or fashion-mnist').default('mnist').argParser(choice(DATASETS)))
  .option('--epochs <n>', `epochs (default: vae ${MODEL_DEFAULTS.vae.epochs}, dcgan ${MODEL_DEFAULTS.dcgan.epochs})`, integer(1))
  .option('--batch-size <n>', 'images per step', integer(1), 64)
  .option('--lr <rate>', `learning rate of Adam (cosine decay to 0 for the VAE; β1 0.5 for the DCGAN) (default: vae ${MODEL_DEFAULTS.vae.lr}, dcgan ${MODEL_DEFAULTS.dcgan.lr})`, number(0))
  .option('--latent <n>', `size of the latent vector (default: vae ${MODEL_DEFAULTS.vae.latent}, dcgan ${MODEL_DEFAULTS.dcgan.latent})`, integer(1))
  .option('--limit <n>', 'use at most n images of each split (quick runs, tests); default all', integer(1))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order, noise and latents', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/<dataset>-<model>)')
  .option('--resume <folder>', 'continue the run in this folder from its last checkpoint (its own settings)')
  .action(async (flags) => {
    const { trainGenerative } = await import('./train.js');
    await trainGenerative(flags);
  });

cli
  .command('evaluate')
  .description(
    "reproduce a run's test figure (the VAE's negative ELBO) and score its samples with an image-classification run's classifier; rewrites metrics.json and the report",
  )
  .requiredOption('--run <folder>', 'a run folder written by train')
  .option('--classifier <folder>', "an image-classification run folder of the same data set ('npm start' writes the default)", DEFAULT_CLASSIFIER)
  .option('--samples <n>', 'samples to score', integer(2), 10_000)
  .option('--seed <n>', 'seed of the latents of the scored samples', integer(0), 1)
  .addOption(backendOption())
  .action(async (flags) => {
    const { evaluateRun } = await import('./evaluate.js');
    await evaluateRun(flags);
  });

cli
  .command('sample')
  .description('write a grid of fresh samples of a trained run as PNG')
  .requiredOption('--run <folder>', 'a run folder written by train')
  .option('--n <n>', 'samples', integer(1), 64)
  .option('--out <file>', 'the PNG to write', 'samples.png')
  .option('--seed <n>', 'seed of the latents', integer(0), 1)
  .addOption(backendOption())
  .action(async (flags) => {
    const { sample } = await import('./sample.js');
    await sample(flags);
  });

try {
  await run(cli);
} catch (error) {
  // A missing or foreign run folder is one line and exit code 1; anything else keeps its stack.
  if (!(error instanceof RunFolderError)) throw error;
  console.error(`generative: ${error.message}`);
  process.exitCode = 1;
}
