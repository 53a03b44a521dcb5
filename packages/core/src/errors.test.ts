import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from './errors.js';

// Node prints an uncaught error with util.inspect: the stack (which carries the message and
// so the help line) and then the error's own enumerable properties.
describe('how an error prints', () => {
  it('shows the help line once, and no empty cause', () => {
    const e = new ConfigError("Dense 'fc': units expected a positive integer, got 0", { help: 'pass units: 10' });
    const printed = inspect(e);
    expect(printed.split('help: pass units: 10').length - 1).toBe(1);
    expect(printed).not.toContain('[cause]');
    expect(e.help).toBe('pass units: 10');
    expect(Object.keys(e)).not.toContain('help');
  });

  it('keeps a real cause, printed once', () => {
    const e = new FormatError("readImage 'a.png': cannot read the file", { cause: new Error('ENOENT: gone') });
    expect(e.cause).toBeInstanceOf(Error);
    expect(inspect(e).split('ENOENT: gone').length - 1).toBe(1);
  });
});
