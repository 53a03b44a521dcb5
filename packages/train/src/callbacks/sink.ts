/**
 * Where a logging callback writes: a function that appends text or bytes. `fileSink(path)`
 * from `@tensorloom/train/node` appends to a file; in a browser, collect the chunks.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const sink: Sink = (chunk) => { lines.push(String(chunk)); };
 * ```
 */
export type Sink = (chunk: string | Uint8Array) => void | Promise<void>;
