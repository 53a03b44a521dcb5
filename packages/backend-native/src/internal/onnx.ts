// ONNX models built in memory: one small graph per kernel signature, encoded with
// protobufjs from the subset of onnx.proto (ONNX IR 8) that these graphs use.
import protobuf from 'protobufjs';

// ONNX tensor element types used here (onnx.proto `TensorProto.DataType`).
const FLOAT = 1;
const INT64 = 7;

/** One graph node: an ONNX operator with its inputs, outputs and attributes. */
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer, integer-list and float attributes, by name. */
  attrs?: Record<string, number | number[] | { float: number }>;
}

/** A graph: float32 inputs and outputs of fixed shapes, and the nodes between them. */
export interface OnnxGraph {
  inputs: { name: string; shape: readonly number[] }[];
  outputs: { name: string; shape: readonly number[] }[];
  nodes: OnnxNode[];
  /** Constant int64 vectors (shapes for Reshape), by name. */
  constants?: Record<string, number[]>;
}

// Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TypeProtoTensor', id: 1 } } },
        TypeProtoTensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 } } },
      },
    },
  },
});
const Model = root.lookupType('onnx.ModelProto');

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function valueInfo(name: string, shape: readonly number[]): object {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

function attribute(name: string, value: number | number[] | { float: number }): object {
  if (Array.isArray(value)) return { name, ints: value, type: ATTR_INTS };
  if (typeof value === 'number') return { name, i: value, type: ATTR_INT };
  return { name, f: value.float, type: ATTR_FLOAT };
}

/** The ONNX opset the graphs are written against (every operator used exists in it). */
export const OPSET = 17;

/** Encodes `graph` as an ONNX model (IR 8, opset {@link OPSET}). */
export function encodeModel(graph: OnnxGraph): Uint8Array {
  const message = Model.create({
    irVersion: 8,
    producerName: '@tensorloom/backend-native',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: 'kernel',
      input: graph.inputs.map((v) => valueInfo(v.name, v.shape)),
      output: graph.outputs.map((v) => valueInfo(v.name, v.shape)),
      initializer: Object.entries(graph.constants ?? {}).map(([name, values]) => ({
        name,
        dims: [values.length],
        dataType: INT64,
        int64Data: values,
      })),
      node: graph.nodes.map((n) => ({
        input: n.inputs,
        output: n.outputs,
        opType: n.op,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  });
  return Model.encode(message).finish();
}
