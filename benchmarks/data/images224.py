"""Makes benchmarks/work/images224: 512 photo-like 224x224 RGB images, raw and as PNG.

    /usr/bin/python3 benchmarks/data/images224.py OUT_DIR [PHOTOS_DIR]

Writes OUT_DIR/x.npy (512 x 224 x 224 x 3 uint8, RGB, 77,070,336 bytes of pixels) and
OUT_DIR/png/img-00000.png ... (the same images, PNG, OpenCV's default compression level 1), then
OUT_DIR/.complete last, so the runner regenerates a half-written folder. Both sides of
`benchmarks/run shards` load x.npy into memory; the Java side also loads the PNGs for the
encoded-image Parquet row.

Deterministic (seeded): image i is a random crop (40-100% of the shorter side, random place) of
one of the real photos in PHOTOS_DIR (default sample-data/photos, without the opencv-logo),
randomly mirrored and resized to 224x224.
"""
import os
import sys

import cv2
import numpy as np

COUNT = 512
SIDE = 224
SEED = 20261128
SKIP = {"opencv-logo.png"}


def main(src, out):
    names = sorted(n for n in os.listdir(src)
                   if n.lower().endswith((".jpg", ".png")) and n not in SKIP)
    photos = [cv2.imread(os.path.join(src, n), cv2.IMREAD_COLOR) for n in names]
    assert photos and all(p is not None for p in photos), "unreadable photo in " + src
    os.makedirs(os.path.join(out, "png"), exist_ok=True)
    rng = np.random.default_rng(SEED)
    x = np.empty((COUNT, SIDE, SIDE, 3), np.uint8)
    for i in range(COUNT):
        photo = photos[i % len(photos)]
        h, w = photo.shape[:2]
        side = int(min(h, w) * rng.uniform(0.4, 1.0))
        y0 = int(rng.integers(0, h - side + 1))
        x0 = int(rng.integers(0, w - side + 1))
        crop = photo[y0:y0 + side, x0:x0 + side]
        if rng.random() < 0.5:
            crop = cv2.flip(crop, 1)
        bgr = cv2.resize(crop, (SIDE, SIDE), interpolation=cv2.INTER_AREA)
        x[i] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        ok, png = cv2.imencode(".png", bgr)
        assert ok
        with open(os.path.join(out, "png", "img-%05d.png" % i), "wb") as f:
            f.write(png.tobytes())
    np.save(os.path.join(out, "x.npy"), x)
    with open(os.path.join(out, ".complete"), "w") as f:
        f.write("images224 count=%d side=%d seed=%d\n" % (COUNT, SIDE, SEED))
    print("images224: wrote %d %dx%d RGB images (x.npy, %d bytes) and PNGs from %d photos to %s"
          % (COUNT, SIDE, SIDE, x.nbytes, len(photos), out))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: images224.py OUT_DIR [PHOTOS_DIR]")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    photos = sys.argv[2] if len(sys.argv) == 3 else os.path.join(repo, "sample-data", "photos")
    main(photos, sys.argv[1])
