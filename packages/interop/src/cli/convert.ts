// `tensorloom-convert`: PyTorch safetensors checkpoints of the model zoo in and out.
//
//   tensorloom-convert pytorch-to-tensorloom resnet18.safetensors --model resnet18 --out runs/resnet18
//   tensorloom-convert tensorloom-to-pytorch runs/resnet18/model.safetensors --model resnet18 --out export/
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { TensorloomError, readSafetensors, rng, tf, writeSafetensors } from '@tensorloom/core';
import type { Module, Shape } from '@tensorloom/layers';
import { MobileNetV2, resnet18, resnet34, resnet50 } from '@tensorloom/models';
import { fromPyTorchStateDict, writePyTorchSafetensors } from '../pytorch/state-dict.js';

/** The architectures the command knows, with their default input shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, { make: (classes: number) => Module<any, any>; input: Shape }> = {
  resnet18: { make: (classes) => resnet18({ classes }), input: [null, 224, 224, 3] },
  resnet34: { make: (classes) => resnet34({ classes }), input: [null, 224, 224, 3] },
  resnet50: { make: (classes) => resnet50({ classes }), input: [null, 224, 224, 3] },
  mobilenet_v2: { make: (classes) => new MobileNetV2({ classes }), input: [null, 224, 224, 3] },
};

/** Where the command writes: text to stdout and stderr. */
export interface ConvertIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = 2;

function choice(values: readonly string[]) {
  return (text: string): string => {
    if (!values.includes(text)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return text;
  };
}

function positiveInt(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError('expected an integer ≥ 1');
  return v;
}

interface Options {
  model: string;
  out: string;
  classes: number;
}

async function load(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

async function build(options: Options): Promise<Module> {
  const spec = MODELS[options.model]!;
  return spec.make(options.classes).build(spec.input, rng(0));
}

/**
 * Runs `tensorloom-convert` with `argv` (the arguments after the program name) and returns
 * the exit code: 0 on success, 1 when the conversion fails (a missing file, a tensor that
 * does not match), 2 for a usage error (one line on `err`).
 */
export async function runConvert(argv: readonly string[], io: ConvertIO): Promise<number> {
  let done: Promise<void> = Promise.resolve();
  const program = new Command('tensorloom-convert')
    .description('Converts PyTorch safetensors checkpoints of the model zoo to Tensorloom state files and back.')
    .helpOption('-h, --help', 'print this help and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (t) => io.out(t),
      writeErr: (t) => io.err(t),
      outputError: (t, write) => write(`tensorloom-convert: ${t.replace(/^error: /, '')}`),
    });
  const common = (c: Command): Command => c
    .requiredOption('--model <name>', `architecture: ${Object.keys(MODELS).join(', ')}`, choice(Object.keys(MODELS)))
    .requiredOption('--out <dir>', 'output folder (created when needed)')
    .option('--classes <n>', 'output classes of the head', positiveInt, 1000)
    .helpOption('-h, --help', 'print this help and exit')
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (t) => io.out(t),
      writeErr: (t) => io.err(t),
      outputError: (t, write) => write(`tensorloom-convert: ${t.replace(/^error: /, '')}`),
    });
  common(program.command('pytorch-to-tensorloom').description("reads a PyTorch state_dict (torchvision names) and writes our state as <out>/model.safetensors"))
    .argument('<in.safetensors>', 'the PyTorch checkpoint, as safetensors')
    .action((input: string, options: Options) => {
      done = (async () => {
        const { tensors } = readSafetensors(await load(input), { source: input });
        const model = await build(options);
        try {
          fromPyTorchStateDict(model, tensors, { source: input });
          await mkdir(options.out, { recursive: true });
          const path = join(options.out, 'model.safetensors');
          await writeFile(path, writeSafetensors(model.state(), { converted_from: 'pytorch', model: options.model }));
          io.out(`wrote ${path} (${Object.keys(model.state()).length} tensors)\n`);
        } finally {
          model.dispose();
          tf.dispose(Object.values(tensors));
        }
      })();
    });
  common(program.command('tensorloom-to-pytorch').description('reads our state file and writes a PyTorch state_dict as <out>/model.safetensors'))
    .argument('<in.safetensors>', 'our state, as written by writeSafetensors(model.state())')
    .action((input: string, options: Options) => {
      done = (async () => {
        const { tensors } = readSafetensors(await load(input), { source: input });
        const model = await build(options);
        try {
          try {
            model.loadState(tensors);
          } catch (e) {
            if (!(e instanceof TensorloomError)) throw e;
            // Same error class, naming the file first.
            const Same = e.constructor as new (message: string, options: { cause: unknown }) => TensorloomError;
            throw new Same(`state file '${input}': ${e.message}`, { cause: e });
          } finally {
            tf.dispose(Object.values(tensors));
          }
          await mkdir(options.out, { recursive: true });
          const path = join(options.out, 'model.safetensors');
          await writeFile(path, writePyTorchSafetensors(model));
          io.out(`wrote ${path}: load it with model.load_state_dict(safetensors.torch.load_file(path), strict=True)\n`);
        } finally {
          model.dispose();
        }
      })();
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE;
    throw error;
  }
  try {
    await done;
  } catch (error) {
    if (error instanceof TensorloomError || (error as { code?: string }).code === 'ENOENT') {
      io.err(`tensorloom-convert: ${(error as Error).message.split('\n')[0]}\n`);
      return 1;
    }
    throw error;
  }
  return 0;
}
