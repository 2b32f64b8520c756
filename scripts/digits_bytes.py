#!/usr/bin/env python3
"""Make crates/nn/src/data/digits.bin from scikit-learn's copy of the digits.

The UCI "Optical Recognition of Handwritten Digits" test set (E. Alpaydin and
C. Kaynak, 1998, CC BY 4.0, https://doi.org/10.24432/C50P49) ships inside
scikit-learn's wheel as sklearn/datasets/data/digits.csv.gz: 1 797 rows of 64
pixel values 0-16 (an 8 x 8 image, row by row) and the label 0-9. The crate
keeps the same numbers as bytes, one row after the other, 65 bytes a row
(the 64 pixels, then the label): 116 805 bytes that `include_bytes!` embeds
and `nn::data::digits()` reads without any parsing library.

    pip download --no-deps scikit-learn -d /tmp/skl
    cd /tmp/skl && unzip -o scikit_learn-*.whl sklearn/datasets/data/digits.csv.gz
    python3 scripts/digits_bytes.py /tmp/skl/sklearn/datasets/data/digits.csv.gz

prints the SHA-256 of both files; the crate's tests check the second.
"""

import gzip
import hashlib
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "crates/nn/src/data/digits.bin"
ROWS, PIXELS = 1797, 64


def main(source: str) -> None:
    raw = Path(source).read_bytes()
    rows = gzip.decompress(raw).decode("ascii").split()
    if len(rows) != ROWS:
        sys.exit(f"{source}: {len(rows)} rows, expected {ROWS}")
    out = bytearray()
    for n, line in enumerate(rows, 1):
        # The CSV writes the integers as floats in some versions ("5.0").
        values = [int(float(v)) for v in line.split(",")]
        if len(values) != PIXELS + 1:
            sys.exit(f"{source}: row {n} has {len(values)} values, expected {PIXELS + 1}")
        if not all(0 <= v <= 16 for v in values[:PIXELS]) or not 0 <= values[PIXELS] <= 9:
            sys.exit(f"{source}: row {n} has a pixel outside 0-16 or a label outside 0-9")
        out += bytes(values)
    OUT.write_bytes(out)
    print(f"{hashlib.sha256(raw).hexdigest()}  {source}")
    print(f"{hashlib.sha256(out).hexdigest()}  {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
