#!/usr/bin/env python3
"""Runs the ONNX checker (with shape inference) on every .onnx file in a folder.

The interop tests write each graph they export when TENSORLOOM_ONNX_DUMP names a folder:

    TENSORLOOM_ONNX_DUMP=/tmp/onnx npx vitest run --project @tensorloom/interop
    python packages/interop/scripts/check-onnx.py /tmp/onnx

Needs Python's `onnx` package; CI does not run it (it has no Python), the tests' own check is
onnxruntime-node.
"""
import pathlib
import sys

import onnx

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/onnx")
files = sorted(folder.glob("*.onnx"))
if not files:
    sys.exit(f"no .onnx files in {folder}")
failed = 0
for path in files:
    try:
        model = onnx.load(str(path))
        onnx.checker.check_model(model, full_check=True)
        print(f"ok   {path.name} (opset {model.opset_import[0].version}, {len(model.graph.node)} nodes)")
    except Exception as error:  # noqa: BLE001 - report every file, then fail
        failed += 1
        print(f"FAIL {path.name}: {error}")
print(f"{len(files) - failed}/{len(files)} graphs pass the ONNX checker (onnx {onnx.__version__})")
sys.exit(1 if failed else 0)
