/**
 * The 2-D lab's part of the page: its controls, the decision-surface heat map with the
 * points, the train and test loss curves, and one small map per hidden unit.
 */
import { drawChart } from '../chart.js';
import type { FromLab, LabConfig, ToLab } from '../messages.js';

/** What the lab shows, also read by the browser test (`window.lab`). */
export interface LabState {
  running: boolean;
  steps: number;
  trainLoss: number[];
  testLoss: number[];
  /** Units drawn in the last frame, per hidden layer. */
  unitMaps: number;
  errors: string[];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Colour of a probability of class 1 (orange) against class 0 (blue). */
function colour(p: number, alpha = 255): [number, number, number, number] {
  const a = [33, 102, 172], b = [230, 120, 20];
  return [a[0]! + (b[0]! - a[0]!) * p, a[1]! + (b[1]! - a[1]!) * p, a[2]! + (b[2]! - a[2]!) * p, alpha];
}

function paintGrid(canvas: HTMLCanvasElement, values: Float32Array, offset: number, size: number, normalise: boolean): void {
  const ctx = canvas.getContext('2d')!;
  let lo = 0, hi = 1;
  if (normalise) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < size * size; i++) {
      lo = Math.min(lo, values[offset + i]!);
      hi = Math.max(hi, values[offset + i]!);
    }
  }
  const image = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const v = hi > lo ? (values[offset + i]! - lo) / (hi - lo) : 0.5;
    image.data.set(colour(v, 200), i * 4);
  }
  const small = new OffscreenCanvas(size, size);
  small.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

export function startLab(): LabState {
  const lab: LabState = { running: false, steps: 0, trainLoss: [], testLoss: [], unitMaps: 0, errors: [] };
  (window as unknown as { lab: LabState }).lab = lab;
  const worker = new Worker(new URL('./lab-worker.ts', import.meta.url), { type: 'module' });
  const send = (m: ToLab) => worker.postMessage(m);
  const surface = $<HTMLCanvasElement>('lab-surface');
  const lossCanvas = $<HTMLCanvasElement>('lab-loss');
  const unitsBox = $('lab-units');
  const startButton = $<HTMLButtonElement>('lab-start');
  const stopButton = $<HTMLButtonElement>('lab-stop');
  let points: { xy: Float32Array; labels: Int32Array; trainCount: number } | null = null;

  const readConfig = (): LabConfig => {
    const num = (id: string) => Number($<HTMLInputElement>(id).value);
    const hidden = $<HTMLInputElement>('lab-hidden').value.split(/[\s,]+/).filter((s) => s !== '').map(Number);
    return {
      data: $<HTMLSelectElement>('lab-data').value as LabConfig['data'],
      noise: num('lab-noise'),
      hidden: hidden.filter((w) => Number.isInteger(w) && w > 0 && w <= 16).slice(0, 4),
      activation: $<HTMLSelectElement>('lab-activation').value as LabConfig['activation'],
      learningRate: num('lab-lr'),
      l1: num('lab-l1'),
      l2: num('lab-l2'),
      dropout: num('lab-dropout'),
      seed: Math.round(num('lab-seed')),
    };
  };
  const setButtons = () => {
    startButton.textContent = lab.running ? 'Restart' : 'Start';
    stopButton.disabled = !lab.running;
  };

  worker.onmessage = (event: MessageEvent<FromLab>) => {
    const m = event.data;
    if (m.type === 'data') points = m;
    if (m.type === 'frame') {
      lab.steps = m.step;
      lab.trainLoss.push(m.trainLoss);
      lab.testLoss.push(m.testLoss);
      paintGrid(surface, m.grid, 0, m.size, false);
      if (points !== null) {
        const ctx = surface.getContext('2d')!;
        for (let i = 0; i < points.labels.length; i++) {
          const x = ((points.xy[2 * i]! + 1) / 2) * surface.width;
          const y = ((1 - points.xy[2 * i + 1]!) / 2) * surface.height;
          const [r, g, b] = colour(points.labels[i]!);
          ctx.beginPath();
          ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
          if (i < points.trainCount) {
            ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
            ctx.fill();
            ctx.strokeStyle = '#fff';
          } else {
            ctx.strokeStyle = `rgb(${r}, ${g}, ${b})`;
          }
          ctx.stroke();
        }
      }
      drawChart(lossCanvas, [{ values: lab.trainLoss, color: '#1565c0' }, { values: lab.testLoss, color: '#c62828' }], { min: 0 });
      $('lab-progress').textContent = `Step ${m.step} · train loss ${m.trainLoss.toFixed(3)} · test loss ${m.testLoss.toFixed(3)}`;
      // One row of small maps per hidden layer, each normalised to its own range.
      const want = m.widths.map((w, l) => `${l}:${w}`).join(',');
      if (unitsBox.dataset.layout !== want) {
        unitsBox.dataset.layout = want;
        unitsBox.innerHTML = m.widths
          .map((w, l) => `<div class="lab-layer"><span>Layer ${l + 1}</span>${Array.from({ length: w }, (_, u) =>
            `<canvas width="56" height="56" role="img" aria-label="Layer ${l + 1} unit ${u + 1} response"></canvas>`).join('')}</div>`)
          .join('');
      }
      let maps = 0;
      unitsBox.querySelectorAll<HTMLDivElement>('.lab-layer').forEach((row, l) => {
        row.querySelectorAll('canvas').forEach((c, u) => {
          paintGrid(c, m.units[l]!, u * m.size * m.size, m.size, true);
          maps += 1;
        });
      });
      lab.unitMaps = maps;
    }
    if (m.type === 'stopped') lab.running = false;
    if (m.type === 'error') {
      lab.errors.push(m.message);
      lab.running = false;
      $('lab-progress').textContent = `Error: ${m.message}`;
    }
    setButtons();
  };

  startButton.addEventListener('click', () => {
    lab.trainLoss = [];
    lab.testLoss = [];
    lab.running = true;
    send({ type: 'start', config: readConfig() });
    setButtons();
  });
  stopButton.addEventListener('click', () => send({ type: 'stop' }));
  setButtons();
  return lab;
}
