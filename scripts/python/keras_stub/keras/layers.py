import numpy as np

_ACTIVATIONS = {
    'relu': lambda z: np.maximum(z, 0),
    'tanh': np.tanh,
    'sigmoid': lambda z: 1 / (1 + np.exp(-z)),
    'elu': lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
    'softmax': lambda z: (lambda e: e / e.sum(axis=1, keepdims=True))(np.exp(z - z.max(axis=1, keepdims=True))),
    None: lambda z: z,
}


class Layer:
    weights = ()

    def build(self, inputs):
        pass

    def output_width(self, inputs):
        return inputs

    def call(self, x, training=False):
        return x


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer='glorot_uniform', bias_initializer='zeros',
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, **kwargs):
        if not (isinstance(units, int) and units > 0):
            raise ValueError(f'units must be a positive integer, got {units!r}')
        if activation not in _ACTIVATIONS:
            raise ValueError(f'unknown activation {activation!r}')
        self.units = units
        self.activation = activation

    def build(self, inputs):
        limit = np.sqrt(6 / (inputs + self.units))
        self.kernel = np.random.uniform(-limit, limit, (inputs, self.units)).astype(np.float32)
        self.bias = np.zeros(self.units, dtype=np.float32)
        self.weights = (self.kernel, self.bias)

    def output_width(self, inputs):
        return self.units

    def call(self, x, training=False):
        return _ACTIVATIONS[self.activation](x @ self.kernel.astype(np.float64) + self.bias)


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        if not 0 <= rate < 1:
            raise ValueError(f'rate must be in [0, 1), got {rate!r}')
        self.rate = rate
