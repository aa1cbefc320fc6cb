"""Makes benchmarks/work/photos512: 205 photo-like 512x512 JPEGs at quality 90.

    /usr/bin/python3 benchmarks/data/photos512.py OUT_DIR [PHOTOS_DIR]

PHOTOS_DIR defaults to sample-data/photos of this repository. Every data set script under
benchmarks/data/ takes OUT_DIR first; benchmarks/run calls it when OUT_DIR/.complete is missing.

Deterministic (seeded): image i is a random crop (40-100% of the shorter side, random place)
of one of the real photos in sample-data/photos, randomly mirrored, resized to 512x512 and
encoded by OpenCV at JPEG quality 90. The opencv-logo is left out as it is not a photo.
Writes OUT_DIR/.complete last, so the runner regenerates a half-written folder.
"""
import os
import sys

import cv2
import numpy as np

COUNT = 205
SIDE = 512
QUALITY = 90
SEED = 20261128
SKIP = {"opencv-logo.png"}


def main(src, out):
    names = sorted(n for n in os.listdir(src)
                   if n.lower().endswith((".jpg", ".png")) and n not in SKIP)
    photos = [cv2.imread(os.path.join(src, n), cv2.IMREAD_COLOR) for n in names]
    assert photos and all(p is not None for p in photos), "unreadable photo in " + src
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for i in range(COUNT):
        photo = photos[i % len(photos)]
        h, w = photo.shape[:2]
        side = int(min(h, w) * rng.uniform(0.4, 1.0))
        y = int(rng.integers(0, h - side + 1))
        x = int(rng.integers(0, w - side + 1))
        crop = photo[y:y + side, x:x + side]
        if rng.random() < 0.5:
            crop = cv2.flip(crop, 1)
        interp = cv2.INTER_AREA if side > SIDE else cv2.INTER_CUBIC
        img = cv2.resize(crop, (SIDE, SIDE), interpolation=interp)
        ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
        assert ok
        with open(os.path.join(out, "photo-%03d.jpg" % i), "wb") as f:
            f.write(jpg.tobytes())
    with open(os.path.join(out, ".complete"), "w") as f:
        f.write("photos512 count=%d side=%d quality=%d seed=%d\n" % (COUNT, SIDE, QUALITY, SEED))
    print("photos512: wrote %d %dx%d JPEGs (quality %d, seed %d) from %d photos to %s"
          % (COUNT, SIDE, SIDE, QUALITY, SEED, len(photos), out))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: photos512.py OUT_DIR [PHOTOS_DIR]")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    photos = sys.argv[2] if len(sys.argv) == 3 else os.path.join(repo, "sample-data", "photos")
    main(photos, sys.argv[1])
