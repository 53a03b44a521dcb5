// @tensorloom/app-kit: what the sample apps share, so each app's files say only what is its own.
export { program, run, USAGE_EXIT_CODE } from './cli.js';
export { choice, integer, number } from './options.js';
export { BACKENDS, selectBackend, withReproducibleKernels } from './backend.js';
export type { BackendFlag } from './backend.js';
export { escapeHtml, htmlTable, pngImg, reportHtml } from './report.js';
export type { ReportSection } from './report.js';
export { imageGridPng, overlayHeat } from './pictures.js';
