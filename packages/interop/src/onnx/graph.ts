// A small builder of ONNX graphs: unique value names, initializers from typed arrays, nodes
// with typed attributes, and the final ModelProto encoding.
import { ConfigError } from '@tensorloom/core';
import { AttributeType, DataType, IR_VERSION, ModelProto } from './onnx-proto.js';

/** An attribute value: a number is an INT when integral and `int` is asked, see {@link attr}. */
export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'graph'; value: Record<string, unknown> };

/** Attribute constructors, so a node reads `{ axis: attr.int(1), epsilon: attr.float(1e-5) }`. */
export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  strings: (value: readonly string[]): AttributeValue => ({ kind: 'strings', value }),
};

/** A tensor's element type in the graph. */
export type ElemType = 'float32' | 'int32' | 'int64' | 'bool';

const ELEM: Record<ElemType, number> = { float32: DataType.FLOAT, int32: DataType.INT32, int64: DataType.INT64, bool: DataType.BOOL };

/** A graph input or output: name, element type, and dims (a string names a dynamic dimension; `null`: shape not stated). */
export interface ValueInfo {
  name: string;
  elemType: ElemType;
  dims: readonly (number | string)[] | null;
}

const valueInfo = (v: ValueInfo): Record<string, unknown> => ({
  name: v.name,
  type: {
    tensorType: {
      elemType: ELEM[v.elemType],
      ...(v.dims === null ? {} : { shape: { dim: v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } }),
    },
  },
});

const encoder = new TextEncoder();

function encodeAttribute(name: string, a: AttributeValue): Record<string, unknown> {
  switch (a.kind) {
    case 'int': return { name, type: AttributeType.INT, i: a.value };
    case 'float': return { name, type: AttributeType.FLOAT, f: a.value };
    case 'ints': return { name, type: AttributeType.INTS, ints: [...a.value] };
    case 'floats': return { name, type: AttributeType.FLOATS, floats: [...a.value] };
    case 'string': return { name, type: AttributeType.STRING, s: encoder.encode(a.value) };
    case 'strings': return { name, type: AttributeType.STRINGS, strings: a.value.map((v) => encoder.encode(v)) };
    case 'graph': return { name, type: AttributeType.GRAPH, g: a.value };
  }
}

function littleEndian(values: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  values.forEach((v: number | bigint, i: number) => {
    if (values instanceof Float32Array) view.setFloat32(i * 4, v as number, true);
    else if (values instanceof Int32Array) view.setInt32(i * 4, v as number, true);
    else view.setBigInt64(i * 8, v as bigint, true);
  });
  return out;
}

/** Builds one ONNX graph. Names are made unique with a counter; initializers are stored as raw little-endian data. */
export class GraphBuilder {
  private nodes: Record<string, unknown>[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();

  /** The export's `maxSequenceLength`: the table size of positions with no bound of their own, for a dynamic length. */
  maxSequenceLength: number | null = null;

  /**
   * When on, an initializer with the same base name, type, dims and bytes as an earlier one
   * is that one (a shared layer called twice in a LayerGraph stores its weights once). Off by
   * default: other graphs keep one initializer per constant asked for.
   */
  shareConstants = false;
  private readonly sharedConstants = new Map<string, { bytes: Uint8Array; name: string }[]>();

  constructor(readonly opset: number) {}

  /** A fresh value name starting with `base`. */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./-]/g, '_');
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a float32 initializer (a copy of `values`) and returns its name. */
  constant(base: string, values: Float32Array | readonly number[], dims: readonly number[]): string {
    return this.tensor(base, Float32Array.from(values), dims, 'float32');
  }

  /** Adds an int32 initializer (compared with int32 token ids) and returns its name. */
  tensor32(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.tensor(base, Int32Array.from(values), dims, 'int32');
  }

  /** Adds an int64 initializer (shapes, axes, pads) and returns its name. */
  int64(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.tensor(base, BigInt64Array.from(values, (v) => BigInt(v)), dims, 'int64');
  }

  private tensor(base: string, values: Float32Array | Int32Array | BigInt64Array, dims: readonly number[], type: ElemType): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== values.length) {
      throw new ConfigError(`exportOnnx: initializer '${base}' expected ${size} values for dims [${dims.join(', ')}], got ${values.length}`);
    }
    const rawData = littleEndian(values);
    const key = `${type}|${base}|${dims.join(',')}`;
    if (this.shareConstants) {
      const same = this.sharedConstants.get(key)?.find((c) => c.bytes.length === rawData.length && c.bytes.every((b, i) => b === rawData[i]));
      if (same !== undefined) return same.name;
    }
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [...dims], dataType: ELEM[type], rawData });
    if (this.shareConstants) this.sharedConstants.set(key, [...(this.sharedConstants.get(key) ?? []), { bytes: rawData, name }]);
    return name;
  }

  /** Adds a node and returns the names of its outputs (`outputs` of them). */
  node(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, outputs = 1): string[] {
    const base = opType.toLowerCase();
    const outs = Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? base : `${base}_out${i}`));
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attributes).map(([k, v]) => encodeAttribute(k, v)),
    });
    return outs;
  }

  /** Adds a single-output node and returns its output. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.node(opType, inputs, attributes, 1)[0]!;
  }

  /** Renames the value `from` to `to` by an Identity node (graph outputs need their own names). */
  identity(from: string, to: string): void {
    this.used.add(to);
    this.nodes.push({ opType: 'Identity', name: this.fresh('Identity_node'), input: [from], output: [to], attribute: [] });
  }

  /**
   * A subgraph (a Loop's body): `build` gets the names of its inputs (fresh names for
   * `inputs`) and returns the names of its outputs; its nodes go to the subgraph, constants
   * to the main graph (a body may read outer values). Returns the `body` attribute.
   */
  subgraph(name: string, inputs: readonly Omit<ValueInfo, 'name'>[], outputs: readonly Omit<ValueInfo, 'name'>[], build: (inputs: string[]) => string[]): AttributeValue {
    const outer = this.nodes;
    this.nodes = [];
    try {
      const ins = inputs.map((_, i) => this.fresh(`${name}_in${i}`));
      const results = build(ins);
      // Graph outputs need their own names: an output that is an input or an outer value gets an Identity.
      const outs = results.map((r) => {
        const out = this.fresh(`${name}_out`);
        this.nodes.push({ opType: 'Identity', name: this.fresh('Identity_node'), input: [r], output: [out], attribute: [] });
        return out;
      });
      return {
        kind: 'graph',
        value: {
          name,
          node: this.nodes,
          input: inputs.map((v, i) => valueInfo({ ...v, name: ins[i]! })),
          output: outputs.map((v, i) => valueInfo({ ...v, name: outs[i]! })),
        },
      };
    } finally {
      this.nodes = outer;
    }
  }

  /** Encodes the model. */
  encode(name: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], metadata: Record<string, string>): Uint8Array {
    const message = ModelProto.fromObject({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: 'tensorloom',
      producerVersion: '0.1.0',
      graph: {
        name,
        node: this.nodes,
        initializer: this.initializers,
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return ModelProto.encode(message).finish();
  }
}
