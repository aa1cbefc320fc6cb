"""Python peer of `benchmarks/run shards`: numpy.save and np.load(mmap_mode='r') of the same array.

    /usr/bin/python3 benchmarks/peers/shards.py DIR [WARMUP_PASSES PASSES]

Loads DIR/x.npy (N x H x W x C uint8) into memory once. Write rows: each pass deletes the file
(untimed), then times numpy.save of the whole array to a folder in /dev/shm (the page cache; /tmp
when there is no /dev/shm). The same measurement is printed under each of our write rows (npy,
arrow, parquet_tensor, parquet_bytes), since numpy.save is the yardstick for all of them.
Read row read_npy_mmap: the array is saved once, then each pass times np.load(mmap_mode='r') and a
full scan (np.add.reduce over the flat view, uint64 accumulator). Values are median MB/s
(10^6 bytes of array data per second). Prints the shared line protocol (tab separated):
RESULT <row> <threads> <unit> <value> <api>, CHECK <row> <value>.
"""
import os
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np

WRITE_ROWS = ("npy", "arrow", "parquet_tensor", "parquet_bytes")


def out_dir():
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return tempfile.mkdtemp(prefix="shardsmith-bench-peer-", dir=base)


def median_mb_s(warmup, passes, nbytes, before, work):
    rates = []
    for i in range(warmup + passes):
        before()
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
        if i >= warmup:
            rates.append(nbytes / 1e6 / seconds)
    return statistics.median(rates)


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit("usage: shards.py DIR [WARMUP_PASSES PASSES]")
    warmup, passes = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1, 5)
    x = np.ascontiguousarray(np.load(os.path.join(argv[1], "x.npy")))
    library = "Python %d.%d numpy %s" % (sys.version_info[0], sys.version_info[1], np.__version__)
    folder = out_dir()
    path = os.path.join(folder, "x.npy")
    try:
        def remove():
            if os.path.exists(path):
                os.remove(path)

        rate = median_mb_s(warmup, passes, x.nbytes, remove, lambda: np.save(path, x))
        print("CHECK\tnpy\t%.4f" % os.path.getsize(path))
        for row in WRITE_ROWS:
            print("RESULT\t%s\t1\tMB/s\t%.1f\t%s numpy.save of %s uint8 to %s"
                  % (row, rate, library, "x".join(map(str, x.shape)), folder.rsplit("/", 1)[0]))
        sys.stdout.flush()

        sums = []

        def scan():
            m = np.load(path, mmap_mode="r")
            sums.append(int(np.add.reduce(m.reshape(-1), dtype=np.uint64)))

        rate = median_mb_s(warmup, passes, x.nbytes, lambda: None, scan)
        print("CHECK\tread_npy_mmap\t%.4f" % sums[-1])
        print("RESULT\tread_npy_mmap\t1\tMB/s\t%.1f\t%s np.load(mmap_mode='r') + full uint64 sum"
              % (rate, library))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
