"""Python peer of `benchmarks/run decode`: the same two loops as DecodeBenchmark.java.

    /usr/bin/python3 benchmarks/peers/decode.py DIR [WARMUP_PASSES PASSES]

Reads every .jpg of DIR into memory as bytes, sets cv2.setNumThreads(1), then times passes of
(1) cv2.imdecode to BGR and (2) imdecode + flip + rotate 15 degrees about the centre
(warpAffine, same size) + resize to 256x256 (INTER_LINEAR) + 5x5 GaussianBlur (sigma 0).
Prints the shared line protocol (tab separated): CHECK <row> <mean of the first image's output>,
RESULT <row> <threads> <unit> <value> <api>; value is the median images/second of the passes.
"""
import os
import statistics
import sys
import time

import cv2
import numpy as np

ROTATE_DEGREES = 15
RESIZE_SIDE = 256
BLUR_KERNEL = 5


def decode(encoded):
    img = cv2.imdecode(np.frombuffer(encoded, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError("imdecode failed on %d bytes" % len(encoded))
    return img


def decode_augment(encoded):
    img = decode(encoded)
    h, w = img.shape[:2]
    flipped = cv2.flip(img, 1)
    rotation = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), ROTATE_DEGREES, 1.0)
    rotated = cv2.warpAffine(flipped, rotation, (w, h))
    resized = cv2.resize(rotated, (RESIZE_SIDE, RESIZE_SIDE), interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(resized, (BLUR_KERNEL, BLUR_KERNEL), 0)


def median_rate(warmup, passes, files, fn):
    def one_pass():
        pixels = 0
        for f in files:
            pixels += fn(f).size
        return pixels

    for _ in range(warmup):
        one_pass()
    rates = []
    for _ in range(passes):
        start = time.perf_counter()
        one_pass()
        rates.append(len(files) / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit("usage: decode.py DIR [WARMUP_PASSES PASSES]")
    warmup, passes = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1, 5)
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

    print("CHECK\tdecode\t%.4f" % decode(files[0]).mean())
    print("CHECK\tdecode_chain\t%.4f" % decode_augment(files[0]).mean())
    sys.stdout.flush()
    rate = median_rate(warmup, passes, files, decode)
    print("RESULT\tdecode\t%d\timg/s\t%.1f\t%s cv2.imdecode" % (threads, rate, library))
    sys.stdout.flush()
    rate = median_rate(warmup, passes, files, decode_augment)
    print("RESULT\tdecode_chain\t%d\timg/s\t%.1f\t%s imdecode+flip+warpAffine+resize+GaussianBlur"
          % (threads, rate, library))


if __name__ == "__main__":
    main(sys.argv)
