/**
 * Options accepted by every Tensorloom error.
 *
 * @example
 * ```ts
 * throw new ConfigError("Dense 'fc1': units must be a positive integer, got 0", {
 *   help: 'pass { units: 10 } for a 10-way classifier',
 * });
 * ```
 *
 * @group Errors
 */
export interface TensorloomErrorOptions {
  /** The error that caused this one, if any. */
  cause?: unknown;
  /** A hint on how to fix the problem; printed on its own `help:` line. */
  help?: string;
}

/**
 * Base class of every error Tensorloom throws on purpose.
 *
 * The message names the unit, the argument, what was expected and what came; an optional
 * `help:` line says how to fix it when that is not obvious.
 *
 * @example
 * ```ts
 * try { assertRank('Conv2D', 'input', x, 4); }
 * catch (e) { if (e instanceof TensorloomError) console.log(e.name, e.help); }
 * ```
 *
 * @group Errors
 */
export class TensorloomError extends Error {
  /** The hint printed on the `help:` line, if one was given. */
  declare readonly help: string | undefined;

  constructor(message: string, options: TensorloomErrorOptions = {}) {
    super(
      options.help === undefined ? message : `${message}\nhelp: ${options.help}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'TensorloomError';
    // Not enumerable: Node prints an uncaught error's stack (which holds the message, so the
    // help line) and then its enumerable properties, which printed the help line twice.
    Object.defineProperty(this, 'help', { value: options.help, enumerable: false, writable: false, configurable: true });
  }
}

/**
 * A tensor arrived with the wrong shape or rank.
 *
 * @example
 * ```ts
 * throw new ShapeError("Conv2D 'conv1': input must be rank 4 [batch, h, w, c], got [28, 28]");
 * ```
 *
 * @group Errors
 */
export class ShapeError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'ShapeError';
  }
}

/**
 * A tensor arrived with the wrong dtype.
 *
 * @example
 * ```ts
 * throw new DTypeError("Embedding 'emb': input dtype expected int32, got float32");
 * ```
 *
 * @group Errors
 */
export class DTypeError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'DTypeError';
  }
}

/**
 * A tensor's values are invalid for the operation (an id out of range, a NaN where none is
 * allowed), while its shape and dtype are fine.
 *
 * @example
 * ```ts
 * throw new ValueError("Embedding 'emb': input id expected an integer in [0, 100), got 120 at flat index 3");
 * ```
 *
 * @group Errors
 */
export class ValueError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'ValueError';
  }
}

/**
 * A configuration value is invalid. Thrown when the configuration is given, not later.
 *
 * @example
 * ```ts
 * throw new ConfigError("Dropout 'drop1': rate must be in [0, 1), got 1.5");
 * ```
 *
 * @group Errors
 */
export class ConfigError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * A backend was asked for that is not installed or does not initialise.
 *
 * @example
 * ```ts
 * throw new BackendError("backend 'wasm' is not registered", {
 *   help: "npm install @tensorloom/backend-wasm, then import '@tensorloom/backend-wasm'",
 * });
 * ```
 *
 * @group Errors
 */
export class BackendError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'BackendError';
  }
}

/**
 * A function left tensors allocated that it should have disposed.
 *
 * @example
 * ```ts
 * await expectNoLeaks(() => tf.tidy(() => tf.ones([2]).sum()).dispose()); // passes
 * ```
 *
 * @group Errors
 */
export class LeakError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'LeakError';
  }
}

/**
 * A file or byte buffer is not in the format it claims (truncated, bad header, ...).
 *
 * @example
 * ```ts
 * throw new FormatError('safetensors: header length 9000 exceeds file size 120');
 * ```
 *
 * @group Errors
 */
export class FormatError extends TensorloomError {
  constructor(message: string, options?: TensorloomErrorOptions) {
    super(message, options);
    this.name = 'FormatError';
  }
}
