"""Makes benchmarks/work/series: windows of a multichannel random walk, float32.

    /usr/bin/python3 benchmarks/data/series.py OUT_DIR

Writes x.npy (C order, little-endian): 2,048 windows x 256 steps x 4 channels, float32 (2,097,152
values, 8 MiB): per window and channel a gaussian random walk with step 0.05 around a level drawn
from N(0, 1), the shape of normalized sensor or price windows. Then OUT_DIR/.complete last, so the
runner regenerates a half-written folder. Both sides of `benchmarks/run series` read this file
into memory.

Deterministic: numpy's PCG64 generator with a fixed seed.
"""
import os
import sys

import numpy as np

SEED = 20261128
N, T, C = 2048, 256, 4


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    level = rng.standard_normal((N, 1, C))
    walk = np.cumsum(rng.normal(0, 0.05, (N, T, C)), axis=1)
    np.save(os.path.join(out, "x.npy"), (level + walk).astype(np.float32))
    open(os.path.join(out, ".complete"), "w").close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: series.py OUT_DIR")
    main(sys.argv[1])
