"""The workloads in NumPy, written the way the original notebook writes its
code: a class per network, np.dot, sigmoid as 1 / (1 + np.exp(-s)).

    python numpy_peer.py W1 W2 W3 W4 peak --reps 5

Prints one JSON object per line, like the Rust runner (crates/nn/benches/compare.rs).
"""
import json
import sys
import time

import numpy as np


class NN6:
    """The original notebook's NN1..NN6, flattened: 2-3-1 sigmoid, no bias,
    its own update rule with learning rate 1."""

    def __init__(self):
        self.w1 = np.random.randn(2, 3)
        self.w2 = np.random.randn(3, 1)

    def sigmoid(self, s):
        return 1 / (1 + np.exp(-s))

    def sigmoidPrime(self, s):
        sx = self.sigmoid(s)
        return sx * (1 - sx)

    def feed_forward(self, X):
        self.hidden_sum = np.dot(X, self.w1)
        self.activated_hidden = self.sigmoid(self.hidden_sum)
        self.output_sum = np.dot(self.activated_hidden, self.w2)
        self.activated_output = self.sigmoid(self.output_sum)
        return self.activated_output

    def backward(self, X, y, o):
        self.o_error = y - o
        self.o_delta = self.o_error * self.sigmoidPrime(o)
        self.z2_error = self.o_delta.dot(self.w2.T)
        self.z2_delta = self.z2_error * self.sigmoidPrime(self.output_sum)
        self.w1 += X.T.dot(self.z2_delta)
        self.w2 += self.activated_hidden.T.dot(self.o_delta)

    def train(self, X, y):
        o = self.feed_forward(X)
        self.backward(X, y, o)


def w1():
    np.random.seed(42)
    X = np.array(([8, 8], [2, 5], [7, 6]), dtype=float)
    y = (X[:, 0] * 5 + X[:, 1] * 2).reshape(3, 1)
    X = X / np.amax(X, axis=0)
    y = y / np.amax(y, axis=0)
    nn = NN6()
    for i in range(10000):
        nn.train(X, y)
    return float(np.mean(np.square(y - nn.feed_forward(X))))


class Classifier:
    """inputs -> hidden (sigmoid) -> classes (softmax), categorical
    cross-entropy, in the notebook's style with biases."""

    def __init__(self, inputs, hidden, classes):
        limit1 = np.sqrt(6 / (inputs + hidden))
        limit2 = np.sqrt(6 / (hidden + classes))
        self.w1 = np.random.uniform(-limit1, limit1, (inputs, hidden))
        self.b1 = np.zeros((1, hidden))
        self.w2 = np.random.uniform(-limit2, limit2, (hidden, classes))
        self.b2 = np.zeros((1, classes))

    def sigmoid(self, s):
        return 1 / (1 + np.exp(-s))

    def softmax(self, s):
        e = np.exp(s - np.max(s, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)

    def feed_forward(self, X):
        self.hidden_sum = np.dot(X, self.w1) + self.b1
        self.activated_hidden = self.sigmoid(self.hidden_sum)
        self.output_sum = np.dot(self.activated_hidden, self.w2) + self.b2
        self.activated_output = self.softmax(self.output_sum)
        return self.activated_output

    def loss(self, y, o):
        return -np.sum(y * np.log(np.clip(o, 1e-12, 1 - 1e-12))) / len(y)

    def gradients(self, X, y, o):
        o_delta = (o - y) / len(y)  # softmax + cross-entropy
        dw2 = self.activated_hidden.T.dot(o_delta)
        db2 = np.sum(o_delta, axis=0, keepdims=True)
        z2_error = o_delta.dot(self.w2.T)
        z2_delta = z2_error * self.activated_hidden * (1 - self.activated_hidden)
        dw1 = X.T.dot(z2_delta)
        db1 = np.sum(z2_delta, axis=0, keepdims=True)
        return [dw1, db1, dw2, db2]

    def params(self):
        return [self.w1, self.b1, self.w2, self.b2]


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.lr * g


class Adam:
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = None
        self.t = 0

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.s = [np.zeros_like(p) for p in params]
        self.t += 1
        for p, g, m, s in zip(params, grads, self.m, self.s):
            m[:] = self.beta1 * m + (1 - self.beta1) * g
            s[:] = self.beta2 * s + (1 - self.beta2) * g * g
            m_hat = m / (1 - self.beta1 ** self.t)
            s_hat = s / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


def blobs(n, features, classes, seed):
    rng = np.random.RandomState(seed)
    centers = rng.randn(classes, features) * 2
    labels = np.arange(n) % classes
    X = centers[labels] + rng.randn(n, features)
    y = np.eye(classes)[labels]
    return X, y


def fit(net, opt, X, y, batch, epochs):
    n = len(X)
    for epoch in range(epochs):
        order = np.random.permutation(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            xb, yb = X[rows], y[rows]
            o = net.feed_forward(xb)
            loss = net.loss(yb, o)
            opt.step(net.params(), net.gradients(xb, yb, o))
    return float(loss)


def w2_data():
    return blobs(1797, 64, 10, 2)


def w3_data():
    return blobs(10000, 784, 10, 3)


def w4_data():
    return blobs(60000, 784, 10, 4)


def w2(data):
    np.random.seed(1)
    return fit(Classifier(64, 64, 10), Adam(0.001), *data, batch=32, epochs=20)


def w3(data):
    np.random.seed(1)
    return fit(Classifier(784, 256, 10), SGD(0.1), *data, batch=128, epochs=2)


def w4(data):
    np.random.seed(1)
    return fit(Classifier(784, 128, 10), Adam(0.001), *data, batch=64, epochs=1)


def flops(sizes, n, batch, epochs):
    def step(rows):
        macs = 0
        for l, (a, b) in enumerate(zip(sizes, sizes[1:])):
            macs += (2 if l == 0 else 3) * rows * a * b
        return 2 * macs
    return epochs * ((n // batch) * step(batch) + step(n % batch))


WORKLOADS = {
    "W1": (lambda: None, lambda _: w1(), 3 * 10000, flops([2, 3, 1], 3, 3, 10000)),
    "W2": (w2_data, w2, 1797 * 20, flops([64, 64, 10], 1797, 32, 20)),
    "W3": (w3_data, w3, 10000 * 2, flops([784, 256, 10], 10000, 128, 2)),
    "W4": (w4_data, w4, 60000, flops([784, 128, 10], 60000, 64, 1)),
}


def peak(reps):
    n = 2048
    a = np.random.rand(n, n)
    b = np.random.rand(n, n)
    a @ b
    times = []
    for _ in range(max(reps, 3)):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return times, 2.0 * n ** 3


def main(argv, system="numpy"):
    names, reps = [], 5
    it = iter(argv)
    for a in it:
        if a == "--reps":
            reps = int(next(it))
        else:
            names.append(a)
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
                          "flops": fl, "final_loss": loss}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
