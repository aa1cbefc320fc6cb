"""Python peer of `benchmarks/run augment`: the augment chain of AugmentBenchmark.java.

    /usr/bin/python3 benchmarks/peers/augment.py DIR [WARMUP_PASSES PASSES]

Reads every .jpg of DIR into memory, sets cv2.setNumThreads(1), and times passes of decode +
horizontal flip + rotate 15 degrees about the centre + resize to 256x256 + 5x5 Gaussian blur, one
OpenCV call at a time: the same chain as decode.py's decode_chain (reused from there), reported as
row augment_chain. The per-op rows of AugmentBenchmark compare against a plain JavaCV loop in the
Java process, so they have no row here. Line protocol as in decode.py.
"""
import sys

import cv2
import numpy as np

import decode


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit("usage: augment.py DIR [WARMUP_PASSES PASSES]")
    warmup, passes = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1, 5)
    import os

    files = []
    for name in sorted(n for n in os.listdir(argv[1]) if n.endswith(".jpg")):
        with open(os.path.join(argv[1], name), "rb") as f:
            files.append(f.read())
    if not files:
        sys.exit("no .jpg files in " + argv[1])
    cv2.setNumThreads(1)
    threads = cv2.getNumThreads()
    library = "Python %d.%d OpenCV %s (numpy %s)" % (
        sys.version_info[0], sys.version_info[1], cv2.__version__, np.__version__)
    print("CHECK\taugment_chain\t%.4f" % decode.decode_augment(files[0]).mean())
    sys.stdout.flush()
    rate = decode.median_rate(warmup, passes, files, decode.decode_augment)
    print("RESULT\taugment_chain\t%d\timg/s\t%.1f\t%s imdecode+flip+warpAffine+resize+GaussianBlur"
          % (threads, rate, library))


if __name__ == "__main__":
    main(sys.argv)
