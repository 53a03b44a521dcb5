"""Writes the PyTorch reference fixtures of the sequence models (issue 10, part B).

Run from the repository root with the PyTorch CPU wheel:

    /tmp/venv/bin/python packages/models/scripts/sequence_fixtures.py

For each model it builds the PyTorch reference with seeded random weights (layer norms
randomised too, so their mapping is tested), runs it on a small padded batch, and writes
`<name>.safetensors` (the PyTorch state dict under `torch.<name>`, the input ids under
`input.ids`, the outputs under `output.*`) and `<name>.map.json`: the weight-name map from
PyTorch to Tensorloom as data. Each entry of `map` is `[ours, [torch names], [steps]]`;
the steps are applied in order to the (summed, for several names) PyTorch tensor:
`["t"]` transposes a matrix, `["rows", i, n]` / `["cols", i, n]` take the i-th of n equal
blocks of axis 0 / 1, `["reshape", shape]` reshapes, `["blocks", order, axis]` reorders equal
blocks of an axis, and a first step `["stack"]` stacks the named tensors instead of summing.

- rnn-classifier: nn.Embedding -> 2-layer bidirectional nn.LSTM over packed (padded)
  sequences -> nn.Linear on the last layer's final forward and backward states.
- gru-classifier: nn.Embedding -> bidirectional nn.GRU (the reset gate after the recurrent
  product: our resetAfter) over packed sequences -> nn.Linear.
- transformer-classifier: nn.Embedding + learned positions -> nn.LayerNorm -> 2 x
  nn.TransformerEncoderLayer (post-norm, exact GELU, padding mask) -> masked mean pooling and
  first-position (CLS) pooling -> nn.Linear.
- seq2seq-lstm-bahdanau / -luong: an nn.LSTM encoder over packed sources and an
  nn.LSTMCell decoder with additive (Bahdanau) or general multiplicative attention with input
  feeding (Luong), padded source positions masked, teacher forcing; `input.ids` holds the
  source ids and then the decoder input ids side by side (`config.sourceLength` splits them).
- gpt2: a 2-block GPT-2 written the way Hugging Face's GPT2Model is (ln_1, attn.c_attn and
  attn.c_proj as Conv1D [in, out] weights, ln_2, mlp.c_fc / mlp.c_proj, gelu_new = the tanh
  approximation, final ln_f, output projection tied to wte).
"""
import json
import math
import os

import torch
from safetensors.torch import save_file
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "src")


def randomize_norms(module: nn.Module, gen: torch.Generator) -> None:
    for m in module.modules():
        if isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=gen))


def write(folder: str, name: str, model: nn.Module, ids: torch.Tensor, outputs: dict, mapping: list, config: dict) -> None:
    tensors = {f"torch.{k}": v.detach().contiguous().clone() for k, v in model.state_dict().items()}
    tensors["input.ids"] = ids.to(torch.int32).contiguous()
    for k, v in outputs.items():
        tensors[f"output.{k}"] = v.detach().contiguous()
    path = os.path.join(SRC, folder, "fixtures")
    os.makedirs(path, exist_ok=True)
    save_file(tensors, os.path.join(path, f"{name}.safetensors"), metadata={"torch": torch.__version__})
    with open(os.path.join(path, f"{name}.map.json"), "w") as f:
        json.dump({"config": config, "map": mapping}, f, indent=1)
        f.write("\n")


# ------------------------------------------------------------------ LSTM classifier
def rnn_classifier() -> None:
    torch.manual_seed(1)
    V, E, U, C, L = 12, 6, 5, 3, 2

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.lstm = nn.LSTM(E, U, num_layers=L, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(2 * U, C)

        def forward(self, ids, lengths):
            x = self.embedding(ids)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            _, (h, _) = self.lstm(packed)
            return self.fc(torch.cat([h[-2], h[-1]], dim=1))

    model = Model()
    ids = torch.tensor([[3, 7, 1, 9, 4, 11], [5, 2, 8, 6, 0, 0], [10, 4, 0, 0, 0, 0]])
    lengths = torch.tensor([6, 4, 2])
    with torch.no_grad():
        logits = model(ids, lengths)
    mapping = [["embedding.embeddings", ["embedding.weight"], []]]
    for layer in range(L):
        for direction, suffix in (("forward", ""), ("backward", "_reverse")):
            p = f"rnn_{layer}.{direction}"
            mapping += [
                [f"{p}.kernel", [f"lstm.weight_ih_l{layer}{suffix}"], [["t"]]],
                [f"{p}.recurrentKernel", [f"lstm.weight_hh_l{layer}{suffix}"], [["t"]]],
                [f"{p}.bias", [f"lstm.bias_ih_l{layer}{suffix}", f"lstm.bias_hh_l{layer}{suffix}"], []],
            ]
    mapping += [["classifier.kernel", ["fc.weight"], [["t"]]], ["classifier.bias", ["fc.bias"], []]]
    config = {"vocabSize": V, "numClasses": C, "embeddingDim": E, "units": U, "numLayers": L, "bidirectional": True, "padId": 0}
    write("recurrent", "rnn-classifier", model, ids, {"logits": logits}, mapping, config)


# ------------------------------------------------------------------ transformer encoder classifier
def transformer_classifier() -> None:
    torch.manual_seed(2)
    gen = torch.Generator().manual_seed(20)
    V, D, H, F, N, T, C = 13, 8, 2, 16, 2, 10, 3
    dh = D // H

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, D)
            self.pos = nn.Parameter(0.5 * torch.randn(T, D))
            self.norm = nn.LayerNorm(D)
            self.layers = nn.ModuleList(
                nn.TransformerEncoderLayer(D, H, F, dropout=0.0, activation="gelu", batch_first=True) for _ in range(N)
            )
            self.fc = nn.Linear(D, C)

        def forward(self, ids, pooling):
            pad = ids == 0
            x = self.norm(self.embedding(ids) + self.pos[: ids.shape[1]])
            for layer in self.layers:
                x = layer(x, src_key_padding_mask=pad)
            if pooling == "cls":
                pooled = x[:, 0]
            else:
                keep = (~pad).unsqueeze(-1).float()
                pooled = (x * keep).sum(1) / keep.sum(1)
            return self.fc(pooled)

    model = Model()
    randomize_norms(model, gen)
    model.train()  # dropout is 0; training mode keeps PyTorch off its nested-tensor fast path
    ids = torch.tensor([[1, 5, 9, 2, 7, 12, 3], [1, 4, 4, 8, 0, 0, 0], [1, 11, 0, 0, 0, 0, 0]])
    with torch.no_grad():
        outputs = {"cls": model(ids, "cls"), "mean": model(ids, "mean")}
    mapping = [
        ["token_embedding.embeddings", ["embedding.weight"], []],
        ["position_embedding.embeddings", ["pos"], []],
        ["embedding_norm.gamma", ["norm.weight"], []],
        ["embedding_norm.beta", ["norm.bias"], []],
    ]
    for i in range(N):
        t, o = f"layers.{i}", f"layers.{i}"
        for j, part in enumerate(("query", "key", "value")):
            mapping += [
                [f"{o}.self_attn.{part}.kernel", [f"{t}.self_attn.in_proj_weight"], [["rows", j, 3], ["t"], ["reshape", [D, H, dh]]]],
                [f"{o}.self_attn.{part}.bias", [f"{t}.self_attn.in_proj_bias"], [["rows", j, 3], ["reshape", [H, dh]]]],
            ]
        mapping += [
            [f"{o}.self_attn.output.kernel", [f"{t}.self_attn.out_proj.weight"], [["t"], ["reshape", [H, dh, D]]]],
            [f"{o}.self_attn.output.bias", [f"{t}.self_attn.out_proj.bias"], []],
            [f"{o}.ffn1.kernel", [f"{t}.linear1.weight"], [["t"]]],
            [f"{o}.ffn1.bias", [f"{t}.linear1.bias"], []],
            [f"{o}.ffn2.kernel", [f"{t}.linear2.weight"], [["t"]]],
            [f"{o}.ffn2.bias", [f"{t}.linear2.bias"], []],
        ]
        for n in (1, 2):
            mapping += [[f"{o}.norm{n}.gamma", [f"{t}.norm{n}.weight"], []], [f"{o}.norm{n}.beta", [f"{t}.norm{n}.bias"], []]]
    mapping += [["classifier.kernel", ["fc.weight"], [["t"]]], ["classifier.bias", ["fc.bias"], []]]
    config = {"vocabSize": V, "numClasses": C, "maxLength": T, "dModel": D, "numLayers": N, "numHeads": H, "dimFeedforward": F, "dropout": 0, "activation": "gelu", "padId": 0}
    write("transformer", "transformer-classifier", model, ids, outputs, mapping, config)


# ------------------------------------------------------------------ GPT-2
def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Conv1D(nn.Module):
    """Hugging Face's Conv1D: a linear layer whose weight is stored [in, out]."""

    def __init__(self, n_out, n_in):
        super().__init__()
        self.weight = nn.Parameter(0.3 * torch.randn(n_in, n_out))
        self.bias = nn.Parameter(0.1 * torch.randn(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight).view(*x.shape[:-1], -1)


class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.c_attn = Conv1D(3 * d, d)
        self.c_proj = Conv1D(d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        heads = lambda z: z.view(b, t, self.h, d // self.h).transpose(1, 2)  # (B, H, T, Dh)
        q, k, v = heads(q), heads(k), heads(v)
        w = q @ k.transpose(-1, -2) / math.sqrt(d // self.h)
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
        w = w.masked_fill(~causal, torch.finfo(w.dtype).min).softmax(-1)
        return self.c_proj((w @ v).transpose(1, 2).reshape(b, t, d))


class MLP(nn.Module):
    def __init__(self, d, f):
        super().__init__()
        self.c_fc = Conv1D(f, d)
        self.c_proj = Conv1D(d, f)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = Attention(d, h)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = MLP(d, 4 * d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT2(nn.Module):
    def __init__(self, v, c, d, h, n):
        super().__init__()
        self.wte = nn.Embedding(v, d)
        self.wpe = nn.Embedding(c, d)
        self.h = nn.ModuleList(Block(d, h) for _ in range(n))
        self.ln_f = nn.LayerNorm(d, eps=1e-5)

    def forward(self, ids):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.h:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.T  # tied output projection


def gpt2() -> None:
    torch.manual_seed(3)
    gen = torch.Generator().manual_seed(30)
    V, C, D, H, N = 17, 12, 8, 2, 2
    dh = D // H
    model = GPT2(V, C, D, H, N)
    randomize_norms(model, gen)
    ids = torch.tensor([[3, 14, 1, 5, 9, 2, 6, 16], [8, 0, 7, 7, 11, 4, 13, 10]])
    with torch.no_grad():
        logits = model(ids)
    mapping = [["wte.embeddings", ["wte.weight"], []], ["wpe.embeddings", ["wpe.weight"], []]]
    for i in range(N):
        p = f"h.{i}"
        for j, part in enumerate(("query", "key", "value")):
            mapping += [
                [f"{p}.attn.{part}.kernel", [f"{p}.attn.c_attn.weight"], [["cols", j, 3], ["reshape", [D, H, dh]]]],
                [f"{p}.attn.{part}.bias", [f"{p}.attn.c_attn.bias"], [["rows", j, 3], ["reshape", [H, dh]]]],
            ]
        mapping += [
            [f"{p}.attn.output.kernel", [f"{p}.attn.c_proj.weight"], [["reshape", [H, dh, D]]]],
            [f"{p}.attn.output.bias", [f"{p}.attn.c_proj.bias"], []],
            [f"{p}.fc.kernel", [f"{p}.mlp.c_fc.weight"], []],
            [f"{p}.fc.bias", [f"{p}.mlp.c_fc.bias"], []],
            [f"{p}.proj.kernel", [f"{p}.mlp.c_proj.weight"], []],
            [f"{p}.proj.bias", [f"{p}.mlp.c_proj.bias"], []],
        ]
        for n in (1, 2):
            mapping += [[f"{p}.ln_{n}.gamma", [f"{p}.ln_{n}.weight"], []], [f"{p}.ln_{n}.beta", [f"{p}.ln_{n}.bias"], []]]
    mapping += [["ln_f.gamma", ["ln_f.weight"], []], ["ln_f.beta", ["ln_f.bias"], []]]
    config = {"vocabSize": V, "contextLength": C, "dModel": D, "numLayers": N, "numHeads": H, "dropout": 0}
    write("transformer", "gpt2", model, ids, {"logits": logits}, mapping, config)


# ------------------------------------------------------------------ LSTM encoder-decoder with attention
class Seq2SeqLSTM(nn.Module):
    def __init__(self, vs, vt, e, u, a, attention):
        super().__init__()
        self.attention = attention
        self.source_embedding = nn.Embedding(vs, e)
        self.target_embedding = nn.Embedding(vt, e)
        self.encoder = nn.LSTM(e, u, batch_first=True)
        self.decoder = nn.LSTMCell(e + u, u)
        if attention == "bahdanau":
            self.attention_query = nn.Linear(u, a, bias=False)
            self.attention_key = nn.Linear(u, a, bias=False)
            self.attention_v = nn.Linear(a, 1, bias=False)
            self.output = nn.Linear(2 * u, vt)
        else:
            self.attention_score = nn.Linear(u, u, bias=False)
            self.combine = nn.Linear(2 * u, u, bias=False)
            self.output = nn.Linear(u, vt)

    def forward(self, src, lengths, tgt):
        packed = nn.utils.rnn.pack_padded_sequence(self.source_embedding(src), lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.encoder(packed)
        memory, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        h, c = h[0], c[0]
        pad = src == 0
        keys = self.attention_key(memory) if self.attention == "bahdanau" else self.attention_score(memory)
        feed = torch.zeros_like(h)
        context = lambda e: (e.masked_fill(pad, -1e9).softmax(-1).unsqueeze(-1) * memory).sum(1)
        logits = []
        for t in range(tgt.shape[1]):
            y = self.target_embedding(tgt[:, t])
            if self.attention == "bahdanau":
                ctx = context(self.attention_v(torch.tanh(keys + self.attention_query(h).unsqueeze(1))).squeeze(-1))
                h, c = self.decoder(torch.cat([y, ctx], 1), (h, c))
                logits.append(self.output(torch.cat([h, ctx], 1)))
            else:
                h, c = self.decoder(torch.cat([y, feed], 1), (h, c))
                ctx = context((keys * h.unsqueeze(1)).sum(-1))
                feed = torch.tanh(self.combine(torch.cat([ctx, h], 1)))
                logits.append(self.output(feed))
        return torch.stack(logits, 1)


def seq2seq_lstm() -> None:
    VS, VT, E, U, A = 9, 11, 5, 6, 4
    for seed, attention in ((4, "bahdanau"), (5, "luong")):
        torch.manual_seed(seed)
        model = Seq2SeqLSTM(VS, VT, E, U, A, attention)
        src = torch.tensor([[3, 4, 5, 6, 7], [8, 2, 0, 0, 0], [1, 5, 7, 0, 0]])
        lengths = torch.tensor([5, 2, 3])
        tgt = torch.tensor([[1, 4, 9, 2], [1, 7, 3, 10], [1, 1, 5, 6]])
        with torch.no_grad():
            logits = model(src, lengths, tgt)
        mapping = [
            ["source_embedding.embeddings", ["source_embedding.weight"], []],
            ["target_embedding.embeddings", ["target_embedding.weight"], []],
            ["encoder.kernel", ["encoder.weight_ih_l0"], [["t"]]],
            ["encoder.recurrentKernel", ["encoder.weight_hh_l0"], [["t"]]],
            ["encoder.bias", ["encoder.bias_ih_l0", "encoder.bias_hh_l0"], []],
            ["decoder.kernel", ["decoder.weight_ih"], [["t"]]],
            ["decoder.recurrentKernel", ["decoder.weight_hh"], [["t"]]],
            ["decoder.bias", ["decoder.bias_ih", "decoder.bias_hh"], []],
            ["output.kernel", ["output.weight"], [["t"]]],
            ["output.bias", ["output.bias"], []],
        ]
        names = ("attention_query", "attention_key", "attention_v") if attention == "bahdanau" else ("attention_score", "combine")
        mapping += [[f"{n}.kernel", [f"{n}.weight"], [["t"]]] for n in names]
        tensors_ids = torch.cat([src, tgt], 1)  # the source ids, then the decoder input ids
        config = {"sourceVocabSize": VS, "targetVocabSize": VT, "embeddingDim": E, "units": U, "attentionDim": A, "attention": attention, "padId": 0, "sourceLength": src.shape[1]}
        write("recurrent", f"seq2seq-lstm-{attention}", model, tensors_ids, {"logits": logits}, mapping, config)


# ------------------------------------------------------------------ GRU classifier
def gru_classifier() -> None:
    torch.manual_seed(6)
    V, E, U, C = 12, 6, 5, 3

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.gru = nn.GRU(E, U, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(2 * U, C)

        def forward(self, ids, lengths):
            packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
            _, h = self.gru(packed)
            return self.fc(torch.cat([h[-2], h[-1]], dim=1))

    model = Model()
    ids = torch.tensor([[3, 7, 1, 9, 4], [5, 2, 8, 0, 0], [10, 0, 0, 0, 0]])
    lengths = torch.tensor([5, 3, 1])
    with torch.no_grad():
        logits = model(ids, lengths)
    # PyTorch's gates are (r, z, n); Keras' (z, r, h): swap the first two blocks.
    swap = ["blocks", [1, 0, 2], 0]
    mapping = [["embedding.embeddings", ["embedding.weight"], []]]
    for direction, suffix in (("forward", ""), ("backward", "_reverse")):
        p = f"rnn_0.{direction}"
        mapping += [
            [f"{p}.kernel", [f"gru.weight_ih_l0{suffix}"], [swap, ["t"]]],
            [f"{p}.recurrentKernel", [f"gru.weight_hh_l0{suffix}"], [swap, ["t"]]],
            [f"{p}.bias", [f"gru.bias_ih_l0{suffix}", f"gru.bias_hh_l0{suffix}"], [["stack"], ["blocks", [1, 0, 2], 1]]],
        ]
    mapping += [["classifier.kernel", ["fc.weight"], [["t"]]], ["classifier.bias", ["fc.bias"], []]]
    config = {"vocabSize": V, "numClasses": C, "embeddingDim": E, "units": U, "numLayers": 1, "bidirectional": True, "cell": "gru", "resetAfter": True, "padId": 0}
    write("recurrent", "gru-classifier", model, ids, {"logits": logits}, mapping, config)


if __name__ == "__main__":
    rnn_classifier()
    transformer_classifier()
    gpt2()
    seq2seq_lstm()
    gru_classifier()
