"""Worker of tools/bench/perf.ts: greedy generation with a GPT in PyTorch; prints its tokens/s.

    python tools/bench/perf/torch_generate.py --cache 1 --threads 2 --warmup 1 --repeats 3 --budget-ms 3000

The same model and generation as tools/bench/perf/generate-tensorloom.ts (Tensorloom's
`causalLM` of @tensorloom/models): GPT-2's layout, 4 pre-norm blocks of width 128 with 4
heads, MLP 512 with tanh-approximated GELU, learned positions, vocabulary 512, layer-norm
epsilon 1e-5, the output projection tied to the token embedding, no dropout. One row,
an 8-token prompt, then --tokens tokens greedily (argmax of the last position's logits,
read back every step as Tensorloom's greedyDecode does). With --cache 1 each step runs the
new position only against the cached keys and values of every block; with --cache 0 each
step reruns the whole sequence so far (the head over every position, as Tensorloom's
uncached decoder does). One "step" of the timing loop is a whole generation; the rates are
tokens per wall-clock second and per CPU second (all threads). Prints one line:
PERF-RESULT {json} (samplesPerSec and samplesPerCpuSec are tokens).
"""

import argparse
import json
import resource
import time

import torch
from torch import nn
from torch.nn import functional as F

VOCAB, D, LAYERS, HEADS, FF, PROMPT = 512, 128, 4, 4, 512, 8


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(D, eps=1e-5)
        self.c_attn = nn.Linear(D, 3 * D)
        self.c_proj = nn.Linear(D, D)
        self.ln_2 = nn.LayerNorm(D, eps=1e-5)
        self.fc = nn.Linear(D, FF)
        self.proj = nn.Linear(FF, D)

    def forward(self, x, cache):
        """x (B, T, D); cache None (whole causal sequence) or [k, v] (B, H, L, Dh), extended in place."""
        b, t, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(D, dim=2)
        q, k, v = (z.view(b, t, HEADS, D // HEADS).transpose(1, 2) for z in (q, k, v))
        if cache is None:
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            if cache[0] is not None:
                k = torch.cat([cache[0], k], dim=2)
                v = torch.cat([cache[1], v], dim=2)
            cache[0], cache[1] = k, v
            # The prompt (t > 1) is causal within itself; a single new position sees everything.
            a = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
        x = x + self.c_proj(a.transpose(1, 2).reshape(b, t, D))
        return x + self.proj(F.gelu(self.fc(self.ln_2(x)), approximate='tanh'))


class GPT(nn.Module):
    def __init__(self, context):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, D)
        self.wpe = nn.Embedding(context, D)
        self.h = nn.ModuleList(Block() for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(D, eps=1e-5)

    def forward(self, ids, offset=0, caches=None):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(offset, offset + t))
        for i, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[i])
        return self.ln_f(x) @ self.wte.weight.t()  # tied head, (B, T, V)


def generate(model, prompt, tokens, cache):
    out = []
    with torch.inference_mode():
        if cache:
            caches = [[None, None] for _ in range(LAYERS)]
            ids, offset = prompt, 0
            for _ in range(tokens):
                logits = model(ids, offset, caches)
                offset += ids.shape[1]
                nxt = int(logits[0, -1].argmax())
                out.append(nxt)
                ids = torch.tensor([[nxt]])
        else:
            seq = prompt
            for _ in range(tokens):
                logits = model(seq)
                nxt = int(logits[0, -1].argmax())
                out.append(nxt)
                seq = torch.cat([seq, torch.tensor([[nxt]])], dim=1)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cache', type=int, choices=[0, 1], required=True)
    parser.add_argument('--tokens', type=int, default=120)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=0, help='whole generations before timing, after the 16-token check')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--budget-ms', type=float, default=3000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = GPT(PROMPT + args.tokens).eval()
    for m in model.modules():  # GPT-2's initialisation (the values do not change the speed)
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)
    prompt = torch.tensor([[(i * 7) % VOCAB for i in range(PROMPT)]])
    # The two paths must agree (the same check as Tensorloom's side); it warms up both too.
    if generate(model, prompt, 16, True) != generate(model, prompt, 16, False):
        raise RuntimeError('cached and uncached generation produced different tokens')
    for _ in range(args.warmup):
        generate(model, prompt, args.tokens, args.cache == 1)
    result = {'samplesPerSec': [], 'samplesPerCpuSec': [], 'steps': []}
    for _ in range(args.repeats):
        cpu0, t0, steps = time.process_time(), time.perf_counter(), 0
        while True:
            generate(model, prompt, args.tokens, args.cache == 1)
            steps += 1
            if (time.perf_counter() - t0) * 1000 >= args.budget_ms:
                break
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        result['samplesPerSec'].append(steps * args.tokens / wall)
        result['samplesPerCpuSec'].append(steps * args.tokens / cpu)
        result['steps'].append(steps)
    result['peakRssMb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result['torch'] = torch.__version__
    print('PERF-RESULT ' + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
