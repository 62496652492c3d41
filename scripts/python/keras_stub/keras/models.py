import numpy as np

from . import layers as _layers
from . import optimizers as _optimizers

_LOSSES = {'sparse_categorical_crossentropy'}
_METRICS = {'accuracy'}


class KerasTensor:
    def __init__(self, shape):
        self.shape = (None, *shape)


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None, optional=False):
    if shape is None or len(shape) != 1:
        raise ValueError(f'the stub handles flat inputs only, got shape={shape!r}')
    return KerasTensor(tuple(shape))


class Sequential:
    def __init__(self, layers=None, trainable=True, name=None):
        self.layers = []
        self._input = None
        self._compiled = False
        for layer in layers or []:
            self.add(layer)

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor):
            if self._input is not None or self.layers:
                raise ValueError('Input must come first')
            self._input = layer
            return
        if not isinstance(layer, _layers.Layer):
            raise TypeError(f'not a layer: {layer!r}')
        if self._input is None and not self.layers:
            raise ValueError('the stub needs keras.Input(shape=...) first (as Keras 3 recommends)')
        width = self._width()
        layer.build(width)
        self.layers.append(layer)

    def _width(self):
        width = self._input.shape[1]
        for layer in self.layers:
            width = layer.output_width(width)
        return width

    @property
    def weights(self):
        return [w for layer in self.layers for w in layer.weights]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        weights = list(weights)
        if len(weights) != len(self.weights):
            raise ValueError(f'set_weights: expected {len(self.weights)} arrays, got {len(weights)}')
        for target, value in zip(self.weights, weights):
            value = np.asarray(value)
            if value.shape != target.shape:
                raise ValueError(f'set_weights: shape {value.shape} where {target.shape} is expected')
            target[...] = value

    def compile(self, optimizer='rmsprop', loss=None, loss_weights=None, metrics=None, weighted_metrics=None, run_eagerly=False,
                steps_per_execution=1, jit_compile='auto', auto_scale_loss=True):
        if not isinstance(optimizer, _optimizers.Optimizer):
            raise TypeError('the stub expects an optimizer instance')
        if loss not in _LOSSES:
            raise ValueError(f'unknown loss {loss!r}')
        if not metrics or any(m not in _METRICS for m in metrics):
            raise ValueError(f'unknown metrics {metrics!r}')
        self._compiled = True

    def __call__(self, x, training=False):
        x = np.asarray(x, dtype=np.float64)
        for layer in self.layers:
            x = layer.call(x, training=training)
        return x

    def predict(self, x, batch_size=None, verbose='auto', steps=None, callbacks=None):
        return self(x).astype(np.float32)

    def _check_xy(self, x, y, what):
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim != 2 or x.shape[1] != self._input.shape[1] or y.shape != (x.shape[0],):
            raise ValueError(f'{what}: x {x.shape} and y {y.shape} do not fit the model')
        return x, y

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose='auto', callbacks=None, validation_split=0.0, validation_data=None,
            shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        if not self._compiled:
            raise RuntimeError('You must call compile() before fit()')
        self._check_xy(x, y, 'fit')
        if validation_data is not None:
            self._check_xy(*validation_data, 'validation_data')
        if not (isinstance(epochs, int) and epochs >= 1 and isinstance(batch_size, int) and batch_size >= 1):
            raise ValueError('epochs and batch_size must be positive integers')
        return None

    def evaluate(self, x=None, y=None, batch_size=None, verbose='auto', sample_weight=None, steps=None, callbacks=None,
                 return_dict=False, **kwargs):
        if not self._compiled:
            raise RuntimeError('You must call compile() before evaluate()')
        x, y = self._check_xy(x, y, 'evaluate')
        p = self(x)
        loss = float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1.0))))
        accuracy = float(np.mean(np.argmax(p, axis=1) == y))
        return {'loss': loss, 'accuracy': accuracy} if return_dict else [loss, accuracy]
