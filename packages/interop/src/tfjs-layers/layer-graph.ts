// A directed acyclic graph of layers, run in topological order: what a tfjs-layers (Keras)
// functional `Model` is. It lives here rather than in @tensorloom/layers because its
// description is the tfjs-layers/Keras one (layer calls, "nodes", referenced by layer name,
// call index and output index); Tensorloom's own idiom for a non-sequential model is a
// Module subclass with a `call`.
import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Module } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Shape, ShapeOf } from '@tensorloom/layers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<any, any>;

/**
 * One tensor of a {@link LayerGraph}: the output `index` of the `node`-th call of `layer`
 * (a graph input's name, node 0, index 0, for an input). A string is `{ layer: string }`.
 *
 * @example
 * ```ts
 * const second: GraphRef = { layer: 'shared', node: 1 }; // the shared layer's second call
 * const input: GraphRef = 'image';
 * ```
 */
export type GraphRef = string | GraphTensor;

/**
 * The object form of a {@link GraphRef}.
 *
 * @example
 * ```ts
 * const state: GraphTensor = { layer: 'lstm', node: 0, index: 1 }; // an LSTM's first state
 * ```
 */
export interface GraphTensor {
  /** The layer (or graph input) whose output it is. */
  readonly layer: string;
  /** Which call of the layer (0 for its first). Default 0. */
  readonly node?: number;
  /** Which output of that call (0 for a layer with one output). Default 0. */
  readonly index?: number;
}

/**
 * One call of a layer in a {@link LayerGraph}: the layer's name and the tensors it takes (one,
 * or a list for merges). The n-th node of a layer in `nodes` is its call number n.
 *
 * @example
 * ```ts
 * const node: GraphNode = { layer: 'add', inputs: ['branch_a', 'branch_b'] };
 * ```
 */
export interface GraphNode {
  /** The layer called (its `name`). */
  readonly layer: string;
  /** Its input tensors: one for most layers, several for merges. */
  readonly inputs: readonly GraphRef[];
}

/**
 * One call of a layer as a {@link LayerGraph} runs it: references resolved, the call numbered.
 *
 * @example
 * ```ts
 * const calls = graph.nodes.filter((n: GraphCall) => n.layer === 'shared').length;
 * ```
 */
export interface GraphCall {
  /** The layer called. */
  readonly layer: string;
  /** Which call of the layer this is (0 for its first). */
  readonly node: number;
  /** The tensors it takes. */
  readonly inputs: readonly Required<GraphTensor>[];
}

/**
 * One input of a {@link LayerGraph}.
 *
 * @example
 * ```ts
 * const input: GraphInput = { name: 'ids', dtype: 'int32' };
 * ```
 */
export interface GraphInput {
  /** The input's name, referenced by nodes. */
  readonly name: string;
  /** Its dtype (int32 for token ids). Default `'float32'`. */
  readonly dtype?: 'float32' | 'int32';
}

/**
 * Configuration of {@link LayerGraph}.
 *
 * @example
 * ```ts
 * const config: LayerGraphConfig = {
 *   inputs: [{ name: 'x' }],
 *   layers: [new Dense({ name: 'fc', units: 4 })],
 *   nodes: [{ layer: 'fc', inputs: ['x'] }],
 *   outputs: ['fc'],
 * };
 * ```
 */
export interface LayerGraphConfig extends ModuleConfig {
  /** The graph's inputs, in the order `apply` takes them. */
  readonly inputs: readonly GraphInput[];
  /** Every layer, each once (a layer called twice shares its weights). Names must be unique. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly layers: readonly Module<any, any>[];
  /** Every call of a layer, in any order (the graph runs them in topological order). */
  readonly nodes: readonly GraphNode[];
  /** The graph's outputs, in the order `apply` returns them. */
  readonly outputs: readonly GraphRef[];
}

/** A resolved reference. */
interface Ref {
  layer: string;
  node: number;
  index: number;
}

const keyOf = (r: Ref): string => `${r.layer}:${r.node}:${r.index}`;
const resolve = (r: GraphRef): Ref => (typeof r === 'string' ? { layer: r, node: 0, index: 0 } : { layer: r.layer, node: r.node ?? 0, index: r.index ?? 0 });

function isShape(x: unknown): x is Shape {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === 'number');
}

/**
 * A graph of layers run in topological order, with several inputs and outputs and shared
 * layers (a layer called more than once keeps one set of weights): the Tensorloom
 * counterpart of a tfjs-layers functional `Model`, which {@link fromTfjsLayers} builds and
 * {@link toTfjsLayers} writes back. Its weights are `<layer>.<param>` like a Sequential's.
 *
 * `apply` takes one tensor (one input) or a list in `inputs` order, and returns one tensor
 * (one output) or a list in `outputs` order. Masks follow single-input calls
 * (`computeMask`); a merge's output has none.
 *
 * @example
 * ```ts
 * const graph = new LayerGraph({
 *   inputs: [{ name: 'a' }, { name: 'b' }],
 *   layers: [new Dense({ name: 'shared', units: 4 }), new Add({ name: 'add' })],
 *   nodes: [
 *     { layer: 'shared', inputs: ['a'] },
 *     { layer: 'shared', inputs: ['b'] },
 *     { layer: 'add', inputs: [{ layer: 'shared', node: 0 }, { layer: 'shared', node: 1 }] },
 *   ],
 *   outputs: ['add'],
 * }).build([[null, 3], [null, 3]], rng(1));
 * const y = graph.apply([a, b]) as tf.Tensor;
 * ```
 */
export class LayerGraph extends Module<tf.Tensor | tf.Tensor[], tf.Tensor | tf.Tensor[]> {
  /** The graph's inputs. */
  readonly inputs: readonly GraphInput[];
  /** The layers by name, in the order given. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly layers: ReadonlyMap<string, Module<any, any>>;
  /** The calls, in the order they run (topological). */
  readonly nodes: readonly GraphCall[];
  /** The graph's outputs. */
  readonly outputs: readonly Required<GraphTensor>[];
  private shapes: Shape[] | null = null;

  constructor(config: LayerGraphConfig) {
    super(config);
    const unit = `LayerGraph '${this.name}'`;
    if (config.inputs.length === 0) throw new ConfigError(`${unit}: inputs expected at least 1, got 0`);
    if (config.outputs.length === 0) throw new ConfigError(`${unit}: outputs expected at least 1, got 0`);
    const inputNames = new Set<string>();
    for (const input of config.inputs) {
      if (inputNames.has(input.name)) throw new ConfigError(`${unit}: input name '${input.name}' is used twice`);
      inputNames.add(input.name);
    }
    const layers = new Map<string, AnyModule>();
    for (const layer of config.layers) {
      if (layers.has(layer.name) || inputNames.has(layer.name)) throw new ConfigError(`${unit}: layer name '${layer.name}' is used twice`);
      layers.set(layer.name, layer);
      this.addModule(layer.name, layer);
    }
    this.layers = layers;
    this.inputs = [...config.inputs];
    // Number each layer's calls in the order given.
    const calls = new Map<string, number>();
    const numbered = config.nodes.map((n, i) => {
      if (!layers.has(n.layer)) throw new ConfigError(`${unit}: node ${i} calls layer '${n.layer}', which is not among the layers`);
      if (n.inputs.length === 0) throw new ConfigError(`${unit}: node ${i} (layer '${n.layer}') expected at least 1 input, got 0`);
      const node = calls.get(n.layer) ?? 0;
      calls.set(n.layer, node + 1);
      return { layer: n.layer, node, inputs: n.inputs.map(resolve) };
    });
    const unused = [...layers.keys()].find((name) => !calls.has(name));
    if (unused !== undefined) throw new ConfigError(`${unit}: layer '${unused}' is never called`);
    const exists = (r: Ref, where: string): void => {
      const ok = inputNames.has(r.layer) ? r.node === 0 && r.index === 0 : r.node < (calls.get(r.layer) ?? 0) && r.index >= 0;
      if (!ok) throw new ConfigError(`${unit}: ${where} refers to ${r.layer}[node ${r.node}, output ${r.index}], which the graph does not have`);
    };
    // Kahn's algorithm: run a call once every tensor it reads exists.
    const ready = new Set<string>([...inputNames].map((n) => `${n}:0`));
    const order: typeof numbered = [];
    let pending = numbered;
    while (pending.length > 0) {
      const next = pending.filter((n) => n.inputs.every((r) => ready.has(`${r.layer}:${r.node}`)));
      if (next.length === 0) {
        const stuck = pending[0]!;
        for (const r of stuck.inputs) exists(r, `node of layer '${stuck.layer}'`);
        throw new ConfigError(`${unit}: the graph has a cycle through layer '${stuck.layer}'`);
      }
      for (const n of next) {
        for (const r of n.inputs) exists(r, `node of layer '${n.layer}'`);
        ready.add(`${n.layer}:${n.node}`);
        order.push(n);
      }
      pending = pending.filter((n) => !next.includes(n));
    }
    this.nodes = order;
    this.outputs = config.outputs.map(resolve);
    for (const r of this.outputs) exists(r, 'an output');
  }

  /** The input shapes the graph was built for (batch `null`), in `inputs` order, or `null` before build. */
  get inputShapes(): readonly Shape[] | null {
    return this.shapes;
  }

  private shapeList(inputShape: Shape | Shape[]): Shape[] {
    const list = this.inputs.length === 1 && isShape(inputShape) ? [inputShape] : (inputShape as Shape[]);
    if (!Array.isArray(list) || list.length !== this.inputs.length || !list.every(isShape)) {
      throw new ShapeError(`${this.label}: input shape expected ${this.inputs.length} shape(s) (${this.inputs.map((i) => i.name).join(', ')}), got ${JSON.stringify(inputShape)}`);
    }
    return list;
  }

  /** Shapes of every tensor, node by node (building each layer on its first call). */
  private propagate(inputShapes: Shape[], build: boolean): Map<string, Shape> {
    const shapes = new Map<string, Shape>(this.inputs.map((input, i) => [`${input.name}:0:0`, inputShapes[i]!]));
    for (const n of this.nodes) {
      const layer = this.layers.get(n.layer)!;
      const ins = n.inputs.map((r) => {
        const s = shapes.get(keyOf(r));
        if (s === undefined) throw new ShapeError(`${this.label}: layer '${n.layer}' reads ${r.layer}[node ${r.node}, output ${r.index}], which has no such output`);
        return s;
      });
      const arg = ins.length === 1 ? ins[0]! : ins;
      if (build && !layer.built) layer.build(arg);
      const out = layer.outputShape(arg) as Shape | Shape[];
      const outs = isShape(out) ? [out] : out;
      outs.forEach((s, index) => shapes.set(`${n.layer}:${n.node}:${index}`, s));
    }
    return shapes;
  }

  protected override onBuild(inputShape: Shape | Shape[]): void {
    const list = this.shapeList(inputShape);
    this.propagate(list, true);
    this.shapes = list.map((s) => [null, ...s.slice(1)]);
  }

  override outputShape(inputShape: ShapeOf<tf.Tensor | tf.Tensor[]>): ShapeOf<tf.Tensor | tf.Tensor[]> {
    const shapes = this.propagate(this.shapeList(inputShape as Shape | Shape[]), false);
    const outs = this.outputs.map((r) => shapes.get(keyOf(r))!);
    return outs.length === 1 ? outs[0]! : outs;
  }

  protected call(input: tf.Tensor | tf.Tensor[], options: ApplyOptions): tf.Tensor | tf.Tensor[] {
    const list = input instanceof tf.Tensor ? [input] : input;
    if (list.length !== this.inputs.length) {
      throw new ShapeError(`${this.label}: input expected ${this.inputs.length} tensor(s) (${this.inputs.map((i) => i.name).join(', ')}), got ${list.length}`);
    }
    return tf.tidy(() => {
      const values = new Map<string, tf.Tensor>();
      const masks = new Map<string, tf.Tensor | null>();
      this.inputs.forEach((inp, i) => {
        values.set(`${inp.name}:0:0`, list[i]!); // each layer applies its own dtype rule
        masks.set(`${inp.name}:0:0`, i === 0 ? (options.mask ?? null) : null);
      });
      for (const n of this.nodes) {
        const layer = this.layers.get(n.layer)!;
        const ins = n.inputs.map((r) => {
          const v = values.get(keyOf(r));
          if (v === undefined) throw new ShapeError(`${this.label}: layer '${n.layer}' reads ${r.layer}[node ${r.node}, output ${r.index}], which has no such output`);
          return v;
        });
        const single = ins.length === 1;
        const mask = single ? (masks.get(keyOf(n.inputs[0]!)) ?? null) : null;
        const out = layer.apply(single ? ins[0]! : ins, { ...options, mask }) as tf.Tensor | tf.Tensor[];
        const outMask = single ? layer.computeMask(ins[0]!, mask) : null;
        (out instanceof tf.Tensor ? [out] : out).forEach((t, index) => {
          values.set(`${n.layer}:${n.node}:${index}`, t);
          masks.set(`${n.layer}:${n.node}:${index}`, outMask);
        });
      }
      // An output that is an input is copied, so the caller owns every tensor returned.
      const outs = this.outputs.map((r) => {
        const v = values.get(keyOf(r))!;
        return list.includes(v) ? v.clone() : v;
      });
      return outs.length === 1 ? outs[0]! : outs;
    });
  }
}

/** Elementwise merge of ≥ 2 same-shape (broadcastable) tensors with one reduction. */
abstract class Merge extends Module<tf.Tensor[], tf.Tensor> {
  /** Combines the inputs (same shapes) into one tensor. */
  protected abstract reduce(inputs: tf.Tensor[]): tf.Tensor;

  override outputShape(inputShape: Shape[]): Shape {
    if (!Array.isArray(inputShape) || inputShape.length < 2 || !inputShape.every(isShape)) {
      throw new ShapeError(`${this.label}: input expected a list of at least 2 tensors, got ${JSON.stringify(inputShape)}`);
    }
    const first = inputShape[0]!;
    for (const s of inputShape.slice(1)) {
      if (s.length !== first.length || s.some((d, i) => d !== null && first[i] !== null && d !== first[i])) {
        throw new ShapeError(`${this.label}: inputs expected the same shape, got ${inputShape.map(formatShape).join(' and ')}`);
      }
    }
    return first.map((d, i) => d ?? inputShape.find((s) => s[i] !== null)?.[i] ?? null);
  }

  protected override onBuild(inputShape: Shape[]): void {
    this.outputShape(inputShape);
  }

  protected call(inputs: tf.Tensor[], _options: ApplyOptions): tf.Tensor {
    this.outputShape(inputs.map((t) => t.shape));
    return tf.tidy(() => this.reduce(inputs));
  }
}

/**
 * The elementwise mean of a list of same-shape tensors (tfjs-layers' `Average` merge).
 *
 * @example
 * ```ts
 * const mean = new Average().apply([a, b]);
 * ```
 */
export class Average extends Merge {
  /** Their mean. */
  protected reduce(inputs: tf.Tensor[]): tf.Tensor {
    return tf.div(tf.addN(inputs), inputs.length);
  }
}

/**
 * The elementwise maximum of a list of same-shape tensors (tfjs-layers' `Maximum` merge).
 *
 * @example
 * ```ts
 * const top = new Maximum().apply([a, b]);
 * ```
 */
export class Maximum extends Merge {
  /** Their elementwise maximum. */
  protected reduce(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((acc, t) => tf.maximum(acc, t), inputs[0]!);
  }
}

/**
 * The elementwise minimum of a list of same-shape tensors (tfjs-layers' `Minimum` merge).
 *
 * @example
 * ```ts
 * const bottom = new Minimum().apply([a, b]);
 * ```
 */
export class Minimum extends Merge {
  /** Their elementwise minimum. */
  protected reduce(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((acc, t) => tf.minimum(acc, t), inputs[0]!);
  }
}
