// The sequence app's command line: `sequence spam train | evaluate | predict`.
// Every flag has a default shown by --help; a bad value is one line and exit code 2.
import { Option } from 'commander';
import { BACKENDS, choice, integer, number, program, run } from '@tensorloom/app-kit';
import { TOKENIZERS } from './spam/data.js';
import { SPAM_MODELS } from './spam/models.js';

const cli = program('sequence', 'Sequence tasks with Tensorloom: spam filtering on SpamAssassin.');
const backendOption = (): Option =>
  new Option('--backend <name>', 'cpu, wasm, native, or auto: the fastest installed').default('auto').argParser(choice(BACKENDS));

const spam = cli.command('spam').description('spam filtering: an LSTM or a transformer encoder over the message tokens');

spam
  .command('train')
  .description('fit the tokenizer, train the classifier, write a run folder (model, checkpoints, log, report)')
  .addOption(new Option('--model <name>', 'lstm (bidirectional) or transformer (encoder)').default('lstm').argParser(choice(SPAM_MODELS)))
  .addOption(new Option('--tokenizer <kind>', 'word or bpe').default('word').argParser(choice(TOKENIZERS)))
  .option('--vocab-size <n>', 'the largest vocabulary, special tokens included', integer(8), 20000)
  .option('--max-len <n>', 'tokens kept from the start of each message (subject first)', integer(1), 256)
  .option('--epochs <n>', 'epochs (early stopping on the validation loss may end sooner)', integer(1), 6)
  .option('--batch-size <n>', 'messages per step', integer(1), 32)
  .option('--lr <rate>', 'peak learning rate of AdamW', number(0), 2e-3)
  .option('--limit <n>', 'use at most n messages of each split (quick runs, tests); default all', integer(1))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order and dropout', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/spam-<model>-<tokenizer>)')
  .action(async (flags) => {
    const { trainSpam } = await import('./spam/train.js');
    await trainSpam(flags);
  });

spam
  .command('evaluate')
  .description("reload a run's classifier and reproduce its test figures")
  .requiredOption('--run <folder>', 'a run folder written by spam train')
  .addOption(backendOption())
  .action(async (flags) => {
    const { evaluateSpam } = await import('./spam/evaluate.js');
    await evaluateSpam(flags);
  });

spam
  .command('predict')
  .description('print the spam probability of a message')
  .argument('<file>', 'a text file with the message, or - for standard input')
  .requiredOption('--run <folder>', 'a run folder written by spam train')
  .addOption(backendOption())
  .action(async (path: string, flags) => {
    const { predictSpam } = await import('./spam/predict.js');
    const p = await predictSpam({ path, ...flags });
    console.log(`spam probability ${p.toFixed(4)} (${p > 0.5 ? 'spam' : 'ham'})`);
  });

await run(cli);
