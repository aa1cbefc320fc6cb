#!/usr/bin/env python3
"""Writes the `fortunes` benchmark set: the English category files of Debian's fortunes package
(/usr/share/games/fortunes, UTF-8 `.u8` copies), concatenated in a fixed order into
OUT_DIR/fortunes.txt in the fortune format (records separated by a line holding `%`), then
`.complete`. Deterministic: same package, same bytes."""
import pathlib
import sys

SRC = pathlib.Path("/usr/share/games/fortunes")
FILES = ["computers", "education", "food", "humorists", "law", "linux", "literature", "love",
         "medicine", "people", "platitudes", "politics", "science", "work", "wisdom"]

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
records = []
for name in FILES:
    text = (SRC / (name + ".u8")).read_text(encoding="utf-8")
    records += [r.strip("\n") for r in text.split("\n%\n") if r.strip()]
(out / "fortunes.txt").write_text("\n%\n".join(records) + "\n", encoding="utf-8")
(out / ".complete").write_text("")
print(f"fortunes: {len(records)} records from {len(FILES)} files", file=sys.stderr)
