/**
 * Node-only parts of `@tensorloom/data`: images and CSV files on disk.
 *
 * Images are decoded with the pure-JavaScript `pngjs` and `jpeg-js` (no native build), so
 * this works wherever Node runs.
 *
 * @example
 * ```ts
 * import { readImageFolder, readCsv, readImage, writePng } from '@tensorloom/data/node';
 * const folder = await readImageFolder('data/train', { channels: 1, dtype: 'float32' });
 * ```
 *
 * @module
 */
export { readImage, decodeImage, writePng, encodePng } from './files/image.js';
export type { ReadImageOptions } from './files/image.js';
export { readImageFolder } from './files/image-folder.js';
export type { ImageFile, ImageFolder, ImageFolderOptions, ImageFolderSample } from './files/image-folder.js';
export { readCsv } from './files/csv.js';
export type { CsvColumnType, CsvRow, ReadCsvOptions } from './files/csv.js';
