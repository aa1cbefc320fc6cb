"""Read Shardsmith .npy shards: memory-mapped numpy arrays, and a PyTorch Dataset for one rank.

Needs only numpy; the Dataset subclasses torch.utils.data.Dataset when PyTorch is installed.
Tested by ShardLayoutTest (numpy only: PyTorch is not installable on the build machines).

    python3 shardsmith_numpy.py OUT [SPLIT [RANK WORLD]]   # prints what the given rank reads
"""
import json
import os
import sys

import numpy as np

try:  # a torch Dataset when PyTorch is there, a plain sequence otherwise
    from torch.utils.data import Dataset as _Base
except ImportError:  # pragma: no cover - depends on the machine
    _Base = object


def rank_shards(out_dir, split="train", rank=0, world=1):
    """The meta.json paths of the .npy shards that `rank` of `world` workers reads.

    With the world size the run was made for (`output.workers`), the manifest's own assignment is
    used; otherwise shard i goes to rank i % world.
    """
    with open(os.path.join(out_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    metas = sorted(
        (e["shard"], e["path"])
        for e in manifest["shards"]
        if e["split"] == split and e["path"].endswith(".meta.json")
    )
    if not metas:
        raise ValueError(f"{out_dir} has no .npy shards for split {split!r}")
    workers = manifest.get("workers") or {"count": 1}
    if world == workers["count"]:
        mine = set(workers["ranks"][rank][split])
    else:
        mine = {shard for shard, _ in metas if shard % world == rank}
    return [os.path.join(out_dir, path) for shard, path in metas if shard in mine]


def open_shard(meta_path):
    """Every named array of one shard (x, y, ...) memory-mapped, plus its meta.json."""
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    folder = os.path.dirname(meta_path)
    arrays = {
        name: np.load(os.path.join(folder, a["file"]), mmap_mode="r", allow_pickle=False)
        for name, a in meta["arrays"].items()
    }
    return arrays, meta


class ShardsmithDataset(_Base):
    """(x, y) pairs of one split as seen by one rank; nothing is read until an item is asked for."""

    def __init__(self, out_dir, split="train", rank=0, world=1):
        self.shards = [open_shard(m)[0] for m in rank_shards(out_dir, split, rank, world)]
        self.offsets = np.cumsum([0] + [len(s["y"]) for s in self.shards])

    def __len__(self):
        return int(self.offsets[-1])

    def __getitem__(self, i):
        shard = int(np.searchsorted(self.offsets, i, side="right")) - 1
        arrays = self.shards[shard]
        j = i - int(self.offsets[shard])
        return np.asarray(arrays["x"][j]), int(arrays["y"][j])


if __name__ == "__main__":
    out, split = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "train"
    rank, world = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 1)
    ds = ShardsmithDataset(out, split, rank, world)
    x0, y0 = ds[0]
    labels = np.concatenate([s["y"] for s in ds.shards])
    print(
        json.dumps(
            {
                "rows": len(ds),
                "x_shape": list(x0.shape),
                "x_dtype": str(x0.dtype),
                "first_label": y0,
                "label_sum": int(labels.sum()),
            }
        )
    )
