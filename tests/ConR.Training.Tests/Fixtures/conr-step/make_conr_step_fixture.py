#!/usr/bin/env python3
"""Writes the step-level parity fixture for ConRStepParityTests: one age training step (L = L_R + beta * L_ConR) of a
tiny ResNet-18 (--width 0.0625: stages of 16, 16, 16, 32 channels; 64 px, ImageNet stem) with fixed weights, fixed augmented views, labels and sample
weights, computed independently of conr-train in PyTorch, in float64, from the formulas (docs/conr-digest.md 1.2).

For each step arrangement it stores the total loss, L_R, L_ConR and d loss / d parameter for every parameter:
  official        L_R (weighted L1) on view 1 in one forward pass; ConR on views 2 and 3 in a second pass
  single-forward  the three views in one forward pass (BatchNorm statistics over 3B)
  two-view        views 1 and 2 in one pass; L_R on both (labels repeated), ConR on the same features

Run once (Debian 12: apt-get install python3-torch python3-numpy):  python3 make_conr_step_fixture.py
Outputs beside this script: conr_step.json (metadata, losses, tensor index), conr_step.bin (float32 LE parameters and
gradients), conr_step_views.bin (uint8 views [3][B][3][64][64], normalised as (x / 255 - 0.5) / 0.5).
"""
import json, math, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
B, SIZE, BETA = 4, 64, 2.0
W_WINDOW, TAU, E_SCALE = 1.0, 0.07, 0.01
LABELS = [20.0, 21.0, 35.0, 60.0]
WEIGHTS = [1.0, 0.5, 2.0, 1.5]
WIDTHS = [16, 16, 16, 32]  # conr-train's stage widths at --width 0.0625 (at least 16 channels)
rng = np.random.RandomState(20261206)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) \
            if stride != 1 or cin != cout else None

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, WIDTHS[0], 7, 2, 3, bias=False), nn.BatchNorm2d(WIDTHS[0]), nn.ReLU(),
                                  nn.MaxPool2d(3, 2, 1))
        cin = WIDTHS[0]
        for s, c in enumerate(WIDTHS):
            setattr(self, f'layer{s + 1}', nn.Sequential(Block(cin, c, 1 if s == 0 else 2), Block(c, c, 1)))
            cin = c

    def forward(self, x):
        x = self.stem(x)
        for s in range(4):
            x = getattr(self, f'layer{s + 1}')(x)
        return x


class Age(nn.Module):
    """Parameter names equal conr-train's AgeRegressor (encoder.layer1.0.conv1.weight, ..., regressor.bias)."""
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.regressor = nn.Linear(WIDTHS[-1], 1)

    def forward(self, x):
        f = F.adaptive_avg_pool2d(self.encoder(x), 1).flatten(1)
        return self.regressor(f), f


def conr_age(features, labels, preds, weights):
    """ConR, official age form, per anchor j: positives K+ (|y_j - y_k| <= w, k != j), negatives K- (|y_j - y_k| > w,
    |p_j - p_k| <= w), S = w_j exp(e |y_j - y_k|); the denominator adds exp(0) for every entry that is not a positive
    (the anchor included); loss_j = -mean over K+ of log(exp(z.z+/tau) / denominator), kept only when K- is not empty;
    the batch loss is the mean over all samples of w_j loss_j."""
    z = F.normalize(features, dim=1)
    n = z.shape[0]
    total = torch.zeros((), dtype=torch.float64)
    for j in range(n):
        pos = [k for k in range(n) if k != j and abs(labels[j] - labels[k]) <= W_WINDOW]
        neg = [k for k in range(n) if abs(labels[j] - labels[k]) > W_WINDOW and abs(preds[j] - preds[k]) <= W_WINDOW]
        if not neg or not pos:
            continue
        sim = [z[j] @ z[k] / TAU for k in range(n)]
        denom = sum(torch.exp(sim[k]) for k in pos) + (n - len(pos)) \
            + sum(weights[j] * math.exp(E_SCALE * abs(labels[j] - labels[k])) * torch.exp(sim[k]) for k in neg)
        loss_j = -sum(sim[k] - torch.log(denom) for k in pos) / len(pos)
        total = total + weights[j] * loss_j
    return total / n


def set_parameters(model):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('conv1.weight') or name.endswith('conv2.weight') or name.endswith('stem.0.weight') \
                    or name.endswith('downsample.0.weight'):
                fan_out = p.shape[0] * p.shape[2] * p.shape[3]
                p.copy_(torch.from_numpy(rng.normal(0, math.sqrt(2.0 / fan_out), p.shape)))
            elif name == 'regressor.weight':
                # Wide enough that predictions spread over several years: some pairs are negatives, some are not.
                p.copy_(torch.from_numpy(rng.uniform(-3, 3, p.shape)))
            elif name == 'regressor.bias':
                p.fill_(30.0)
            elif name.endswith('.weight'):
                p.copy_(torch.from_numpy(1 + 0.1 * rng.normal(size=p.shape)))
            else:
                p.copy_(torch.from_numpy(0.1 * rng.normal(size=p.shape)))
    # The parameters as stored (float32) are what both sides start from.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.float().double())


def step(model, views, kind):
    labels = torch.tensor(LABELS, dtype=torch.float64).reshape(-1, 1)
    weights = torch.tensor(WEIGHTS, dtype=torch.float64).reshape(-1, 1)
    model.zero_grad(set_to_none=True)
    if kind == 'official':
        p_r, _ = model(views[0])
        p_c, f_c = model(torch.cat([views[1], views[2]]))
        y_r, w_r = labels, weights
    elif kind == 'single-forward':
        p, f = model(torch.cat([views[0], views[1], views[2]]))
        p_r, p_c, f_c = p[:B], p[B:], f[B:]
        y_r, w_r = labels, weights
    else:
        p, f = model(torch.cat([views[0], views[1]]))
        p_r, p_c, f_c = p, p, f
        y_r, w_r = torch.cat([labels, labels]), torch.cat([weights, weights])
    l_r = (w_r * (p_r - y_r).abs()).mean()
    y2 = [float(v) for v in torch.cat([labels, labels]).flatten()]
    w2 = [float(v) for v in torch.cat([weights, weights]).flatten()]
    pc = [float(v) for v in p_c.detach().flatten()]
    gaps = [abs(abs(pc[j] - pc[k]) - W_WINDOW) for j in range(len(pc)) for k in range(len(pc)) if j != k]
    assert min(gaps) > 1e-3, f'{kind}: a prediction distance sits on the window edge ({min(gaps)}); change the seed'
    negatives = sum(1 for j in range(len(pc)) for k in range(len(pc))
                    if abs(y2[j] - y2[k]) > W_WINDOW and abs(pc[j] - pc[k]) <= W_WINDOW)
    pairs = sum(1 for j in range(len(pc)) for k in range(len(pc)) if abs(y2[j] - y2[k]) > W_WINDOW)
    l_c = conr_age(f_c, y2, pc, w2)
    loss = l_r + BETA * l_c
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
    print(f'{kind}: loss {loss.item():.6f} L_R {l_r.item():.6f} L_ConR {l_c.item():.6f} negatives {negatives} of {pairs} pairs')
    return loss.item(), l_r.item(), l_c.item(), negatives, grads


def main():
    torch.manual_seed(0)
    model = Age().double().train()
    set_parameters(model)
    view_bytes = rng.randint(0, 256, size=(3, B, 3, SIZE, SIZE)).astype(np.uint8)
    views = [(torch.from_numpy(view_bytes[v].astype(np.float64)) / 255.0 - 0.5) / 0.5 for v in range(3)]
    blob, index = [], []

    def put(t):
        a = np.ascontiguousarray(t.detach().cpu().numpy().astype('<f4').ravel())
        offset = sum(len(x) for x in blob)
        blob.append(a)
        return offset

    params = [{'name': n, 'shape': list(p.shape), 'offset': put(p)} for n, p in model.named_parameters()]
    cases = []
    for kind in ('official', 'single-forward', 'two-view'):
        loss, l_r, l_c, negatives, grads = step(model, views, kind)
        cases.append({'step': kind, 'loss': loss, 'regression': l_r, 'conr': l_c, 'negativePairs': negatives,
                      'grads': [{'name': n, 'offset': put(g)} for n, g in grads.items()]})
    with open(os.path.join(HERE, 'conr_step.bin'), 'wb') as f:
        f.write(np.concatenate(blob).tobytes())
    view_bytes.tofile(os.path.join(HERE, 'conr_step_views.bin'))
    meta = {'description': __doc__.split('\n\n')[0].replace('\n', ' '), 'architecture': 'resnet18', 'width': 0.0625,
            'imageSize': SIZE, 'batch': B, 'labels': LABELS, 'weights': WEIGHTS, 'beta': BETA, 'window': W_WINDOW,
            'temperature': TAU, 'pushingScale': E_SCALE, 'parameters': params, 'cases': cases}
    with open(os.path.join(HERE, 'conr_step.json'), 'w') as f:
        json.dump(meta, f, indent=1)


if __name__ == '__main__':
    main()
