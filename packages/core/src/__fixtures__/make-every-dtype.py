#!/usr/bin/env python3
"""Writes every-dtype.safetensors beside this script with Python's `safetensors` package.

The file holds one tensor of every dtype Tensorloom reads (F64, F32, F16, BF16, I64, U64, I32,
U32, I16, U16, I8, U8, BOOL), names deliberately out of order, and a metadata map, so the
TypeScript tests can check that reading it raw and writing it back gives the same bytes.

It also holds `round.source` (float32 values chosen to hit the edge cases of rounding: ties,
subnormals, overflow, infinities, signed zeros) with PyTorch's own conversions of them,
`round.f16` (`.half()`) and `round.bf16` (`.bfloat16()`), stored as raw U16 bits, so the tests
can check our float32 -> F16 / BF16 encoders bit for bit.

Run: /path/to/python packages/core/src/__fixtures__/make-every-dtype.py  (torch, safetensors)
"""
import os

import torch
from safetensors.torch import save

tensors = {
    "z.f64": torch.tensor([[0.1, -2.5], [1e300, -0.0]], dtype=torch.float64),
    "layer.weight": torch.tensor([[1.0, -2.0, 3.5], [0.25, -0.125, 1e-30]], dtype=torch.float32),
    "half": torch.tensor([1.0, -0.5, 65504.0, 6.1e-5, 6e-8], dtype=torch.float16),
    "brain": torch.tensor([1.0, -3.0, 1e38, 3.14159], dtype=torch.bfloat16),
    "bn.num_batches_tracked": torch.tensor(123456, dtype=torch.int64),
    "big.i64": torch.tensor([-(2**62), 2**40, -1], dtype=torch.int64),
    "big.u64": torch.tensor([0, 2**63 + 5], dtype=torch.uint64),
    "ids": torch.tensor([[0, -1], [7, 2147483647]], dtype=torch.int32),
    "u32": torch.tensor([0, 4294967295], dtype=torch.uint32),
    "i16": torch.tensor([-32768, 32767, 3], dtype=torch.int16),
    "u16": torch.tensor([0, 65535], dtype=torch.uint16),
    "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
    "pixels": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
    "mask": torch.tensor([True, False, True], dtype=torch.bool),
    "empty": torch.zeros((0, 3), dtype=torch.float32),
}

source = torch.tensor(
    [
        0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, 65504.0, 65519.0, 65520.0, 1e6, -1e6,
        2.0**-14, 2.0**-24, 2.0**-25, 2.0**-25 * 1.5, 2.0**-26, 3 * 2.0**-25, 1e-10,
        1.0 + 2.0**-11, 1.0 + 3 * 2.0**-11, 1.0 + 2.0**-8, 1.0 + 3 * 2.0**-8, 3.4e38,
        float("inf"), float("-inf"), 123.456, -7.77e-3,
    ],
    dtype=torch.float32,
)
tensors["round.source"] = source
tensors["round.f16"] = source.half().view(torch.int16).to(torch.int32).bitwise_and(0xFFFF).to(torch.uint16)
tensors["round.bf16"] = source.bfloat16().view(torch.int16).to(torch.int32).bitwise_and(0xFFFF).to(torch.uint16)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "every-dtype.safetensors")
data = save(tensors, metadata={"format": "pt", "written_by": "make-every-dtype.py"})
with open(out, "wb") as f:
    f.write(data)
print(f"wrote {out} ({len(data)} bytes)")
