"""A model "trained in Python", for the import test, with numpy alone (no Keras, no scikit-learn needed).

    python3 train_numpy_mlp.py MNIST_IDX_DIR OUT.npz [HIDDEN=64] [EPOCHS=2]

The tutorial's recipe, small: StandardScaler's statistics (mean_, and scale_ = std with 1 where a pixel
never varies), a Dense(HIDDEN, relu) and a Dense(10, softmax) layer trained with Adam (lr 0.001,
batch 32) on 20,000 MNIST training images, saved in the layout the page reads, as the tutorial would:
np.savez(OUT, *model.get_weights(), mean=scaler.mean_, scale=scaler.scale_) (float32 kernels and
biases, float64 mean and scale). Prints the test accuracy.
"""
import os
import sys

import numpy as np


def idx(directory, name, header):
    with open(os.path.join(directory, name), 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def main():
    directory, out = sys.argv[1], sys.argv[2]
    hidden = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    rng = np.random.default_rng(42)
    x = idx(directory, 'train-images-idx3-ubyte', 16).reshape(-1, 784)[:20000].astype(np.float64)
    y = idx(directory, 'train-labels-idx1-ubyte', 8)[:20000]
    xt = idx(directory, 't10k-images-idx3-ubyte', 16).reshape(-1, 784).astype(np.float64)
    yt = idx(directory, 't10k-labels-idx1-ubyte', 8)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    scale = np.where(std < 1e-8, 1.0, std)
    xs = (x - mean) / scale

    limit1, limit2 = np.sqrt(6 / (784 + hidden)), np.sqrt(6 / (hidden + 10))
    params = [rng.uniform(-limit1, limit1, (784, hidden)), np.zeros(hidden), rng.uniform(-limit2, limit2, (hidden, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(xs))
        for start in range(0, len(xs), 32):
            batch = order[start:start + 32]
            w1, b1, w2, b2 = params
            h = np.maximum(xs[batch] @ w1 + b1, 0)
            z = h @ w2 + b2
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(batch)), y[batch]] -= 1
            dz = p / len(batch)
            dh = (dz @ w2.T) * (h > 0)
            grads = [xs[batch].T @ dh, dh.sum(axis=0), h.T @ dz, dz.sum(axis=0)]
            step += 1
            for k, g in enumerate(grads):
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                params[k] -= 0.001 * (m[k] / (1 - 0.9 ** step)) / (np.sqrt(v[k] / (1 - 0.999 ** step)) + 1e-7)
    weights = [p.astype(np.float32) for p in params]
    h = np.maximum(((xt - mean) / scale) @ weights[0] + weights[1], 0)
    accuracy = float(np.mean(np.argmax(h @ weights[2] + weights[3], axis=1) == yt))
    np.savez(out, *weights, mean=mean, scale=scale)
    print(f'{accuracy:.4f}')


if __name__ == '__main__':
    main()
