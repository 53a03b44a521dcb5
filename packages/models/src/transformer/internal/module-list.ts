// A numbered container of same-typed blocks (`h.0`, `h.1`, ...), as PyTorch's ModuleList, so
// checkpoint names read like the reference implementations'. Not exported from the package.
import { ConfigError } from '@tensorloom/core';
import type { tf } from '@tensorloom/core';
import { Module } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';

/** Children named `0`, `1`, ...; applying it runs them in order (tensor-to-tensor blocks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class ModuleList<M extends Module<any, any>> extends Module {
  readonly items: readonly M[];

  constructor(name: string, items: readonly M[]) {
    super({ name });
    items.forEach((m, i) => this.addModule(String(i), m));
    this.items = items;
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    if (this.items.length === 0) throw new ConfigError(`${this.label}: apply expected at least one block, got 0`);
    let h = x;
    for (const m of this.items) {
      const next = (m as unknown as Module).apply(h, options);
      if (h !== x) h.dispose();
      h = next;
    }
    return h;
  }
}
