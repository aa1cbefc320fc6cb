"""Python peer of `benchmarks/run smote`: imbalanced-learn's SMOTE on the same arrays.

    /usr/bin/python3 benchmarks/peers/smote.py DIR [WARMUP_PASSES PASSES]

Rows (the same names as SmoteBenchmark): smote_<size>_<pct> for size 100k, 1m and minority 10pct,
1pct, from DIR/x_<size>.npy and DIR/y_<size>_<pct>.npy (made by benchmarks/data/tabular32.py),
loaded into memory once. Each pass times
SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y): the neighbour search (scikit-learn's
NearestNeighbors, 'auto', which is brute force for 32 features) plus the interpolation, and the
concatenation of input and synthetic rows that fit_resample returns. Value: rows of input per
second, median of the timed passes. Threads: OMP_NUM_THREADS / OPENBLAS_NUM_THREADS as set by the
runner (BENCH_THREADS). BENCH_ROWS=a,b runs only the rows named. CHECK <row>: rows returned.
"""
import os
import statistics
import sys
import time

import imblearn
import numpy as np
import sklearn
from imblearn.over_sampling import SMOTE

ROWS = ("100k_10pct", "100k_1pct", "1m_10pct", "1m_1pct")


def blas():
    try:
        from threadpoolctl import threadpool_info
        return ", ".join("%s %s %s %s threads" % (p.get("internal_api"), p.get("version"),
                                                 p.get("architecture"), p.get("num_threads"))
                         for p in threadpool_info())
    except ImportError:
        return "threadpoolctl missing"


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit("usage: smote.py DIR [WARMUP_PASSES PASSES]")
    warmup, passes = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1, 3)
    only = [r for r in os.environ.get("BENCH_ROWS", "").split(",") if r]
    threads = int(os.environ.get("BENCH_THREADS", "1"))
    api = "imblearn %s SMOTE(k_neighbors=5, random_state=0).fit_resample, sklearn %s, numpy %s (%s)" % (
        imblearn.__version__, sklearn.__version__, np.__version__, blas())
    for name in ROWS:
        row = "smote_" + name
        if only and row not in only:
            continue
        size = name.split("_")[0]
        x = np.ascontiguousarray(np.load(os.path.join(argv[1], "x_%s.npy" % size)))
        y = np.load(os.path.join(argv[1], "y_%s.npy" % name))
        rates = []
        out = 0
        for i in range(warmup + passes):
            start = time.perf_counter()
            xr, yr = SMOTE(k_neighbors=5, random_state=0).fit_resample(x, y)
            seconds = time.perf_counter() - start
            out = len(yr)
            if i >= warmup:
                rates.append(len(y) / seconds)
        print("CHECK\t%s\t%.4f" % (row, out))
        print("RESULT\t%s\t%d\trows/s\t%.1f\t%s" % (row, threads, statistics.median(rates), api),
              flush=True)


if __name__ == "__main__":
    main(sys.argv)
