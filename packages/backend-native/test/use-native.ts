// vitest setup file of the project '@tensorloom/layers on native' (vitest.config.ts): runs
// the layers suite on the 'native' backend with every float32 MatMul and convolution sent
// to ONNX Runtime, however small (tuning 'ort'), so that the suite exercises those kernels
// rather than the wasm ones below the crossover.
import { useBackend } from '@tensorloom/core';
import '../src/index.js';
import { setNativeThreads } from '../src/index.js';
import { setTuning } from '../src/internal/kernel.js';

setTuning('ort');
setNativeThreads(1);
await useBackend('native');
