"""A stand-in for Keras 3, for testing the page's exported script where Keras cannot be installed.

Only what the exported script uses, with the signatures of the Keras 3 API (keras.io/api:
Sequential, Input, layers.Dense, layers.Dropout, optimizers, callbacks.EarlyStopping,
utils.set_random_seed, datasets.mnist.load_data), so a wrong name or keyword fails here as it
would in Keras. The model computes its forward pass in numpy, so `evaluate` after `set_weights`
gives the real test accuracy; `fit` checks its arguments and shapes but does not train.
"""
from . import callbacks, datasets, layers, optimizers, utils  # noqa: F401
from .models import Input, Sequential  # noqa: F401

__version__ = '3.0.0-stub'
