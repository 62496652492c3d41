"""The reference recipe in scikit-learn, for `npm run bench`'s native column.

Reads MNIST from the IDX files, takes the training rows the app trains on
(their indices, int32 little-endian, in the file given as the first argument:
written by scripts/benchNative.mjs with the app's own split), standardises
with a StandardScaler fitted on them, trains
MLPClassifier(hidden_layer_sizes=(64, 64), solver='adam', learning_rate_init=1e-3,
batch_size=32, max_iter=10, shuffle=True, random_state=SEED) and prints one JSON
line: fit time, test accuracy, and which BLAS kernel ran (threadpoolctl).
SEED is the optional third argument (default 42).
Benchmark only: nothing in the app or its tests needs Python.
"""
import json
import sys
import time
import warnings

import numpy as np


def idx(path, header):
    with open(path, 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def main():
    indices_file, data_dir = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    train_x = idx(f'{data_dir}/train-images-idx3-ubyte', 16).reshape(-1, 784)
    train_y = idx(f'{data_dir}/train-labels-idx1-ubyte', 8)
    test_x = idx(f'{data_dir}/t10k-images-idx3-ubyte', 16).reshape(-1, 784)
    test_y = idx(f'{data_dir}/t10k-labels-idx1-ubyte', 8)
    rows = np.fromfile(indices_file, dtype='<i4')
    x, y = train_x[rows].astype(np.float32), train_y[rows]
    scaler = StandardScaler().fit(x)
    x = scaler.transform(x)
    xt = scaler.transform(test_x.astype(np.float32))
    model = MLPClassifier(hidden_layer_sizes=(64, 64), solver='adam', learning_rate_init=1e-3,
                          batch_size=32, max_iter=10, shuffle=True, random_state=seed)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        model.fit(x, y)
    fit_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    acc = float((model.predict(xt) == test_y).mean())
    predict_s = time.perf_counter() - t1
    blas = []
    try:
        from threadpoolctl import threadpool_info
        blas = [{k: p.get(k) for k in ('internal_api', 'version', 'architecture', 'num_threads')} for p in threadpool_info()]
    except Exception as e:  # threadpoolctl missing: still a result
        blas = [{'error': str(e)}]
    print(json.dumps({
        'seed': seed,
        'trainRows': int(len(rows)),
        'epochs': int(model.n_iter_),
        'fitSeconds': fit_s,
        'testSeconds': predict_s,
        'samplesPerSec': len(rows) * model.n_iter_ / fit_s,
        'testAccuracy': acc,
        'blas': blas,
    }))


if __name__ == '__main__':
    main()
