// The report page of a generative run, rebuilt from the run folder alone (log.jsonl,
// pictures/, metrics.json), so `train` and `evaluate` write the same page.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { htmlTable, pngImg, reportHtml } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';
import { historyFromJsonl, reportSvg } from '@tensorloom/train';
import { PICTURES, RUN_METRICS } from './run-folder.js';
import { CONFIDENT } from './scoring.js';
import type { GenerativeScores } from './scoring.js';
import type { GenerativeRunConfig } from './train.js';

/** What `metrics.json` holds: the VAE's test figure and, after `evaluate`, the classifier's scores. */
export interface RunMetrics {
  testNegativeElbo?: number;
  testImages?: number;
  scores?: GenerativeScores;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** The scores as two tables: the headline figures, and the class histogram. */
function scoreSection(s: GenerativeScores, model: string): ReportSection {
  const what = model === 'vae' ? 'VAE samples (prior)' : 'GAN samples';
  const sets = [
    [what, s.samples],
    ['train images', s.trainImages],
    ['test images', s.testImages],
  ] as const;
  const head = htmlTable([
    ['set', 'images', `confidence ≥ ${CONFIDENT}`, 'smallest class', 'Fréchet distance to test'],
    ...sets.map(([name, x]) => [name, String(x.count), pct(x.confidentShare), pct(Math.min(...x.classShares)), x.frechetToTest.toFixed(3)]),
  ]);
  const histogram = htmlTable([
    ['set', ...s.samples.classShares.map((_, k) => String(k))],
    ...sets.map(([name, x]) => [name, ...x.classShares.map((v) => `${(v * 100).toFixed(1)}`)]),
  ]);
  return {
    title: 'Scores by the classifier',
    note:
      `The ${s.classifier.architecture} of ${s.classifier.dir} labels ${s.samples.count} samples (latent seed ${s.seed}); targets: ≥ 80 % of them with ` +
      `confidence ≥ ${CONFIDENT}, every class ≥ 5 %. The Fréchet distance is taken on its ${s.classifier.featureDim} penultimate features against ` +
      'the test images; train against test is the floor. The second table: % of each set whose top class is each digit.',
    html: head + '<p></p>' + histogram,
  };
}

/** Writes `report.html` of the run folder `dir` from what the folder holds. */
export async function writeReport(dir: string, config: GenerativeRunConfig): Promise<string> {
  const history = historyFromJsonl(await readFile(join(dir, 'log.jsonl'), 'utf8'));
  const pictures = join(dir, PICTURES);
  const png = async (name: string): Promise<Uint8Array | null> => (existsSync(join(pictures, name)) ? readFile(join(pictures, name)) : null);
  const epochs = existsSync(pictures) ? (await readdir(pictures)).filter((f) => /^epoch-\d+\.png$/.test(f)).sort() : [];
  const metrics: RunMetrics = existsSync(join(dir, RUN_METRICS)) ? (JSON.parse(await readFile(join(dir, RUN_METRICS), 'utf8')) as RunMetrics) : {};
  const sections: ReportSection[] = [
    { title: 'Losses', html: reportSvg(history, { title: config.model === 'vae' ? 'VAE' : 'DCGAN: generator and discriminator' }) },
  ];
  if (metrics.scores) sections.push(scoreSection(metrics.scores, config.model));
  const figures = await Promise.all(epochs.map(async (f) => [f, (await png(f))!] as const));
  sections.push({
    title: 'Samples after each epoch',
    note: 'The same 32 latent vectors decoded after every epoch, first epoch first.',
    html: `<div class="tiles">${figures
      .map(([f, bytes]) => `<figure>${pngImg(bytes, f, 2)}<figcaption>epoch ${Number(/\d+/.exec(f)![0])}</figcaption></figure>`)
      .join('')}</div>`,
  });
  const interpolation = await png('interpolation.png');
  if (interpolation) {
    sections.push({ title: 'Latent interpolation', note: 'Each row walks in a straight line between two random latent vectors.', html: pngImg(interpolation, 'interpolation', 3) });
  }
  const reconstructions = await png('reconstructions.png');
  if (reconstructions) {
    sections.push({
      title: 'Reconstructions',
      note: 'Odd rows: test images; even rows: their reconstructions from the posterior mean.',
      html: pngImg(reconstructions, 'reconstructions', 3),
    });
  }
  const figuresText = [
    metrics.testNegativeElbo === undefined ? null : `test negative ELBO <b>${metrics.testNegativeElbo.toFixed(2)}</b> nats`,
    metrics.scores
      ? `${pct(metrics.scores.samples.confidentShare)} of ${metrics.scores.samples.count} samples labelled with confidence ≥ ${CONFIDENT}, ` +
        `smallest class ${pct(Math.min(...metrics.scores.samples.classShares))}, Fréchet distance <b>${metrics.scores.samples.frechetToTest.toFixed(2)}</b> ` +
        `(train against test: ${metrics.scores.trainImages.frechetToTest.toFixed(2)})`
      : null,
  ].filter((x) => x !== null);
  const summary =
    `${config.model} on ${config.dataset}${config.limit === undefined ? '' : ` (first ${config.limit} images of each split)`}, ${config.epochs} epochs, ` +
    `batch ${config.batchSize}, latent ${config.latent}, seed ${config.seed}${figuresText.length ? `: ${figuresText.join('; ')}.` : '.'}`;
  const file = join(dir, 'report.html');
  await writeFile(file, reportHtml(`Generative models — ${config.dataset}`, summary, sections));
  return file;
}
