/**
 * Node-only parts of `@tensorloom/train`: checkpoint directories written atomically, file
 * sinks for the loggers, TensorBoard event files and PNG reports.
 *
 * @example
 * ```ts
 * import { fileStore, fileSink } from '@tensorloom/train/node';
 * const store = fileStore('runs/mnist');
 * ```
 *
 * @packageDocumentation
 */
export { fileStore, fileSink, tensorBoardFile } from './node/file-store.js';
export { svgToPng, writeReport } from './node/report-files.js';
export type { ReportPaths, PngOptions } from './node/report-files.js';
