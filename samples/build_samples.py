"""Rebuild the sample workbooks and their expected results.

    python samples/build_samples.py

writes ``samples/<name>.xlsx`` (the input workbooks, as an officer would fill
them) and ``samples/expected/<name>.json`` (totals, ranks and classes computed
by ``samples/oracle.py``, which shares no code with the engine).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import oracle  # noqa: E402

from xlpy.samples import SAMPLES, build_sample, sample_data  # noqa: E402


def expected(name: str) -> dict:
    return oracle.to_json(oracle.compute(sample_data(name)))


def main() -> None:
    (HERE / "expected").mkdir(exist_ok=True)
    for name in SAMPLES:
        build_sample(name, HERE / f"{name}.xlsx")
        out = HERE / "expected" / f"{name}.json"
        out.write_text(json.dumps(expected(name), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name}: {HERE / (name + '.xlsx')}, {out}")


if __name__ == "__main__":
    main()
