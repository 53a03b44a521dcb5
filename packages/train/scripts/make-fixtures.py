"""Reference values for @tensorloom/train's numerics, from PyTorch (CPU, float64 unless stated).

Run from the repository root with a Python that has torch 2.13 and numpy:

    python packages/train/scripts/make-fixtures.py

It writes packages/train/src/__fixtures__/{losses,optimizers,schedules,clipping,ema}.json. CI never
runs it; the tests read the committed JSON. Every input is drawn from a fixed numpy seed.
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__")
rs = np.random.RandomState(1234)


def arr(t, digits=None):
    a = np.asarray(t.detach().cpu().numpy() if torch.is_tensor(t) else t, dtype=np.float64).reshape(-1)
    return [float(f"{v:.{digits}g}") for v in a] if digits else a.tolist()


def dump(name, data):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


# ----------------------------------------------------------------------------------------- losses
EPS = 1e-7  # Keras' clipping epsilon for probabilities


def t64(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


def loss_case(name, factory, options, y_true, y_pred, fn, sample_weight=None, y_dtype="float32"):
    """fn(yTrue, yPred) -> per-sample tensor; reductions computed from it."""
    yp = t64(y_pred).requires_grad_(True)
    yt = torch.tensor(np.asarray(y_true)) if y_dtype == "int32" else t64(y_true)
    sw = None if sample_weight is None else t64(sample_weight)
    value, denom = fn(yt, yp)
    per = value
    if sw is not None:
        per = per * sw.reshape(list(sw.shape) + [1] * (per.dim() - sw.dim()))
    red = options.get("reduction", "mean")
    if red == "none":
        out = per
        g = torch.autograd.grad(out.sum(), yp)[0]
    else:
        out = per.sum() if red == "sum" else per.sum() / (denom if denom is not None else per.numel())
        g = torch.autograd.grad(out, yp)[0]
    return {
        "name": name, "factory": factory, "options": options,
        "yTrue": np.asarray(y_true, dtype=np.float64).reshape(-1).tolist(), "yTrueShape": list(np.shape(y_true)), "yTrueDtype": y_dtype,
        "yPred": arr(yp), "yPredShape": list(yp.shape),
        "sampleWeight": None if sw is None else arr(sw), "sampleWeightShape": None if sw is None else list(sw.shape),
        "value": arr(out), "valueShape": list(out.shape), "grad": arr(g),
    }


def logits(*shape, scale=2.0):
    return rs.randn(*shape) * scale


def probs(*shape):
    x = rs.rand(*shape) * 0.9 + 0.05
    return x


def softmax_np(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


loss_cases = []
B, D, C = 4, 3, 5

# Regression: per-sample means over the last axis.
yt, yp = rs.randn(B, D), rs.randn(B, D)
loss_cases.append(loss_case("mse", "meanSquaredError", {}, yt, yp, lambda y, p: (((y - p) ** 2).mean(-1), None)))
loss_cases.append(loss_case("mse_sum_weighted", "meanSquaredError", {"reduction": "sum"}, yt, yp, lambda y, p: (((y - p) ** 2).mean(-1), None), sample_weight=[1, 0.5, 0, 2]))
loss_cases.append(loss_case("mae_none", "meanAbsoluteError", {"reduction": "none"}, yt, yp, lambda y, p: ((y - p).abs().mean(-1), None)))
loss_cases.append(loss_case("mae_weighted", "meanAbsoluteError", {}, yt, yp, lambda y, p: ((y - p).abs().mean(-1), None), sample_weight=[1, 2, 3, 4]))
yh = rs.randn(B, D) * 2
loss_cases.append(loss_case("huber", "huber", {"delta": 0.7}, yt, yh, lambda y, p: (F.huber_loss(p, y, delta=0.7, reduction="none").mean(-1), None)))
loss_cases.append(loss_case("log_cosh", "logCosh", {}, yt, yh, lambda y, p: (torch.log(torch.cosh(p - y)).mean(-1), None)))
loss_cases.append(loss_case("mse_rank1", "meanSquaredError", {}, rs.randn(B), rs.randn(B), lambda y, p: ((y - p) ** 2, None)))

# Binary cross-entropy.
ybin = (rs.rand(B, D) > 0.5).astype(np.float64)
xb = logits(B, D)
loss_cases.append(loss_case("bce_logits", "binaryCrossentropy", {"fromLogits": True}, ybin, xb,
                            lambda y, p: (F.binary_cross_entropy_with_logits(p, y, reduction="none").mean(-1), None)))
loss_cases.append(loss_case("bce_logits_posweight_smooth", "binaryCrossentropy", {"fromLogits": True, "positiveWeight": [2.0, 0.5, 1.0], "labelSmoothing": 0.1}, ybin, xb,
                            lambda y, p: (F.binary_cross_entropy_with_logits(p, y * 0.9 + 0.05, pos_weight=t64([2.0, 0.5, 1.0]), reduction="none").mean(-1), None)))
pb = probs(B, D)
loss_cases.append(loss_case("bce_probs_soft", "binaryCrossentropy", {}, rs.rand(B, D), pb,
                            lambda y, p: (F.binary_cross_entropy(p.clamp(EPS, 1 - EPS), y, reduction="none").mean(-1), None)))

# Categorical cross-entropy with soft labels (mixup), smoothing and class weights.
soft = softmax_np(rs.randn(B, C) * 2)
xc = logits(B, C)
cw = [1.0, 2.0, 0.5, 1.5, 0.25]
loss_cases.append(loss_case("cce_logits_soft", "categoricalCrossentropy", {"fromLogits": True}, soft, xc,
                            lambda y, p: (F.cross_entropy(p, y, reduction="none"), None)))
loss_cases.append(loss_case("cce_logits_smooth_weights", "categoricalCrossentropy", {"fromLogits": True, "labelSmoothing": 0.2, "classWeights": cw}, soft, xc,
                            lambda y, p: (F.cross_entropy(p, y, weight=t64(cw), label_smoothing=0.2, reduction="none"), None)))
pc = softmax_np(rs.randn(B, C))
loss_cases.append(loss_case("cce_probs", "categoricalCrossentropy", {}, soft, pc,
                            lambda y, p: (-(y * torch.log((p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS))).sum(-1), None)))

# Sparse categorical cross-entropy: classification, sequences with padding, segmentation.
lab = rs.randint(0, C, size=(B,))
loss_cases.append(loss_case("sce_logits", "sparseCategoricalCrossentropy", {"fromLogits": True}, lab, xc,
                            lambda y, p: (F.cross_entropy(p, y, reduction="none"), None), y_dtype="int32"))


def torch_ce_mean(p, y, **kw):
    """Per-target terms and the denominator PyTorch's 'mean' uses (weights of non-ignored targets)."""
    flat_p = p.reshape(-1, p.shape[-1])
    flat_y = y.reshape(-1)
    per = F.cross_entropy(flat_p, flat_y, reduction="none", **kw).reshape(y.shape)
    total = F.cross_entropy(flat_p, flat_y, reduction="sum", **kw)
    mean = F.cross_entropy(flat_p, flat_y, reduction="mean", **kw)
    return per, total / mean


T = 6
seq = rs.randint(0, C, size=(2, T))
seq[0, 4:] = -100
seq[1, 5:] = -100
xs = logits(2, T, C)
kw = dict(ignore_index=-100, weight=t64(cw), label_smoothing=0.1)
loss_cases.append(loss_case("sce_sequence_ignore_weights_smooth", "sparseCategoricalCrossentropy",
                            {"fromLogits": True, "ignoreIndex": -100, "classWeights": cw, "labelSmoothing": 0.1}, seq, xs,
                            lambda y, p: torch_ce_mean(p, y, **kw), y_dtype="int32"))
loss_cases.append(loss_case("sce_sequence_ignore_sum", "sparseCategoricalCrossentropy",
                            {"fromLogits": True, "ignoreIndex": -100, "reduction": "sum"}, seq, xs,
                            lambda y, p: torch_ce_mean(p, y, ignore_index=-100), y_dtype="int32"))
seg = rs.randint(0, 3, size=(2, 3, 4))
xseg = logits(2, 3, 4, 3)
loss_cases.append(loss_case("sce_segmentation", "sparseCategoricalCrossentropy", {"fromLogits": True}, seg, xseg,
                            lambda y, p: (F.cross_entropy(p.permute(0, 3, 1, 2), y, reduction="none"), None), y_dtype="int32"))
loss_cases.append(loss_case("sce_probs_weighted", "sparseCategoricalCrossentropy", {}, lab, pc,
                            lambda y, p: (-torch.log((p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)).gather(-1, y[:, None])[:, 0], None),
                            sample_weight=[1, 0, 2, 1], y_dtype="int32"))

# KL divergence: batchmean of kl_div.
qk = softmax_np(rs.randn(B, C))
loss_cases.append(loss_case("kl_probs", "klDivergence", {}, soft, qk,
                            lambda y, p: (F.kl_div(torch.log(p.clamp(EPS, 1)), y, reduction="none").sum(-1), None)))
zero_soft = soft.copy()
zero_soft[0] = [0, 0, 1, 0, 0]
loss_cases.append(loss_case("kl_logits_zero_targets", "klDivergence", {"fromLogits": True}, zero_soft, xc,
                            lambda y, p: (F.kl_div(F.log_softmax(p, -1), y, reduction="none").sum(-1), None)))

# Cosine similarity (Keras' sign: −cos).
loss_cases.append(loss_case("cosine", "cosineSimilarity", {}, yt, yp, lambda y, p: (-F.cosine_similarity(p, y, dim=-1, eps=1e-6), None)))

# Hinge and squared hinge.
ysign = np.where(rs.rand(B, D) > 0.5, 1.0, -1.0)
xh = rs.randn(B, D)
loss_cases.append(loss_case("hinge", "hinge", {}, ysign, xh, lambda y, p: (torch.relu(1 - y * p).mean(-1), None)))
loss_cases.append(loss_case("squared_hinge_binary", "squaredHinge", {"binaryLabels": True}, (ysign + 1) / 2, xh,
                            lambda y, p: (torch.relu(1 - (2 * y - 1) * p).pow(2).mean(-1), None)))


# Focal: torchvision's sigmoid_focal_loss formula, and Keras' categorical focal formula.
def binary_focal(y, x, gamma, alpha, logits_in, smoothing=0.0):
    y = y * (1 - smoothing) + 0.5 * smoothing
    if logits_in:
        p = torch.sigmoid(x)
        ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    else:
        p = x.clamp(EPS, 1 - EPS)
        ce = F.binary_cross_entropy(p, y, reduction="none")
    p_t = y * p + (1 - y) * (1 - p)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = loss * (y * alpha + (1 - y) * (1 - alpha))
    return loss.mean(-1), None


loss_cases.append(loss_case("binary_focal_logits", "binaryFocalCrossentropy", {"fromLogits": True, "gamma": 2, "alpha": 0.25}, ybin, xb,
                            lambda y, p: binary_focal(y, p, 2, 0.25, True)))
loss_cases.append(loss_case("binary_focal_probs_smooth", "binaryFocalCrossentropy", {"gamma": 1.5, "labelSmoothing": 0.1}, ybin, pb,
                            lambda y, p: binary_focal(y, p, 1.5, None, False, 0.1)))


def cat_focal(y, x, gamma, alpha):
    logp = F.log_softmax(x, -1)
    p = logp.exp()
    return -(alpha * (1 - p) ** gamma * y * logp).sum(-1), None


loss_cases.append(loss_case("categorical_focal_logits", "categoricalFocalCrossentropy", {"fromLogits": True, "gamma": 2, "alpha": 0.25}, soft, xc,
                            lambda y, p: cat_focal(y, p, 2, 0.25)))


# Overlap losses on segmentation-shaped tensors [B, H, W, C].
def overlap(kind, y, x, act, smooth, per_class, alpha=0.5, beta=0.5):
    p = torch.softmax(x, -1) if act == "softmax" else torch.sigmoid(x) if act == "sigmoid" else x
    dims = tuple(range(1, y.dim() - (1 if per_class else 0)))
    tp, st, sp = (y * p).sum(dims), y.sum(dims), p.sum(dims)
    if kind == "dice":
        s = (2 * tp + smooth) / (st + sp + smooth)
    elif kind == "jaccard":
        s = (tp + smooth) / (st + sp - tp + smooth)
    else:
        s = (tp + smooth) / (tp + alpha * (sp - tp) + beta * (st - tp) + smooth)
    if per_class:
        s = s.mean(-1)
    return 1 - s, None


mask = np.eye(3)[rs.randint(0, 3, size=(2, 3, 4))]
xm = logits(2, 3, 4, 3)
loss_cases.append(loss_case("dice_softmax_perclass", "dice", {"activation": "softmax", "perClass": True, "smooth": 1}, mask, xm,
                            lambda y, p: overlap("dice", y, p, "softmax", 1, True)))
mbin = (rs.rand(2, 3, 4, 1) > 0.5).astype(np.float64)
pm = probs(2, 3, 4, 1)
loss_cases.append(loss_case("dice_probs", "dice", {}, mbin, pm, lambda y, p: overlap("dice", y, p, None, 1e-6, False)))
loss_cases.append(loss_case("jaccard_sigmoid", "jaccard", {"activation": "sigmoid"}, mbin, logits(2, 3, 4, 1),
                            lambda y, p: overlap("jaccard", y, p, "sigmoid", 1e-6, False)))
loss_cases.append(loss_case("tversky_softmax", "tversky", {"activation": "softmax", "alpha": 0.3, "beta": 0.7, "perClass": True}, mask, xm,
                            lambda y, p: overlap("tversky", y, p, "softmax", 1e-6, True, 0.3, 0.7)))

dump("losses.json", loss_cases)

# ------------------------------------------------------------------------------------- optimizers
STEPS = 8
SHAPES = {"w": (3, 4), "b": (4,)}
init = {k: rs.randn(*s).astype(np.float32) for k, s in SHAPES.items()}
grads = [{k: (rs.randn(*s) * (1 + i % 3)).astype(np.float32) for k, s in SHAPES.items()} for i in range(STEPS)]
MUON_SHAPES = {"w": (3, 4), "t": (5, 2)}
# Adafactor factors over the last two axes of a rank-3 parameter, and keeps a full (scalar) second moment for rank 0.
RANK3_SHAPES = {"k": (2, 3, 4), "s": ()}
muon_init = {k: rs.randn(*s).astype(np.float32) for k, s in MUON_SHAPES.items()}
muon_grads = [{k: (rs.randn(*s)).astype(np.float32) for k, s in MUON_SHAPES.items()} for i in range(STEPS)]
rank3_init = {k: np.asarray(rs.randn(*s), dtype=np.float32) for k, s in RANK3_SHAPES.items()}
rank3_grads = [{k: np.asarray(rs.randn(*s), dtype=np.float32) for k, s in RANK3_SHAPES.items()} for i in range(STEPS)]


def float32_newton_schulz(grad, ns_coefficients, ns_steps, eps):
    """torch.optim.Muon's iteration without its bfloat16 cast (our float32 reference)."""
    a, b, c = ns_coefficients
    x = grad.clone()
    if grad.size(0) > grad.size(1):
        x = x.T
    x = x / x.norm().clamp(min=eps)
    for _ in range(ns_steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    if grad.size(0) > grad.size(1):
        x = x.T
    return x


import torch.optim._muon as muon_mod  # noqa: E402

muon_mod._zeropower_via_newtonschulz = float32_newton_schulz


def trajectory(ctor, torch_kwargs, shapes=SHAPES, start=init, gs=grads, groups=None):
    params = {k: torch.tensor(start[k].copy(), dtype=torch.float32, requires_grad=True) for k in shapes}
    if groups is None:
        opt = ctor(list(params.values()), **torch_kwargs)
    else:
        opt = ctor([{"params": [params[k] for k in names], **extra} for names, extra in groups], **torch_kwargs)
    traj = []
    for g in gs:
        for k, p in params.items():
            p.grad = torch.tensor(g[k])
        opt.step()
        traj.append({k: arr(p) for k, p in params.items()})
    return traj


O = torch.optim
opt_cases = [
    ("sgd", "sgd", O.SGD, dict(lr=0.1), {"learningRate": 0.1}),
    ("sgd_momentum_wd", "sgd", O.SGD, dict(lr=0.05, momentum=0.9, weight_decay=0.01), {"learningRate": 0.05, "momentum": 0.9, "weightDecay": 0.01}),
    ("sgd_nesterov_wd", "sgd", O.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01), {"learningRate": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}),
    ("sgd_dampening", "sgd", O.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3), {"learningRate": 0.05, "momentum": 0.8, "dampening": 0.3}),
    ("adam", "adam", O.Adam, dict(lr=0.01), {"learningRate": 0.01}),
    ("adam_l2", "adam", O.Adam, dict(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1), {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.9, "epsilon": 1e-6, "weightDecay": 0.1}),
    ("adam_amsgrad", "adam", O.Adam, dict(lr=0.01, betas=(0.8, 0.9), amsgrad=True), {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.9, "amsgrad": True}),
    ("adamw", "adamW", O.AdamW, dict(lr=0.01, weight_decay=0.1), {"learningRate": 0.01, "weightDecay": 0.1}),
    ("adamw_amsgrad", "adamW", O.AdamW, dict(lr=0.01, weight_decay=0.1, amsgrad=True, betas=(0.9, 0.95)), {"learningRate": 0.01, "weightDecay": 0.1, "amsgrad": True, "beta2": 0.95}),
    ("adamax", "adamax", O.Adamax, dict(lr=0.01, weight_decay=0.05), {"learningRate": 0.01, "weightDecay": 0.05}),
    ("rmsprop", "rmsprop", O.RMSprop, dict(lr=0.01), {"learningRate": 0.01}),
    ("rmsprop_centered_momentum", "rmsprop", O.RMSprop, dict(lr=0.01, alpha=0.9, centered=True, momentum=0.9, weight_decay=0.01),
     {"learningRate": 0.01, "alpha": 0.9, "centered": True, "momentum": 0.9, "weightDecay": 0.01}),
    ("adagrad", "adagrad", O.Adagrad, dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01),
     {"learningRate": 0.1, "lrDecay": 0.01, "initialAccumulator": 0.1, "weightDecay": 0.01}),
    ("adadelta", "adadelta", O.Adadelta, dict(lr=1.0, rho=0.9, weight_decay=0.01), {"learningRate": 1, "rho": 0.9, "weightDecay": 0.01}),
    ("nadam", "nadam", O.NAdam, dict(lr=0.01), {"learningRate": 0.01}),
    ("nadam_decoupled", "nadam", O.NAdam, dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=0.01),
     {"learningRate": 0.01, "weightDecay": 0.1, "decoupledWeightDecay": True, "momentumDecay": 0.01}),
    ("radam", "radam", O.RAdam, dict(lr=0.01, betas=(0.9, 0.9)), {"learningRate": 0.01, "beta2": 0.9}),
    ("radam_decoupled", "radam", O.RAdam, dict(lr=0.01, betas=(0.9, 0.999), weight_decay=0.1, decoupled_weight_decay=True),
     {"learningRate": 0.01, "weightDecay": 0.1, "decoupledWeightDecay": True}),
    ("adafactor", "adafactor", O.Adafactor, dict(lr=0.01), {"learningRate": 0.01}),
    ("adafactor_wd", "adafactor", O.Adafactor, dict(lr=0.3, beta2_decay=-0.5, d=2.0, weight_decay=0.1, eps=(1e-6, 1e-2)),
     {"learningRate": 0.3, "beta2Decay": -0.5, "clipThreshold": 2, "weightDecay": 0.1, "epsilon1": 1e-6, "epsilon2": 1e-2}),
]
def traj32(t):
    # float32 trajectories: 9 significant digits round-trip a float32
    return [{k: arr(v, 9) for k, v in step.items()} for step in t]


opt_out = []
for name, factory, ctor, kw, ours in opt_cases:
    opt_out.append({"name": name, "factory": factory, "options": ours, "data": "main", "trajectory": traj32(trajectory(ctor, kw))})
# Parameter groups: a lower rate and no decay for the bias.
opt_out.append({"name": "adamw_groups", "factory": "adamW", "options": {"learningRate": 0.01, "weightDecay": 0.1},
                "groups": [{"match": "^b$", "learningRate": 0.02, "weightDecay": 0}], "data": "main",
                "trajectory": traj32(trajectory(O.AdamW, dict(lr=0.01, weight_decay=0.1), groups=[(["w"], {}), (["b"], {"lr": 0.02, "weight_decay": 0})]))})
for name, kw, ours in [
    ("muon", dict(lr=0.02), {"learningRate": 0.02}),
    ("muon_plain_momentum_match_rms", dict(lr=0.02, weight_decay=0.05, momentum=0.9, nesterov=False, adjust_lr_fn="match_rms_adamw"),
     {"learningRate": 0.02, "weightDecay": 0.05, "momentum": 0.9, "nesterov": False, "adjustLr": "match_rms_adamw"}),
]:
    opt_out.append({"name": name, "factory": "muon", "options": ours, "data": "muon",
                    "trajectory": traj32(trajectory(O.Muon, kw, MUON_SHAPES, muon_init, muon_grads))})

opt_out.append({"name": "adafactor_rank3_and_scalar", "factory": "adafactor", "options": {"learningRate": 0.05}, "data": "rank3",
                "trajectory": traj32(trajectory(O.Adafactor, dict(lr=0.05), RANK3_SHAPES, rank3_init, rank3_grads))})


def data(shapes, start, gs):
    return {"shapes": {k: list(s) for k, s in shapes.items()}, "init": {k: arr(v, 9) for k, v in start.items()},
            "grads": [{k: arr(v, 9) for k, v in g.items()} for g in gs]}


dump("optimizers.json", {"data": {"main": data(SHAPES, init, grads), "muon": data(MUON_SHAPES, muon_init, muon_grads),
                                  "rank3": data(RANK3_SHAPES, rank3_init, rank3_grads)}, "cases": opt_out})

# -------------------------------------------------------------------------------------- schedules
N = 40


def lrs(make):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = O.SGD([p], lr=0.1)
    sched = make(opt)
    out = []
    for _ in range(N):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


S = O.lr_scheduler
sched_cases = [
    ("step", {"initial": 0.1, "stepSize": 7, "gamma": 0.5}, lrs(lambda o: S.StepLR(o, 7, gamma=0.5))),
    ("multiStep", {"initial": 0.1, "milestones": [5, 12, 30], "gamma": 0.3}, lrs(lambda o: S.MultiStepLR(o, [5, 12, 30], gamma=0.3))),
    ("exponential", {"initial": 0.1, "gamma": 0.9}, lrs(lambda o: S.ExponentialLR(o, 0.9))),
    ("polynomial", {"initial": 0.1, "steps": 25, "power": 2}, lrs(lambda o: S.PolynomialLR(o, total_iters=25, power=2))),
    ("cosine", {"initial": 0.1, "steps": 30, "final": 0.001}, lrs(lambda o: S.CosineAnnealingLR(o, T_max=30, eta_min=0.001))[:31]),
    ("cosineRestarts", {"initial": 0.1, "period": 5, "periodMult": 2, "final": 0.01}, lrs(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01))),
    ("oneCycle", {"max": 0.1, "steps": N}, lrs(lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=N))),
    ("oneCycle", {"max": 0.1, "steps": N, "pctStart": 0.25, "anneal": "linear", "threePhase": True, "divFactor": 10, "finalDivFactor": 100},
     lrs(lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=N, pct_start=0.25, anneal_strategy="linear", three_phase=True, div_factor=10, final_div_factor=100))),
    ("linearWarmup+cosine", {"steps": 8, "startFactor": 0.1, "then": {"initial": 0.1, "steps": 32}},
     lrs(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=8), S.CosineAnnealingLR(o, T_max=32)], milestones=[8]))),
]
dump("schedules.json", [{"factory": f, "options": o, "values": v} for f, o, v in sched_cases])

# -------------------------------------------------------------------------------- clipping and EMA
cg = {"a": rs.randn(3, 2) * 3, "b": rs.randn(4)}
clip_out = []
for max_norm in [0.5, 100.0]:
    ps = {k: torch.nn.Parameter(torch.zeros(v.shape, dtype=torch.float64)) for k, v in cg.items()}
    for k, p in ps.items():
        p.grad = t64(cg[k])
    total = torch.nn.utils.clip_grad_norm_(list(ps.values()), max_norm)
    clip_out.append({"maxNorm": max_norm, "grads": {k: arr(v) for k, v in cg.items()}, "shapes": {k: list(v.shape) for k, v in cg.items()},
                     "norm": float(total), "clipped": {k: arr(p.grad) for k, p in ps.items()}})
dump("clipping.json", clip_out)

from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn  # noqa: E402

model = torch.nn.Linear(3, 2)
with torch.no_grad():
    model.weight.copy_(t64(rs.randn(2, 3)).float())
    model.bias.copy_(t64(rs.randn(2)).float())
ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
ema_steps = []
for i in range(5):
    with torch.no_grad():
        model.weight.add_(torch.tensor(rs.randn(2, 3), dtype=torch.float32))
        model.bias.add_(torch.tensor(rs.randn(2), dtype=torch.float32))
    ema_model.update_parameters(model)
    ema_steps.append({"live": {"weight": arr(model.weight), "bias": arr(model.bias)},
                      "ema": {"weight": arr(ema_model.module.weight), "bias": arr(ema_model.module.bias)}})
dump("ema.json", {"decay": 0.9, "shapes": {"weight": [2, 3], "bias": [2]}, "steps": ema_steps})
print("wrote", OUT)
