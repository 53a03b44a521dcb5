// The sequence app's command line: `sequence spam train | evaluate | predict` and
// `sequence g2p train | evaluate | predict`.
// Every flag has a default shown by --help; a bad value is one line and exit code 2.
import { Option } from 'commander';
import type { Command } from 'commander';
import { BACKENDS, choice, integer, number, program, run } from '@tensorloom/app-kit';
import { TOKENIZERS } from './spam/data.js';
import { SPAM_MODELS } from './spam/models.js';
import { G2P_MODELS } from './g2p/models.js';

const cli = program('sequence', 'Sequence tasks with Tensorloom: spam filtering on SpamAssassin, grapheme-to-phoneme on CMUdict.');
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
  .option('--epochs <n>', 'epochs (early stopping on the validation loss may end sooner)', integer(1), 4)
  .option('--batch-size <n>', 'messages per step', integer(1), 32)
  .option('--lr <rate>', 'peak learning rate of AdamW', number(0), 2e-3)
  .option('--limit <n>', 'use at most n messages of each split (quick runs, tests); default all', integer(1))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order and dropout', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/spam-<model>-<tokenizer>)')
  .option('--resume <folder>', 'continue the run in this folder from its last checkpoint (its own settings and tokenizer)')
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

const g2p = cli.command('g2p').description('grapheme-to-phoneme on CMUdict: a transformer (or LSTM) encoder–decoder, beam search');

g2p
  .command('train')
  .description('train with teacher forcing, decode the test words, write a run folder (model, checkpoints, log, report)')
  .addOption(new Option('--model <name>', 'transformer (encoder–decoder) or lstm (with attention)').default('transformer').argParser(choice(G2P_MODELS)))
  .option('--width <n>', 'transformer d_model (4 heads, feed-forward 4×) or LSTM units', integer(4), 64)
  .option('--layers <n>', 'transformer encoder and decoder layers each (the LSTM has one)', integer(1), 2)
  .option('--epochs <n>', 'epochs', integer(1), 6)
  .option('--batch-size <n>', 'pronunciations per step', integer(1), 128)
  .option('--lr <rate>', 'peak learning rate of AdamW (warmup 5 %, then cosine)', number(0), 3e-3)
  .option('--beam <n>', 'beam width for the test words', integer(1), 4)
  .option('--limit <n>', 'use at most n words of each split (quick runs, tests); default all', integer(1))
  .addOption(backendOption())
  .option('--seed <n>', 'seed of weights, data order and dropout', integer(0), 42)
  .option('--out <folder>', 'the run folder (default runs/g2p-<model>)')
  .option('--resume <folder>', 'continue the run in this folder from its last checkpoint (its own settings)')
  .action(async (flags) => {
    const { trainG2P } = await import('./g2p/train.js');
    await trainG2P(flags);
  });

g2p
  .command('evaluate')
  .description("reload a run's model and reproduce its test PER and WER")
  .requiredOption('--run <folder>', 'a run folder written by g2p train')
  .addOption(backendOption())
  .action(async (flags) => {
    const { evaluateG2P } = await import('./g2p/evaluate.js');
    await evaluateG2P(flags);
  });

g2p
  .command('predict')
  .description('print the phonemes of each word (ARPAbet, stress stripped)')
  .argument('<word...>', 'words of the letters A–Z and apostrophes (any case)')
  .requiredOption('--run <folder>', 'a run folder written by g2p train')
  .option('--beam <n>', 'beam width', integer(1), 4)
  .addOption(backendOption())
  .action(async function (this: Command, words: string[], flags) {
    const { encodeWord } = await import('./g2p/data.js');
    for (const w of words) {
      try {
        encodeWord(w);
      } catch (error) {
        this.error((error as Error).message); // one line, exit code 2
      }
    }
    const { predictG2P } = await import('./g2p/predict.js');
    const phonemes = await predictG2P({ words, ...flags });
    words.forEach((w, i) => console.log(`${w}\t${phonemes[i]!.join(' ')}`));
  });

await run(cli);
