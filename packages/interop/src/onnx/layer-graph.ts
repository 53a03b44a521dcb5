// ONNX export of a LayerGraph (a tfjs-layers functional model, as fromTfjsLayers builds it):
// its calls in topological order, each layer converted once per call with one set of
// initializers (a shared layer's weights are stored once), masks handed on along
// single-input calls as LayerGraph does, and the merges it adds (Average, Maximum, Minimum)
// as ONNX's variadic Mean, Max and Min.
import type { Shape } from '@tensorloom/layers';
import { Average, LayerGraph, Maximum, Minimum } from '../tfjs-layers/layer-graph.js';
import { applyMask, unsupported } from './emit.js';
import type { AnyModule, ConvertContext, OnnxInput, OnnxValue } from './emit.js';

/** Converts a child module (the layer converters' own dispatch). */
type ConvertChild = (child: AnyModule, x: OnnxInput, ctx: ConvertContext) => OnnxValue;

/** A model converter, as models.ts dispatches them. */
type GraphConverter = (layer: AnyModule, x: OnnxInput, ctx: ConvertContext, convert: ConvertChild) => OnnxValue;

const keyOf = (r: { layer: string; node: number; index: number }): string => `${r.layer}:${r.node}:${r.index}`;

/** The graph's inputs in `inputs` order from one value, a list, or a record keyed by the input names. */
function graphInputs(graph: LayerGraph, x: OnnxInput, ctx: ConvertContext): OnnxValue[] {
  const names = graph.inputs.map((i) => i.name);
  const expected = `${names.length} input${names.length > 1 ? 's' : ''} (${names.join(', ')})`;
  if (Array.isArray(x)) {
    if (x.length !== names.length) unsupported(ctx, graph, `expected ${expected}, got a list of ${x.length}`);
    return [...x];
  }
  if (typeof (x as OnnxValue).name === 'string') {
    if (names.length !== 1) unsupported(ctx, graph, `expected ${expected}, got one input`);
    return [x as OnnxValue];
  }
  const record = x as Record<string, OnnxValue>;
  const missing = names.filter((n) => record[n] === undefined);
  const extra = Object.keys(record).filter((k) => !names.includes(k));
  if (missing.length > 0 || extra.length > 0) unsupported(ctx, graph, `expected ${expected}, got the inputs ${Object.keys(record).join(', ')}`);
  return names.map((n) => record[n]!);
}

/**
 * A LayerGraph: every call in the order the graph runs them. A single-input call gets its
 * input's mask and hands on the mask its converter gives (the layer's `computeMask`); a
 * merge's output has none; the first input's mask is `apply`'s `mask` option. Every output of
 * a call (an LSTM's states) carries that call's mask, as in the graph. Constants are shared,
 * so a layer called twice stores its weights once.
 */
const layerGraph: GraphConverter = (layer, x, ctx, convert) => {
  const graph = layer as LayerGraph;
  const inputs = graphInputs(graph, x, ctx);
  const single = !Array.isArray(x) && typeof (x as OnnxValue).name === 'string';
  // One input: its mask rode in on the value (exportOnnx puts `masks.mask` there); several: the `mask` graph input, if any.
  const firstMask = single ? ((x as OnnxValue).mask ?? null) : applyMask(ctx, 'mask');
  const sharing = ctx.g.shareConstants;
  ctx.g.shareConstants = true;
  try {
    const values = new Map<string, OnnxValue>();
    graph.inputs.forEach((input, i) => values.set(`${input.name}:0:0`, { name: inputs[i]!.name, shape: inputs[i]!.shape, mask: i === 0 ? firstMask : null }));
    for (const n of graph.nodes) {
      const ins = n.inputs.map((r) => {
        const v = values.get(keyOf(r));
        if (v === undefined) unsupported(ctx, graph, `layer '${n.layer}' reads ${r.layer}[node ${r.node}, output ${r.index}], which has no such output`);
        return v;
      });
      const path = ctx.path === '' ? n.layer : `${ctx.path}.${n.layer}`;
      // Children never see the top-level apply options: their masks come with their inputs.
      const out = convert(graph.layers.get(n.layer)!, ins.length === 1 ? ins[0]! : ins, { g: ctx.g, path });
      const mask = ins.length === 1 ? (out.mask ?? null) : null;
      [out, ...(out.rest ?? [])].forEach((o, index) => values.set(`${n.layer}:${n.node}:${index}`, { name: o.name, shape: o.shape, mask }));
    }
    const outs = graph.outputs.map((r) => {
      const v = values.get(keyOf(r));
      if (v === undefined) unsupported(ctx, graph, `output ${r.layer}[node ${r.node}, output ${r.index}] is not computed by the graph`);
      return { name: v.name, shape: v.shape };
    });
    // The graph's own mask is its input's, as LayerGraph's computeMask (left to the caller).
    return outs.length === 1 ? outs[0]! : { ...outs[0]!, rest: outs.slice(1) };
  } finally {
    ctx.g.shareConstants = sharing;
  }
};

/** Average, Maximum, Minimum: ONNX's variadic Mean, Max, Min (same-shape inputs, as the layers check). */
const elementwise: GraphConverter = (layer, x, ctx) => {
  if (!Array.isArray(x) || x.length < 2) unsupported(ctx, layer, `expected a list of at least 2 inputs, got ${Array.isArray(x) ? `${x.length}` : 'one value or named inputs'}`);
  const xs = x as readonly OnnxValue[];
  const op = layer instanceof Average ? 'Mean' : layer instanceof Maximum ? 'Max' : 'Min';
  return { name: ctx.g.op(op, xs.map((v) => v.name)), shape: layer.outputShape(xs.map((v) => v.shape)) as Shape, mask: null };
};

/** The converter of a LayerGraph or of one of its own merges (Average, Maximum, Minimum), else `null`. */
export function layerGraphConverter(layer: AnyModule): GraphConverter | null {
  if (layer instanceof LayerGraph) return layerGraph;
  if (layer instanceof Average || layer instanceof Maximum || layer instanceof Minimum) return elementwise;
  return null;
}

/**
 * A LayerGraph's default dtype for one graph input, its `GraphInput` dtype (`int32` for token
 * ids): `input` is the input's name (inputShape as a record) or its position (a list, or the
 * one shape of a one-input graph). `undefined` for any other model, or a name it does not have.
 */
export function layerGraphInputDtype(model: AnyModule, input: string | number): 'float32' | 'int32' | undefined {
  if (!(model instanceof LayerGraph)) return undefined;
  return (typeof input === 'number' ? model.inputs[input] : model.inputs.find((i) => i.name === input))?.dtype;
}

/** The shape argument `outputShape` takes: a LayerGraph's record of input shapes as its list in `inputs` order; else as given. */
export function layerGraphShapeArg(model: AnyModule, given: unknown): unknown {
  if (!(model instanceof LayerGraph) || Array.isArray(given) || given === null || typeof given !== 'object') return given;
  return model.inputs.map((i) => (given as Record<string, Shape>)[i.name]);
}
