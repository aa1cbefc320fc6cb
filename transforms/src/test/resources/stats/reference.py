"""Reference statistics from numpy and scikit-learn, for the Java normalize tests.

usage: reference.py features FILE      -> per column: mean std min max median (numpy, ddof=0)
       reference.py pca FILE K         -> StandardScaler then PCA(K): a line of explained
                                          variance, a line of ratios, then K component rows
       reference.py channels FILE C    -> per channel: mean std of raw uint8 bytes (C channels)
       reference.py channels_apply FILE C -> sha256 of ((x - mean) / std) as little-endian float32
FILE for features/pca: UCI letters format (a letter, then integer features).
Numbers are printed with repr(), so the Java side can compare bit for bit where it should.
"""
import sys

import numpy as np


def letters(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) > 1:
                rows.append([float(v) for v in parts[1:]])
    return np.array(rows, dtype=np.float64)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "features":
        x = letters(path)
        for j in range(x.shape[1]):
            c = x[:, j]
            print(*(repr(float(v)) for v in (c.mean(), c.std(), c.min(), c.max(), np.median(c))))
    elif mode == "pca":
        from sklearn.decomposition import PCA
        from sklearn.preprocessing import StandardScaler
        x = StandardScaler().fit_transform(letters(path)).astype(np.float32)
        pca = PCA(n_components=int(sys.argv[3]), svd_solver="full").fit(x.astype(np.float64))
        print(" ".join(repr(float(v)) for v in pca.explained_variance_))
        print(" ".join(repr(float(v)) for v in pca.explained_variance_ratio_))
        for row in pca.components_:
            print(" ".join(repr(float(v)) for v in row))
    elif mode == "channels":
        c = int(sys.argv[3])
        x = np.fromfile(path, dtype=np.uint8).reshape(-1, c).astype(np.float64)
        for j in range(c):
            print(repr(float(x[:, j].mean())), repr(float(x[:, j].std())))
    elif mode == "channels_apply":
        import hashlib
        c = int(sys.argv[3])
        x = np.fromfile(path, dtype=np.uint8).reshape(-1, c).astype(np.float64)
        z = ((x - x.mean(0)) / x.std(0)).astype("<f4")
        print(hashlib.sha256(z.tobytes()).hexdigest())
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
