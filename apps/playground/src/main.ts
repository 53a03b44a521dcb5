/**
 * The page: controls, charts, the drawing pad and the confusion matrix. All the tensor work
 * happens in the worker (worker.ts); this thread only draws and forwards messages.
 */
import { drawChart } from './chart.js';
import { padToDigit } from './draw.js';
import { startLab } from './lab/lab-page.js';
import type { Architecture, FromWorker, ToWorker, TrainConfig, TrainState } from './messages.js';

/** What the page knows, also read by the browser test (`window.playground`). */
export interface PageState {
  ready: boolean;
  state: TrainState;
  losses: number[];
  accuracy: number[];
  testAccuracy: number[];
  /** The latest top-10 probabilities shown for the drawing. */
  prediction: number[] | null;
  confusionAccuracy: number | null;
  errors: string[];
  /** Whether a prediction was asked for and its answer has not come yet. */
  predicting: boolean;
  /** Set when a model was loaded from a file. */
  loadedConfig: TrainConfig | null;
}

const page: PageState = {
  ready: false, state: 'idle', losses: [], accuracy: [], testAccuracy: [],
  prediction: null, predicting: false, confusionAccuracy: null, errors: [], loadedConfig: null,
};
(window as unknown as { playground: PageState }).playground = page;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const progress = $('progress');
const buttons = {
  train: $<HTMLButtonElement>('train'), pause: $<HTMLButtonElement>('pause'), resume: $<HTMLButtonElement>('resume'),
  stop: $<HTMLButtonElement>('stop'), save: $<HTMLButtonElement>('save'),
};
const pad = $<HTMLCanvasElement>('pad');
const lossChart = $<HTMLCanvasElement>('loss-chart');
const accuracyChart = $<HTMLCanvasElement>('accuracy-chart');

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

let nextId = 1;
let latestPredictId = 0;
let hasModel = false;
let backendLine = '';
let stepsPerEpoch = 0;

function readConfig(): TrainConfig {
  const num = (id: string) => Number($<HTMLInputElement>(id).value);
  return {
    architecture: $<HTMLSelectElement>('architecture').value as Architecture,
    epochs: Math.max(1, Math.round(num('epochs'))),
    batchSize: num('batch-size'),
    learningRate: num('learning-rate'),
    seed: Math.round(num('seed')),
  };
}

function setButtons(): void {
  const running = page.state === 'training' || page.state === 'paused';
  buttons.train.disabled = !page.ready || running;
  buttons.pause.disabled = page.state !== 'training';
  buttons.resume.disabled = page.state !== 'paused';
  buttons.stop.disabled = !running;
  buttons.save.disabled = !hasModel || running;
  $<HTMLInputElement>('load').disabled = !page.ready || running;
}

function redrawCharts(): void {
  drawChart(lossChart, [{ values: page.losses, color: '#1565c0' }], { min: 0, xCount: stepsPerEpoch * readConfig().epochs });
  drawChart(accuracyChart, [
    { values: page.accuracy, color: '#1565c0' },
    { values: page.testAccuracy, color: '#c62828' },
  ], { min: 0, max: 1 });
}

let chartQueued = false;
function queueCharts(): void {
  if (chartQueued) return;
  chartQueued = true;
  requestAnimationFrame(() => {
    chartQueued = false;
    redrawCharts();
  });
}

function showConfusion(matrix: number[][], accuracy: number): void {
  const table = $<HTMLTableElement>('confusion');
  const head = `<tr><th scope="col">true \\ predicted</th>${matrix.map((_, p) => `<th scope="col">${p}</th>`).join('')}</tr>`;
  const max = Math.max(...matrix.flat());
  const rows = matrix.map((row, t) =>
    `<tr><th scope="row">${t}</th>${row.map((v) => `<td style="background: rgba(21, 101, 192, ${(0.6 * v) / max})">${v}</td>`).join('')}</tr>`,
  );
  table.innerHTML = head + rows.join('');
  $('confusion-summary').textContent = `Test-subset accuracy ${(100 * accuracy).toFixed(1)} % (row: the true digit; column: the prediction).`;
  page.confusionAccuracy = accuracy;
}

function showPrediction(probabilities: number[]): void {
  page.prediction = probabilities;
  const top = probabilities.map((p, d) => [p, d] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
  $('predictions').innerHTML = top.map(([p, d]) => `<li><strong>${d}</strong> ${(100 * p).toFixed(1)} %</li>`).join('');
}

function requestPrediction(): void {
  if (!hasModel) return;
  const pixels = padToDigit(pad);
  if (pixels === null) return;
  latestPredictId = nextId++;
  page.predicting = true;
  send({ type: 'predict', id: latestPredictId, pixels }, [pixels.buffer]);
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      page.ready = true;
      backendLine = `Backend ${m.backend}, SIMD ${m.simd ? 'on' : 'off'}, threads ${m.threads ? 'on' : 'off'}` +
        `${m.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}; ${m.train} training and ${m.test} test digits.`;
      status.textContent = `Ready. ${backendLine}`;
      break;
    case 'state':
      page.state = m.state;
      if (m.state === 'training') status.textContent = `Training… ${backendLine}`;
      if (m.state === 'paused') status.textContent = 'Paused.';
      if (m.state === 'done') {
        hasModel = true;
        status.textContent = `Training ${m.reason ?? 'finished'}. Draw a digit. ${backendLine}`;
        requestPrediction();
      }
      if (m.state === 'idle' && m.reason !== undefined) status.textContent = `Training ${m.reason}.`;
      break;
    case 'step':
      hasModel = true;
      page.losses.push(m.loss);
      progress.textContent = `Epoch ${m.epoch + 1} · step ${m.step} · loss ${m.loss.toFixed(3)} · ${m.samplesPerSecond.toFixed(0)} samples/s`;
      queueCharts();
      if (m.step % 10 === 0) requestPrediction();
      break;
    case 'epoch':
      page.accuracy.push(m.accuracy);
      page.testAccuracy.push(m.testAccuracy);
      queueCharts();
      break;
    case 'confusion':
      showConfusion(m.matrix, m.accuracy);
      break;
    case 'prediction':
      if (m.id === latestPredictId) {
        page.predicting = false;
        showPrediction(m.probabilities);
      }
      break;
    case 'saved': {
      const url = URL.createObjectURL(new Blob([m.file as BlobPart], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = m.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = `Saved ${m.name} (${m.file.byteLength.toLocaleString('en')} bytes).`;
      break;
    }
    case 'loaded':
      hasModel = true;
      page.loadedConfig = m.config;
      status.textContent = `Loaded a ${m.config.architecture} model. Draw a digit.`;
      requestPrediction();
      break;
    case 'error':
      page.errors.push(m.message);
      status.textContent = `Error: ${m.message}`;
      break;
  }
  setButtons();
};

buttons.train.addEventListener('click', () => {
  const config = readConfig();
  page.losses = [];
  page.accuracy = [];
  page.testAccuracy = [];
  stepsPerEpoch = Math.ceil(4000 / config.batchSize);
  send({ type: 'train', config });
});
buttons.pause.addEventListener('click', () => send({ type: 'pause' }));
buttons.resume.addEventListener('click', () => send({ type: 'resume' }));
buttons.stop.addEventListener('click', () => send({ type: 'stop' }));
buttons.save.addEventListener('click', () => send({ type: 'save', id: nextId++ }));
$<HTMLInputElement>('load').addEventListener('change', async (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  if (file === undefined) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  input.value = '';
  send({ type: 'load', id: nextId++, file: bytes }, [bytes.buffer]);
});

// The drawing pad: pointer events cover mouse, touch and pen.
const ctx = pad.getContext('2d', { willReadFrequently: true })!;
function clearPad(): void {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  $('predictions').innerHTML = '';
  page.prediction = null;
}
clearPad();
let last: { x: number; y: number } | null = null;
let predictQueued = false;
const at = (e: PointerEvent) => {
  const r = pad.getBoundingClientRect();
  return { x: ((e.clientX - r.left) * pad.width) / r.width, y: ((e.clientY - r.top) * pad.height) / r.height };
};
pad.addEventListener('pointerdown', (e) => {
  pad.setPointerCapture(e.pointerId);
  last = at(e);
});
pad.addEventListener('pointermove', (e) => {
  if (last === null) return;
  const p = at(e);
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 20;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(last.x, last.y);
  ctx.lineTo(p.x, p.y);
  ctx.stroke();
  last = p;
  if (!predictQueued) {
    predictQueued = true;
    requestAnimationFrame(() => {
      predictQueued = false;
      requestPrediction();
    });
  }
});
const endStroke = () => {
  if (last !== null) requestPrediction();
  last = null;
};
pad.addEventListener('pointerup', endStroke);
pad.addEventListener('pointercancel', endStroke);
$('clear').addEventListener('click', clearPad);
pad.addEventListener('keydown', (e) => {
  if (e.key === 'Delete' || e.key === 'Backspace') clearPad();
});

setButtons();
redrawCharts();
startLab();
