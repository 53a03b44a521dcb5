#!/usr/bin/env python3
"""PyTorch fixtures for @tensorloom/interop's state-dict mapping (torch 2.13 CPU, safetensors).

Default: writes torch-layers.safetensors beside this script. For every case it holds the
module's state_dict under `<case>.`, an input under `__input__.<case>` and PyTorch's output
under `__output__.<case>` (eval mode, seeded weights, running statistics randomized). Inputs
and outputs are in PyTorch's layout (NCHW / NCL); the TypeScript test transposes.

`--check-export DIR`: the reverse direction. The interop tests write, when
TENSORLOOM_TORCH_DUMP=DIR is set, our own export of each case (toPyTorchStateDict of a freshly
initialized Tensorloom layer) with our input and output; this loads each into the same PyTorch
module with load_state_dict(strict=True) and checks PyTorch reproduces our output.
CI never runs Python; it uses only the committed fixture.
"""
import os
import sys

import torch
from safetensors.torch import load_file, save_file
from torch import nn


class Separable(nn.Module):
    def __init__(self, c, m, f, k):
        super().__init__()
        self.depthwise = nn.Conv2d(c, c * m, k, groups=c, bias=False)
        self.pointwise = nn.Conv2d(c * m, f, 1)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)

    def forward(self, x):
        return self.attn(x, x, x, need_weights=False)[0]


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)

    def forward(self, x):
        target, memory = x[:, :3], x[:, 3:]
        mask = nn.Transformer.generate_square_subsequent_mask(3)
        return self.layer(target, memory, tgt_mask=mask)


def first(module):
    return lambda x: module(x)[0]


def cases():
    """(name, module, input, forward) for every mapped layer."""
    g = torch.Generator().manual_seed(7)
    r = lambda *s: torch.randn(*s, generator=g)
    bn = nn.BatchNorm2d(4, eps=1e-5)
    lstm, gru, rnn = nn.LSTM(3, 4, batch_first=True), nn.GRU(3, 4, batch_first=True), nn.RNN(3, 4, batch_first=True)
    bilstm, bigru = nn.LSTM(3, 4, batch_first=True, bidirectional=True), nn.GRU(3, 2, batch_first=True, bidirectional=True)
    return [
        ("linear", nn.Linear(5, 3), r(2, 5), None),
        ("conv1d", nn.Conv1d(3, 4, 3, dilation=2), r(2, 3, 9), None),
        ("conv2d", nn.Conv2d(3, 4, 3, stride=2), r(2, 3, 7, 7), None),
        ("conv_transpose2d", nn.ConvTranspose2d(3, 2, 3, stride=2), r(2, 3, 4, 5), None),
        ("depthwise", nn.Conv2d(3, 6, 3, groups=3), r(2, 3, 6, 6), None),
        ("separable", Separable(3, 2, 4, 3), r(2, 3, 6, 6), None),
        ("batch_norm", bn, r(2, 4, 3, 3), None),
        ("layer_norm", nn.LayerNorm(6), r(2, 3, 6), None),
        ("embedding", nn.Embedding(10, 4), torch.tensor([[1, 2, 9], [0, 4, 4]]), None),
        ("lstm", lstm, r(2, 5, 3), first(lstm)),
        ("gru", gru, r(2, 5, 3), first(gru)),
        ("rnn", rnn, r(2, 5, 3), first(rnn)),
        ("bilstm", bilstm, r(2, 5, 3), first(bilstm)),
        ("bigru", bigru, r(2, 5, 3), first(bigru)),
        ("attention", SelfAttention(), r(2, 4, 8), None),
        ("encoder", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True), r(2, 4, 8), None),
        ("decoder", Decoder(), r(2, 7, 8), None),
        ("batch_norm1d", nn.BatchNorm1d(5, eps=1e-5), r(3, 5), None),
        ("linear_no_bias", nn.Linear(5, 3, bias=False), r(2, 5), None),
        ("encoder_norm_first", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True, norm_first=True), r(2, 4, 8), None),
        ("group_norm", nn.GroupNorm(2, 4, eps=1e-5), r(2, 4, 3, 3), None),
        ("instance_norm", nn.InstanceNorm2d(4, eps=1e-5, affine=True), r(2, 4, 3, 3), None),
    ]


def randomize(module, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        for name, b in module.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn(b.shape, generator=g) * 0.5)
            elif name.endswith("running_var"):
                b.copy_(torch.rand(b.shape, generator=g) + 0.5)
            elif name.endswith("num_batches_tracked"):
                b.fill_(17)


def make():
    out = {}
    for i, (name, module, x, forward) in enumerate(cases()):
        randomize(module, 100 + i)
        module.eval()
        with torch.no_grad():
            y = (forward or module)(x)
        for k, v in module.state_dict().items():
            out[f"{name}.{k}"] = v.contiguous()
        out[f"__input__.{name}"] = x.contiguous()
        out[f"__output__.{name}"] = y.contiguous()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch-layers.safetensors")
    save_file(out, path, metadata={"written_by": "make-torch-layers.py", "torch": torch.__version__})
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(out)} tensors)")


def check_export(folder):
    failed = 0
    for name, module, _, forward in cases():
        path = os.path.join(folder, f"{name}.safetensors")
        if not os.path.exists(path):
            print(f"skip {name}: no {path}")
            continue
        data = load_file(path)
        x, ours = data.pop("__input__"), data.pop("__output__")
        module.load_state_dict(data, strict=True)
        module.eval()
        with torch.no_grad():
            y = (forward or module)(x)
        err = (y - ours).abs().max().item()
        ok = torch.allclose(y, ours, atol=1e-5, rtol=1e-4)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: strict load, max |torch - ours| = {err:.2e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--check-export":
        check_export(sys.argv[2])
    else:
        make()
