"""The forward pass of a tutorial-layout .npz in numpy: what Keras computes after model.set_weights(...).

    python3 npz_forward.py WEIGHTS.npz IMAGES.u8 ACTIVATION  ->  JSON [[10 probabilities] per image]

IMAGES.u8 holds n * 784 raw pixels (0..255). The weights are arr_0, arr_1, ... (kernel [in, out],
bias [out] per Dense layer, Keras order) and mean, scale [784] (StandardScaler's mean_ and scale_);
hidden layers use ACTIVATION, the last one softmax.
"""
import json
import sys

import numpy as np


def forward(weights, pixels, activation):
    x = (pixels.astype(np.float64) - weights['mean']) / weights['scale']
    count = len([k for k in weights.files if k.startswith('arr_')]) // 2
    act = {'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh, 'sigmoid': lambda z: 1 / (1 + np.exp(-z)),
           'elu': lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0)))}[activation]
    for layer in range(count):
        z = x @ weights[f'arr_{2 * layer}'].astype(np.float64) + weights[f'arr_{2 * layer + 1}']
        x = act(z) if layer < count - 1 else z
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    weights = np.load(sys.argv[1])
    pixels = np.fromfile(sys.argv[2], dtype=np.uint8).reshape(-1, 784)
    print(json.dumps(forward(weights, pixels, sys.argv[3]).tolist()))


if __name__ == '__main__':
    main()
