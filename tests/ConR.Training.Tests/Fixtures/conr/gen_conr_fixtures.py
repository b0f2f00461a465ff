#!/usr/bin/python3
"""Golden fixtures for ConRLoss (src/Training/ConR/ConRLoss.cs).

Written from the formulas in the ConR digest (/work/shared/docs/conr-digest.md, sections 1.2 and 1.3),
not from the official code.
The reference deliberately avoids the vectorised masks of the C# port: every anchor j is handled by
plain Python loops over k, and every denominator is assembled term by term in float64.  Gradients
with respect to the features come from torch autograd through those scalar operations.

Inputs are rounded to float32 first (the C# tests build float32 tensors from the same numbers), and
the generator rejects draws whose label or prediction distances fall within MARGIN of the window, so
float32 rounding on the C# side cannot flip a positive/negative mask.

Run with Debian's interpreter (python3-torch):
    /usr/bin/python3 tests/ConR.Training.Tests/Fixtures/conr/gen_conr_fixtures.py
"""

import json
import math
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MARGIN = 2e-3


# ----------------------------------------------------------------------------------------------
# Reference loss (per-anchor loops, float64)
# ----------------------------------------------------------------------------------------------

def per_sample_mean(values, n):
    """[N, ...] float32 numbers -> list of N float64 per-sample means."""
    arr = np.asarray(values, dtype=np.float64).reshape(n, -1)
    return [float(row.mean()) for row in arr]


def reference_loss(features, y, p, wts, variant, window, tau, e):
    """features: float64 tensor [N, ...] (requires grad); y, p, wts: lists of N floats."""
    n = features.shape[0]
    flat = features.reshape(n, -1)
    # L2 normalisation as torch.nn.functional.normalize: x / max(||x||, 1e-12).
    unit = []
    for j in range(n):
        norm = torch.sqrt((flat[j] * flat[j]).sum())
        unit.append(flat[j] / torch.clamp(norm, min=1e-12))

    def s(j, k):
        return (unit[j] * unit[k]).sum() / tau

    total = torch.zeros((), dtype=torch.float64)
    for j in range(n):
        positives = []
        negatives = []
        for k in range(n):
            d = abs(y[j] - y[k])
            if k != j and d <= window:
                positives.append(k)
            if d > window and abs(p[j] - p[k]) <= window:
                negatives.append(k)
        if len(negatives) == 0:
            continue  # not an anchor: 1[|K-_j| > 0] = 0
        if len(positives) == 0:
            continue  # empty sum over positives: l_j = 0

        denominator = torch.zeros((), dtype=torch.float64)
        for k in range(n):
            if k in positives:
                denominator = denominator + torch.exp(s(j, k))
            elif variant != "Clean":
                denominator = denominator + 1.0  # exp(s_jk * 0) padding, the anchor itself included
        for q in negatives:
            d = abs(y[j] - y[q])
            if variant == "OfficialDepth":
                pushing = e * wts[j] * d
            else:
                pushing = wts[j] * math.exp(e * d)
            denominator = denominator + pushing * torch.exp(s(j, q))

        per_anchor = torch.zeros((), dtype=torch.float64)
        for i in positives:
            per_anchor = per_anchor - torch.log(torch.exp(s(j, i)) / denominator)
        if variant == "OfficialDepth":
            per_anchor = per_anchor / (len(positives) + 1)
            total = total + per_anchor
        else:
            per_anchor = per_anchor / len(positives)
            total = total + wts[j] * per_anchor
    return total / n


# ----------------------------------------------------------------------------------------------
# Case generation
# ----------------------------------------------------------------------------------------------

def f32(values):
    return np.asarray(values, dtype=np.float32)


def short(values):
    """float32 array -> Python floats whose repr is the shortest round-trip float32 string."""
    return [float(repr(v)) for v in np.asarray(values, dtype=np.float32).ravel()]


def clear_of_window(values, window):
    for a in range(len(values)):
        for b in range(a + 1, len(values)):
            if abs(abs(values[a] - values[b]) - window) < MARGIN:
                return False
    return True


def anchor_stats(y, p, window):
    n = len(y)
    anchors = 0
    with_pos = 0
    for j in range(n):
        neg = any(abs(y[j] - y[k]) > window and abs(p[j] - p[k]) <= window for k in range(n))
        pos = any(k != j and abs(y[j] - y[k]) <= window for k in range(n))
        anchors += neg
        with_pos += neg and pos
    return anchors, with_pos


def make_case(name, variant, window, tau, e, features, labels, preds, weights, description):
    features = f32(features)
    labels = f32(labels)
    preds = f32(preds)
    weights = None if weights is None else f32(weights)
    n = features.shape[0]
    y = per_sample_mean(labels, n)
    p = per_sample_mean(preds, n)
    wts = [1.0] * n if weights is None else per_sample_mean(weights, n)

    x = torch.tensor(features.astype(np.float64), dtype=torch.float64, requires_grad=True)
    loss = reference_loss(x, y, p, wts, variant, window, tau, e)
    loss.backward()
    grad = x.grad.detach().numpy().ravel()
    anchors, with_pos = anchor_stats(y, p, window)
    return {
        "name": name,
        "description": description,
        "variant": variant,
        "window": window,
        "temperature": tau,
        "pushingScale": e,
        "featuresShape": list(features.shape),
        "features": short(features),
        "labelsShape": list(labels.shape),
        "labels": short(labels),
        "predictionsShape": list(preds.shape),
        "predictions": short(preds),
        "weightsShape": None if weights is None else list(weights.shape),
        "weights": None if weights is None else short(weights),
        "anchors": anchors,
        "anchorsWithPositives": with_pos,
        "expectedLoss": float(loss.item()),
        "expectedGrad": [float("%.12g" % g) for g in grad],
    }


def age_case(name, variant, seed, n, dim, window, tau, e, weighted, label_range, noise,
             two_views=False, collapsed=False, description=""):
    """collapsed: predictions ignore the labels (all near the label mean), so far-apart labels become negatives."""
    rng = np.random.default_rng(seed)
    for _ in range(10000):
        if two_views:
            base = rng.integers(label_range[0], label_range[1] + 1, size=n // 2)
            labels = np.concatenate([base, base]).astype(np.float64)
        else:
            labels = rng.integers(label_range[0], label_range[1] + 1, size=n).astype(np.float64)
        centre = labels.mean() if collapsed else labels
        preds = f32(centre + rng.normal(0.0, noise, size=n)).astype(np.float64)
        ok_dup = len(set(labels.tolist())) < n
        anchors, with_pos = anchor_stats(labels.tolist(), preds.tolist(), window)
        if ok_dup and clear_of_window(preds.tolist(), window) and 0 < with_pos and anchors < n:
            break
    else:
        raise RuntimeError(name)
    features = rng.normal(0.0, 1.0, size=(n, dim))
    weights = None
    if weighted:
        weights = rng.uniform(0.5, 3.0, size=n)
        if two_views:
            weights[n // 2:] = weights[: n // 2]
        weights = weights.reshape(n, 1)
    return make_case(name, variant, window, tau, e, features, labels.reshape(n, 1), preds.reshape(n, 1),
                     weights, description)


def depth_case(name, seed, shape, window, tau, e, weighted, dense_features=True, description=""):
    """Dense [B, C, H, W] features with [B, 1, H, W] label, prediction and weight maps (or their [B] means)."""
    b, c, h, w = shape
    rng = np.random.default_rng(seed)
    for _ in range(10000):
        base = rng.uniform(1.0, 2.0, size=b)
        labels = f32(base[:, None, None, None] + rng.uniform(-0.3, 0.3, size=(b, 1, h, w)))
        preds = f32(labels + rng.normal(0.0, 0.15, size=(b, 1, 1, 1)) + rng.normal(0.0, 0.05, size=(b, 1, h, w)))
        y = per_sample_mean(labels, b)
        p = per_sample_mean(preds, b)
        anchors, with_pos = anchor_stats(y, p, window)
        if clear_of_window(y, window) and clear_of_window(p, window) and with_pos > 0 and anchors < b:
            break
    else:
        raise RuntimeError(name)
    features = rng.normal(0.0, 1.0, size=(b, c, h, w)) if dense_features else rng.normal(0.0, 1.0, size=(b, c * h * w))
    weights = rng.uniform(0.5, 3.0, size=(b, 1, h, w)) if weighted else None
    if not dense_features:
        labels = labels.reshape(b, -1).mean(axis=1)
        preds = preds.reshape(b, -1).mean(axis=1)
        weights = None if weights is None else weights.reshape(b, -1).mean(axis=1)
    return make_case(name, "OfficialDepth", window, tau, e, features, labels, preds, weights, description)


def main():
    cases = [
        age_case("age_defaults_unweighted", "OfficialAge", 101, 12, 6, 1.0, 0.07, 0.01, False, (20, 30), 2.0,
                 description="Official age code, defaults w=1 tau=0.07 e=0.01, no weights."),
        age_case("age_defaults_weighted", "OfficialAge", 102, 16, 8, 1.0, 0.07, 0.01, True, (18, 40), 3.0,
                 description="Official age code, defaults, per-sample weights in [0.5, 3]."),
        age_case("age_two_views_weighted", "OfficialAge", 103, 14, 5, 1.0, 0.07, 0.01, True, (20, 35), 2.5,
                 two_views=True, description="Two views per image (labels and weights duplicated), defaults."),
        age_case("age_w2_tau02_e05_weighted", "OfficialAge", 104, 10, 4, 2.0, 0.2, 0.5, True, (0, 15), 3.0,
                 description="Official age code, wider window w=2, tau=0.2, strong pushing e=0.5."),
        age_case("clean_defaults_unweighted", "Clean", 105, 10, 5, 1.0, 0.07, 0.01, False, (30, 38), 2.0,
                 description="Clean variant (no exp(0) padding), defaults, no weights."),
        age_case("clean_w2_tau01_e005_weighted", "Clean", 106, 12, 7, 2.0, 0.1, 0.05, True, (10, 30), 3.0,
                 description="Clean variant, w=2, tau=0.1, e=0.05, per-sample weights."),
        age_case("clean_sparse_positives", "Clean", 107, 8, 4, 1.0, 0.07, 0.01, False, (0, 40), 6.0,
                 description="Clean variant with mostly unique labels: some anchors have negatives but no positives."),
        depth_case("depth_defaults_dense", 201, (4, 3, 5, 6), 0.2, 0.2, 0.2, False,
                   description="Official NYUD2 code, defaults w=0.2 tau=0.2 e=0.2, [4,3,5,6] features and dense maps."),
        depth_case("depth_defaults_dense_weighted", 202, (6, 2, 4, 4), 0.2, 0.2, 0.2, True,
                   description="Official NYUD2 code, defaults, dense per-pixel weights reduced to means."),
        depth_case("depth_vector_tau01_e05", 203, (8, 1, 2, 3), 0.2, 0.1, 0.5, True, dense_features=False,
                   description="Depth math on [N, D] features with per-sample [N] labels, predictions and weights."),
        # Finite by the formulas, but exp(e * d) alone exceeds the float32 range (e * d up to ~180 > 88.7).
        age_case("age_large_pushing_scale", "OfficialAge", 108, 8, 4, 1.0, 0.07, 3.0, True, (0, 60), 0.4,
                 collapsed=True,
                 description="Official age code with e=3 and labels 0..60: log S = log w + e*d reaches ~180."),
        # e = 0 makes every pushing weight S = e*w*d zero: negatives leave the denominator, but the anchor
        # indicator 1[|K-_j| > 0] (digest 1.2) still selects the same anchors, so the loss stays positive.
        depth_case("depth_zero_pushing_scale", 204, (6, 2, 3, 3), 0.2, 0.2, 0.0, False,
                   description="Official NYUD2 math with e=0: anchors still count, negatives drop out of D_j."),
    ]
    total = 0
    for case in cases:
        path = os.path.join(HERE, case["name"] + ".json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(case, fh, separators=(",", ":"))
            fh.write("\n")
        total += os.path.getsize(path)
        print("%-32s %-13s N=%-3d anchors=%d (with positives %d) loss=%.9g" % (
            case["name"], case["variant"], case["featuresShape"][0], case["anchors"],
            case["anchorsWithPositives"], case["expectedLoss"]))
    print("total bytes:", total)


if __name__ == "__main__":
    main()
