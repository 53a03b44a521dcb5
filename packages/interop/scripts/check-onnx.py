#!/usr/bin/env python3
"""Runs the ONNX checker (with shape inference) on every .onnx file in a folder.

The interop tests write each graph they export when TENSORLOOM_ONNX_DUMP names a folder:

    TENSORLOOM_ONNX_DUMP=/tmp/onnx npx vitest run packages/interop/src/onnx
    python packages/interop/scripts/check-onnx.py /tmp/onnx

Besides the checker (full_check: strict shape inference), each graph must keep the batch
dynamic: every graph input and output has a symbolic first dimension. The summary counts
the graphs with several inputs (named inputs, list inputs, mask inputs) and those with a
dynamic dimension after the batch (sequence lengths). `-v` prints each graph's inputs.

Needs Python's `onnx` package (and its `ml_dtypes`); CI does not run it (it has no Python),
the tests' own check is onnxruntime-node.
"""
import pathlib
import sys

import onnx

ELEM = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT32: "int32", onnx.TensorProto.INT64: "int64"}


def dims(value):
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def describe(value):
    return f"{value.name}: {ELEM.get(value.type.tensor_type.elem_type, '?')}{dims(value)}"


args = [a for a in sys.argv[1:] if not a.startswith("-")]
verbose = "-v" in sys.argv[1:]
folder = pathlib.Path(args[0] if args else "/tmp/onnx")
files = sorted(folder.glob("*.onnx"))
if not files:
    sys.exit(f"no .onnx files in {folder}")
failed = 0
multi = 0
dynamic_length = 0
for path in files:
    try:
        model = onnx.load(str(path))
        onnx.checker.check_model(model, full_check=True)
        graph = model.graph
        for value in [*graph.input, *graph.output]:
            shape = dims(value)
            if not shape or not isinstance(shape[0], str):
                raise ValueError(f"{value.name} expected a dynamic batch (a named first dimension), got {shape}")
        if len(graph.input) > 1:
            multi += 1
        if any(isinstance(d, str) for value in graph.input for d in dims(value)[1:]):
            dynamic_length += 1
        print(f"ok   {path.name} (opset {model.opset_import[0].version}, {len(graph.node)} nodes, {len(graph.input)} input{'s' if len(graph.input) > 1 else ''})")
        if verbose:
            for value in graph.input:
                print(f"       in  {describe(value)}")
            for value in graph.output:
                print(f"       out {describe(value)}")
    except Exception as error:  # noqa: BLE001 - report every file, then fail
        failed += 1
        print(f"FAIL {path.name}: {error}")
print(f"{len(files) - failed}/{len(files)} graphs pass the ONNX checker (onnx {onnx.__version__}); "
      f"{multi} with several inputs, {dynamic_length} with a dynamic size after the batch")
sys.exit(1 if failed else 0)
