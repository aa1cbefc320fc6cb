"""Python peer of `benchmarks/run split`: scikit-learn's StratifiedShuffleSplit on the same labels.

    /usr/bin/python3 benchmarks/peers/split.py DIR [WARMUP_PASSES PASSES]

Row split_1m: DIR/y_1m_split.npy (1,000,000 int32 labels, 10 classes) and DIR/x_1m.npy
(1,000,000 x 32 float32, only its length is used by scikit-learn), loaded into memory once. Each
pass times StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=0).split(X, y),
materialized (the train and test index arrays of its one split). Value: rows per second, median
of the timed passes. CHECK split_1m: rows in the test split.
"""
import os
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedShuffleSplit


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit("usage: split.py DIR [WARMUP_PASSES PASSES]")
    warmup, passes = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1, 5)
    x = np.load(os.path.join(argv[1], "x_1m.npy"))
    y = np.load(os.path.join(argv[1], "y_1m_split.npy"))
    rates = []
    test = None
    for i in range(warmup + passes):
        start = time.perf_counter()
        sss = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
        train, test = next(sss.split(x, y))
        seconds = time.perf_counter() - start
        if i >= warmup:
            rates.append(len(y) / seconds)
    print("CHECK\tsplit_1m\t%.4f" % len(test))
    print("RESULT\tsplit_1m\t1\trows/s\t%.1f\tsklearn %s StratifiedShuffleSplit(n_splits=1, "
          "test_size=0.2, random_state=0).split, materialized (numpy %s)"
          % (statistics.median(rates), sklearn.__version__, np.__version__), flush=True)


if __name__ == "__main__":
    main(sys.argv)
