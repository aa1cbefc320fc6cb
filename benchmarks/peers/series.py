"""Python peer of `benchmarks/run series`: jitter + scaling with numpy, RNG included.

    /usr/bin/python3 benchmarks/peers/series.py DIR [WARMUP_PASSES PASSES]

Row jitter_scaling: DIR/x.npy (2,048 windows x 256 steps x 4 channels, float32), loaded into
memory once. Each pass: rng = np.random.default_rng(seed); a per-window, per-channel scale
s = rng.normal(1, 0.1, (N, 1, C)); then x * s + rng.normal(0, 0.05, x.shape), the issue's peer
expression (numpy promotes the result to float64, as that expression does). Value: values per
second (N * T * C per pass), median of the timed passes, one thread. CHECK jitter_scaling: the
standard deviation of out - x * s (the noise), which should be 0.05 on both sides. Row
jitter_scaling_cpu: the same passes timed by this thread's CPU time (time.thread_time()), for a
loaded machine.
"""
import os
import statistics
import sys
import time

import numpy as np

SIGMA_SCALE = 0.1
SIGMA_NOISE = 0.05


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit("usage: series.py DIR [WARMUP_PASSES PASSES]")
    warmup, passes = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1, 5)
    x = np.load(os.path.join(argv[1], "x.npy"))
    n, _, c = x.shape
    rates = []
    cpu_rates = []
    out = s = None
    for i in range(warmup + passes):
        start = time.perf_counter()
        cpu = time.thread_time()
        rng = np.random.default_rng(i)
        s = rng.normal(1, SIGMA_SCALE, (n, 1, c))
        out = x * s + rng.normal(0, SIGMA_NOISE, x.shape)
        cpu_seconds = time.thread_time() - cpu
        seconds = time.perf_counter() - start
        if i >= warmup:
            rates.append(x.size / seconds)
            cpu_rates.append(x.size / cpu_seconds)
    print("CHECK\tjitter_scaling\t%.4f" % float(np.std(out - x * s)))
    print("RESULT\tjitter_scaling\t1\tvalues/s\t%.1f\tnumpy %s default_rng: x * s + "
          "rng.normal(0, sigma, x.shape), s = rng.normal(1, 0.1, (N, 1, C))"
          % (statistics.median(rates), np.__version__), flush=True)
    print("RESULT\tjitter_scaling_cpu\t1\tvalues/cpu-s\t%.1f\tthe same passes timed by "
          "time.thread_time(), not wall time" % statistics.median(cpu_rates), flush=True)


if __name__ == "__main__":
    main(sys.argv)
