import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as metrics from './index.js';
import { xmlProblem } from './internal/testing.js';

// Runs the README's first ts example as written: its import line becomes a destructuring of
// this package, and console.log is captured.
describe('README example', () => {
  it('runs and prints what its comments say', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const body = code.replace(/^import \{([^}]+)\} from '@tensorloom\/metrics';$/m, 'const {$1} = __metrics;') + '\nreturn svg;';
    const logged: unknown[][] = [];
    const run = new Function('__metrics', 'console', body) as (m: typeof metrics, c: { log: (...a: unknown[]) => void }) => string;
    const svg = run(metrics, { log: (...a) => logged.push(a) });
    expect(logged[0]).toEqual([0.75]);
    // macro F1: class F1s 2/3, 1, 2/3; one-vs-rest AUCs 1, 1, 3/4
    expect(logged[1][0]).toBeCloseTo(7 / 9, 12);
    expect(logged[1][1]).toBeCloseTo(2.75 / 3, 12);
    const table = code
      .split('\n')
      .filter((l) => l.startsWith('// ') && !l.includes('one shot') && !l.includes('streaming'))
      .map((l) => l.slice(3));
    expect(logged[2][0]).toBe(table.join('\n'));
    expect(xmlProblem(svg)).toBeNull();
  });
});
