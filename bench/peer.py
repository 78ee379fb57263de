"""The bench's two workloads in PyTorch on the CPU: the peer latentflow is measured against.

Run by `npm run bench -- --peer` (bench/peer.ts); prints one JSON object on stdout. Usage:
    python3 bench/peer.py [--quick] [--workloads font-ae,mnist-vae]

Same maths as bench/graphs.ts and bench/hand-loop.ts: layer sizes, activations, losses, Adam and its
learning rates, batch sizes, and the loss read back every 20 steps. The data is random of the same
shape (timing does not depend on the pixel values). Each workload runs with 1 thread and with every
core; the best is what the table compares against.
"""
import json
import os
import sys
import time

import torch
from torch import nn

READ_EVERY = 20


class FontAe(nn.Module):
    """35-18-6-2-6-18-35, sigmoid hidden layers, a linear code, sigmoid out; MSE, Adam 0.005, batch 32 (all)."""

    def __init__(self):
        super().__init__()
        sizes = [35, 18, 6, 2, 6, 18, 35]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))

    def forward(self, x):
        h = x
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i != 2:
                h = torch.sigmoid(h)
        return h


class MnistVae(nn.Module):
    """784-512-256-(2)-256-512-784, relu, sigmoid out; BCE summed over pixels + KL, Adam 0.001, batch 256."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU())
        self.mu = nn.Linear(256, 2)
        self.log_var = nn.Linear(256, 2)
        self.dec = nn.Sequential(nn.Linear(2, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 784), nn.Sigmoid())

    def loss(self, x):
        h = self.enc(x)
        mu, log_var = self.mu(h), self.log_var(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        p = self.dec(z).clamp(1e-7, 1 - 1e-7)
        bce = -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).sum(1).mean()
        kl = -0.5 * (1 + log_var - mu.pow(2) - log_var.exp()).sum(1).mean()
        return bce + kl


def font_ae():
    model = FontAe()
    x = (torch.rand(32, 35) > 0.5).float()
    return model, torch.optim.Adam(model.parameters(), lr=0.005), lambda step: nn.functional.mse_loss(model(x), x)


def mnist_vae():
    model = MnistVae()
    data = torch.rand(2048, 784)
    batch, n = 256, 2048
    perm = torch.randperm(n)

    def loss(step):
        nonlocal perm
        i = step % (n // batch)
        if i == 0:
            perm = torch.randperm(n)
        return model.loss(data[perm[i * batch:(i + 1) * batch]])

    return model, torch.optim.Adam(model.parameters(), lr=0.001), loss


WORKLOADS = {
    # name: (build, batch, steps per timing (quick, full), warm-up steps)
    'font-ae': (font_ae, 32, (500, 2000), 30),
    'mnist-vae': (mnist_vae, 256, (10, 40), 2),
}


def steps_per_second(build, steps, warmup, rounds):
    model, opt, loss_at = build()
    step = 0
    pending = []

    def one():
        nonlocal step
        opt.zero_grad(set_to_none=True)
        loss = loss_at(step)
        loss.backward()
        opt.step()
        pending.append(loss.detach())
        if len(pending) >= READ_EVERY:
            torch.stack(pending).tolist()
            pending.clear()
        step += 1

    for _ in range(warmup):
        one()
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(steps):
            one()
        rates.append(steps / (time.perf_counter() - t0))
    return sorted(rates)[len(rates) // 2]


def main():
    args = sys.argv[1:]
    quick = '--quick' in args
    names = list(WORKLOADS)
    if '--workloads' in args:
        names = args[args.index('--workloads') + 1].split(',')
    cores = os.cpu_count() or 1
    threads = sorted({1, cores})
    out = {'torch': torch.__version__, 'cores': cores, 'results': []}
    for name in names:
        build, batch, (quick_steps, full_steps), warmup = WORKLOADS[name]
        for t in threads:
            torch.set_num_threads(t)
            torch.manual_seed(0)
            rate = steps_per_second(build, quick_steps if quick else full_steps, warmup, 3)
            out['results'].append({'workload': name, 'threads': t, 'stepsPerSec': rate, 'samplesPerSec': rate * batch})
    print(json.dumps(out))


if __name__ == '__main__':
    main()
