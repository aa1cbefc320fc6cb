"""Reference results from scikit-learn and imbalanced-learn, for the Java balance tests.

usage: reference.py knn FILE K        -> per row, its K nearest distances (self excluded), sorted
       reference.py counts FILE METHOD -> "label count" lines after fit_resample
FILE: UCI letters format (a letter, then integer features). METHOD: smote, borderline, adasyn,
smotenc (columns 0 and 1 categorical), under (RandomUnderSampler), over (RandomOverSampler).
"""
import sys

import numpy as np


def load(path):
    labels, rows = [], []
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) < 2:
                continue
            labels.append(ord(parts[0]) - ord("A"))
            rows.append([float(v) for v in parts[1:]])
    return np.array(rows, dtype=np.float64), np.array(labels)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    x, y = load(path)
    if mode == "knn":
        from sklearn.neighbors import NearestNeighbors

        k = int(sys.argv[3])
        nn = NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(x)
        dist, _ = nn.kneighbors(x)
        # Self is at distance 0, the minimum: dropping the first sorted distance drops it.
        for row in dist[:, 1:]:
            print(" ".join(repr(float(v)) for v in row))
    elif mode == "counts":
        from imblearn.over_sampling import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE, RandomOverSampler
        from imblearn.under_sampling import RandomUnderSampler

        method = sys.argv[3]
        sampler = {
            "smote": lambda: SMOTE(random_state=0),
            "borderline": lambda: BorderlineSMOTE(random_state=0, kind="borderline-1"),
            "adasyn": lambda: ADASYN(random_state=0),
            "smotenc": lambda: SMOTENC(categorical_features=[0, 1], random_state=0),
            "under": lambda: RandomUnderSampler(random_state=0),
            "over": lambda: RandomOverSampler(random_state=0),
        }[method]()
        _, yr = sampler.fit_resample(x, y)
        labels, counts = np.unique(yr, return_counts=True)
        for label, count in zip(labels, counts):
            print(int(label), int(count))
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
