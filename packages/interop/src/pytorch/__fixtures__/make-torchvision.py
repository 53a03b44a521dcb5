#!/usr/bin/env python3
"""torchvision fixtures for @tensorloom/interop (torch 2.13 CPU, torchvision 0.29, safetensors).

Full-width torchvision models (resnet18, resnet34, resnet50, mobilenet_v2; 1000 classes) are
filled with deterministic weights from a formula, so that no weight is committed: the
TypeScript test (`torchvision.test.ts`) computes the very same float32 values from the same
formula. Only the input (2×3×64×64, NCHW) and torchvision's eval-mode logits (2×1000 per
model) are written, to torchvision.safetensors beside this script.

The formula, for the k-th element (row-major) of the state_dict tensor named `name`:

    h  = FNV-1a 32-bit hash of name's UTF-8 bytes
    x  = (k · 0x9E3779B1 + h) mod 2^32, then murmur3's fmix32
    u  = x / 2^32 · 2 − 1                       (in [−1, 1), exact in float64)
    value = float32(offset + scale · u)         (computed in float64, rounded once)

with (offset, scale) by the tensor's kind:
    running_var                  1.25, 0.25     (positive variances)
    running_mean                 0, 0.1
    1-d weight (BatchNorm gamma) 1, 0.1
    bias                         0, 0.1
    2-d or 4-d weight            0, sqrt(6 / fan_in) · gain (He uniform;
                                 gain 0.5 for ResNet's `layerN.*.conv2/conv3`, keeping
                                 the residual sums bounded)
    num_batches_tracked          left at PyTorch's 0 (ours writes 0 too)

Integer arithmetic is exact in both languages, so both sides hold bit-identical weights.

`--check-export DIR`: the tests write, when TENSORLOOM_TORCHVISION_DUMP=DIR is set, our
export of each model (writePyTorchSafetensors after loading the formula's weights) and our
logits; this loads each into torchvision with load_state_dict(strict=True) and compares.
CI never runs Python; it uses only the committed fixture.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.library

torch.library.register_fake = lambda *a, **k: (lambda f: f)  # torchvision 0.29's ops vs torch 2.13
import torchvision  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

MODELS = ["resnet18", "resnet34", "resnet50", "mobilenet_v2"]
HERE = os.path.dirname(os.path.abspath(__file__))


def fnv1a(name):
    h = 0x811C9DC5
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def uniform(name, n):
    """u in [-1, 1) for elements 0..n-1 of tensor `name` (float64)."""
    k = np.arange(n, dtype=np.uint64)
    x = ((k * np.uint64(0x9E3779B1) + np.uint64(fnv1a(name))) & np.uint64(0xFFFFFFFF)).astype(np.uint64)
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(16)
    return x.astype(np.float64) / 4294967296.0 * 2.0 - 1.0


def kind(name, shape):
    """(offset, scale) of the formula for one tensor."""
    if name.endswith("running_var"):
        return 1.25, 0.25
    if name.endswith("running_mean"):
        return 0.0, 0.1
    if name.endswith("bias"):
        return 0.0, 0.1
    if len(shape) == 1:
        return 1.0, 0.1
    fan_in = int(np.prod(shape[1:]))
    gain = 0.5 if name.startswith("layer") and name.endswith((".conv2.weight", ".conv3.weight")) else 1.0
    return 0.0, math.sqrt(6.0 / fan_in) * gain


def formula_value(name, shape):
    offset, scale = kind(name, shape)
    n = int(np.prod(shape)) if len(shape) > 0 else 1
    return (offset + scale * uniform(name, n)).astype(np.float32).reshape(shape)


def fill(model):
    state = model.state_dict()
    new = {}
    for name, t in state.items():
        if name.endswith("num_batches_tracked"):
            new[name] = t
        else:
            new[name] = torch.from_numpy(formula_value(name, tuple(t.shape)))
    model.load_state_dict(new, strict=True)
    return model


def build(name):
    return getattr(torchvision.models, name)(weights=None).eval()


def the_input():
    """2×3×64×64 in [−1, 1) from the same formula (name '__input__')."""
    return torch.from_numpy(uniform("__input__", 2 * 3 * 64 * 64).astype(np.float32).reshape(2, 3, 64, 64))


def make():
    torch.set_num_threads(1)
    x = the_input()
    out = {"input": x}
    for name in MODELS:
        model = fill(build(name))
        with torch.no_grad():
            y = model(x)
        out[f"{name}.logits"] = y.contiguous()
        print(f"{name}: logits std {y.std().item():.3f}, max |y| {y.abs().max().item():.3f}")
    path = os.path.join(HERE, "torchvision.safetensors")
    save_file(out, path, metadata={"written_by": "make-torchvision.py", "torch": torch.__version__, "torchvision": torchvision.__version__})
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def check_export(folder):
    failed = 0
    for name in MODELS:
        path = os.path.join(folder, f"{name}.safetensors")
        if not os.path.exists(path):
            print(f"skip {name}: no {path}")
            continue
        data = load_file(path)
        x, ours = data.pop("__input__"), data.pop("__output__")
        model = build(name)
        model.load_state_dict(data, strict=True)
        reference = fill(build(name)).state_dict()
        same = all(torch.equal(reference[k], data[k]) for k in reference if not k.endswith("num_batches_tracked"))
        with torch.no_grad():
            y = model(x)
        err = (y - ours).abs().max().item()
        rel = err / ours.abs().max().item()
        ok = torch.allclose(y, ours, atol=1e-4 * ours.abs().max().item(), rtol=1e-4) and same
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: strict load, state equals the formula's: {same}, "
              f"max |torch - ours| = {err:.2e} ({rel:.1e} of max |logit|)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--check-export":
        check_export(sys.argv[2])
    else:
        make()
