"""The workloads in plain PyTorch (eager, CPU, float64, --threads N, default 2):
nn.Sequential, nn.CrossEntropyLoss on the logits (softmax + cross-entropy in
one), torch.optim, batches by indexing a shuffled order.

    python torch_peer.py W1 W2 W3 W4 peak --reps 5 --threads 2
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_default_dtype(torch.float64)


def w1():
    torch.manual_seed(42)
    X = torch.tensor([[8.0, 8.0], [2.0, 5.0], [7.0, 6.0]])
    y = (X[:, 0] * 5 + X[:, 1] * 2).reshape(3, 1)
    X = X / X.max(dim=0).values
    y = y / y.max(dim=0).values
    net = nn.Sequential(nn.Linear(2, 3, bias=False), nn.Sigmoid(), nn.Linear(3, 1, bias=False), nn.Sigmoid())
    opt = torch.optim.SGD(net.parameters(), lr=1.5)
    loss_fn = nn.MSELoss()
    for _ in range(10000):
        opt.zero_grad()
        loss = loss_fn(net(X), y)
        loss.backward()
        opt.step()
    return loss.item()


def blobs(n, features, classes, seed):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, features, generator=g) * 2
    labels = torch.arange(n) % classes
    X = centers[labels] + torch.randn(n, features, generator=g)
    return X, labels


def fit(inputs, hidden, classes, make_opt, data, batch, epochs):
    torch.manual_seed(1)
    X, labels = data
    net = nn.Sequential(nn.Linear(inputs, hidden), nn.Sigmoid(), nn.Linear(hidden, classes))
    opt = make_opt(net.parameters())
    loss_fn = nn.CrossEntropyLoss()
    n = len(X)
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            opt.zero_grad()
            loss = loss_fn(net(X[rows]), labels[rows])
            loss.backward()
            opt.step()
    return loss.item()


def flops(sizes, n, batch, epochs):
    def step(rows):
        macs = 0
        for l, (a, b) in enumerate(zip(sizes, sizes[1:])):
            macs += (2 if l == 0 else 3) * rows * a * b
        return 2 * macs
    return epochs * ((n // batch) * step(batch) + step(n % batch))


WORKLOADS = {
    "W1": (lambda: None, lambda _: w1(), 3 * 10000, flops([2, 3, 1], 3, 3, 10000)),
    "W2": (lambda: blobs(1797, 64, 10, 2),
           lambda d: fit(64, 64, 10, lambda p: torch.optim.Adam(p, lr=0.001), d, 32, 20),
           1797 * 20, flops([64, 64, 10], 1797, 32, 20)),
    "W3": (lambda: blobs(10000, 784, 10, 3),
           lambda d: fit(784, 256, 10, lambda p: torch.optim.SGD(p, lr=0.1), d, 128, 2),
           10000 * 2, flops([784, 256, 10], 10000, 128, 2)),
    "W4": (lambda: blobs(60000, 784, 10, 4),
           lambda d: fit(784, 128, 10, lambda p: torch.optim.Adam(p, lr=0.001), d, 64, 1),
           60000, flops([784, 128, 10], 60000, 64, 1)),
}


def peak(reps):
    n = 2048
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    times = []
    for _ in range(max(reps, 3)):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return times, 2.0 * n ** 3


def main(argv):
    names, reps, threads = [], 5, 2
    it = iter(argv)
    for a in it:
        if a == "--reps":
            reps = int(next(it))
        elif a == "--threads":
            threads = int(next(it))
        else:
            names.append(a)
    torch.set_num_threads(threads)
    system = f"pytorch-{threads}t"
    for name in names or ["W1", "W2", "W3"]:
        if name == "peak":
            times, fl = peak(reps)
            print(json.dumps({"system": system, "workload": "peak", "times": times, "samples": 0, "flops": fl}), flush=True)
            continue
        make, run, samples, fl = WORKLOADS[name]
        data = make()
        run(data)  # warm-up
        times, loss = [], None
        for _ in range(reps):
            t = time.perf_counter()
            loss = run(data)
            times.append(time.perf_counter() - t)
        print(json.dumps({"system": system, "workload": name, "times": times, "samples": samples,
                          "flops": fl, "final_loss": loss, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
