import random

import numpy as np


def set_random_seed(seed):
    if not isinstance(seed, int):
        raise ValueError('seed must be an integer')
    random.seed(seed)
    np.random.seed(seed)
