"""Makes benchmarks/work/tabular32: synthetic float32 feature rows and int32 labels.

    /usr/bin/python3 benchmarks/data/tabular32.py OUT_DIR

Writes, as .npy files (C order, little-endian):
  x_100k.npy, x_1m.npy            100,000 and 1,000,000 rows x 32 features, float32, N(0, 1)
  y_<size>_10pct.npy, y_<size>_1pct.npy
                                  int32 labels for x_<size>: class 1 (the minority) on exactly
                                  10% or 1% of the rows, at seeded random places; class 0 elsewhere
  y_1m_split.npy                  int32 labels 0..9 for 1,000,000 rows, uniform (the split set)
then OUT_DIR/.complete last, so the runner regenerates a half-written folder. Both sides of
`benchmarks/run smote` and `benchmarks/run split` read these same files into memory.

Deterministic: numpy's PCG64 generator with a fixed seed per file.
"""
import os
import sys

import numpy as np

SEED = 20261128
D = 32
SIZES = {"100k": 100_000, "1m": 1_000_000}
MINORITY = {"10pct": 0.10, "1pct": 0.01}


def main(out):
    os.makedirs(out, exist_ok=True)
    for i, (name, n) in enumerate(SIZES.items()):
        rng = np.random.default_rng([SEED, i])
        x = rng.standard_normal((n, D), dtype=np.float32)
        np.save(os.path.join(out, f"x_{name}.npy"), x)
        for j, (pct, frac) in enumerate(MINORITY.items()):
            rng = np.random.default_rng([SEED, i, j + 1])
            y = np.zeros(n, dtype=np.int32)
            y[rng.permutation(n)[: round(n * frac)]] = 1
            np.save(os.path.join(out, f"y_{name}_{pct}.npy"), y)
    rng = np.random.default_rng([SEED, 99])
    np.save(os.path.join(out, "y_1m_split.npy"),
            rng.integers(0, 10, size=1_000_000, dtype=np.int32))
    open(os.path.join(out, ".complete"), "w").close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tabular32.py OUT_DIR")
    main(sys.argv[1])
