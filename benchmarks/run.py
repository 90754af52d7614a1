"""xlpy benchmarks — one command, generated data, printed figures.

    python benchmarks/run.py            # all figures
    python benchmarks/run.py --quick    # fewer repeats

Figures (median of N runs, wall time, this machine):

1. one block of 15 units × 30 criteria: engine only, in-process;
2. the same block end to end on a workbook: read, compute, write back (atomic, with backup);
3. a province: 2,000 blocks × 15 units × 30 criteria (half the blocks with an injected tie,
   item scores in half points so totals meet half-boundaries) scored, ranked and classified
   in-process — the vectorised core alone and with per-block result tables;
4. the whole CLI on a sample workbook (`xlpy compute`), interpreter start-up included,
   next to a bare `python -c "import xlpy.cli"` for the start-up share.

Targets (issue 2): 2. under 1 s; 3. under 2 s on 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlpy.book.io import FileBook  # noqa: E402
from xlpy.book.template import build_workbook  # noqa: E402
from xlpy.core.engine import compute, score_arrays, score_many  # noqa: E402
from xlpy.core.model import Block, Criterion, Kind, Settings, Stage, Unit  # noqa: E402


def criteria(n: int = 30) -> tuple[Criterion, ...]:
    kinds = [Kind.POINTS] * 24 + [Kind.RATIO, Kind.RATIO, Kind.TARGET, Kind.COUNT, Kind.BONUS, Kind.DEDUCTION]
    out = []
    for j in range(n):
        k = kinds[j % len(kinds)]
        out.append(
            Criterion(
                code=f"C{j + 1:02d}",
                name=f"Tiêu chí {j + 1}",
                kind=k,
                max_points=10.0 if k is not Kind.DEDUCTION else 5.0,
                weight=1.0 + (j % 3) * 0.5,
                target=100.0 if k in (Kind.RATIO, Kind.TARGET) else None,
                per_event=0.5 if k is Kind.COUNT else None,
            )
        )
    return tuple(out)


def make_block(rng: np.random.Generator, crit: tuple[Criterion, ...], units: int = 15, tie: bool = False, b: int = 0) -> Block:
    codes = [c.code for c in crit]
    vals = np.empty((units, len(crit)))
    for j, c in enumerate(crit):
        if c.kind in (Kind.RATIO, Kind.TARGET):
            vals[:, j] = rng.integers(60, 140, units)
        elif c.kind is Kind.COUNT:
            vals[:, j] = rng.integers(0, 25, units)
        else:
            vals[:, j] = rng.integers(0, int(c.max_points) * 2 + 1, units) / 2  # half points
    ucodes = [f"B{b}U{i:02d}" for i in range(units)]
    self_ = pd.DataFrame(vals, index=ucodes, columns=codes)
    block = self_.copy()
    block.iloc[::3, :5] = np.maximum(block.iloc[::3, :5] - 0.5, 0)
    if tie:  # units 1 and 2 end equal at every stage: a tie the chain (C01) cannot break
        self_.iloc[2] = self_.iloc[1]
        block.iloc[2] = block.iloc[1]
    return Block(
        Settings(block_name=f"Khối {b}", tie_break=("C01",)),
        tuple(Unit(u, f"Đơn vị {u}", women_share=rng.random()) for u in ucodes),
        crit,
        stages={Stage.SELF: self_, Stage.BLOCK: block},
    )


def timeit(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def block_workbook(path: Path, blk: Block) -> Path:
    labels = {k: v for k, v in {
        Kind.POINTS: "Điểm", Kind.RATIO: "Tỷ lệ", Kind.TARGET: "Chỉ tiêu", Kind.COUNT: "Số lần",
        Kind.BONUS: "Điểm thưởng", Kind.DEDUCTION: "Điểm trừ",
    }.items()}
    crit = [
        {"code": c.code, "name": c.name, "kind": labels[c.kind], "max_points": c.max_points, "weight": c.weight,
         "target": c.target, "per_event": c.per_event}
        for c in blk.criteria
    ]
    units = [{"code": u.code, "name": u.name, "women_share": round(u.women_share * 100, 1)} for u in blk.units]
    stages = {
        key: {u: {c: float(v) for c, v in row.items()} for u, row in blk.stages[st].iterrows()}
        for key, st in (("self", Stage.SELF), ("block", Stage.BLOCK))
    }
    return build_workbook(path, settings={"Tên khối": "Khối đo tốc độ", "Thứ tự phá hòa": "C01"}, units=units, criteria=crit, stages=stages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args()
    rep = 3 if args.quick else 7
    rng = np.random.default_rng(20251215)
    crit = criteria()
    rows = []

    one = make_block(rng, crit, tie=True)
    t, res = timeit(lambda: compute(one), rep * 5)
    rows.append(("1 block 15×30, engine (in-process)", t, f"leader {res.table.index[0]} {res.table['total'].iloc[0]}"))

    with tempfile.TemporaryDirectory() as tmp:
        wb = block_workbook(Path(tmp) / "khoi.xlsx", one)

        def end_to_end():
            from xlpy.book.actions import compute_action

            r = compute_action(FileBook(wb))
            assert r.ok, r.message
            return r

        t, _ = timeit(end_to_end, rep)
        rows.append(("1 block 15×30, read + compute + write back", t, "target < 1 s"))

        province = [make_block(rng, crit, tie=(b % 2 == 0), b=b) for b in range(2000)]
        t, bt = timeit(lambda: score_arrays(province), rep)
        n_ties = len(bt.ties)
        rows.append(("2,000 blocks × 15 × 30, scored + ranked (vectorised core)", t, f"{len(bt.total):,} units, {n_ties} tied groups; target < 2 s"))
        t, results = timeit(lambda: score_many(province), max(1, rep // 2))
        rows.append(("2,000 blocks × 15 × 30, with per-block result tables", t, f"{len(results)} BlockResult"))

        sample = Path(tmp) / "sample.xlsx"
        shutil.copy(ROOT / "samples" / "so-nganh-100.xlsx", sample)
        cli = [sys.executable, "-m", "xlpy.cli", "compute", str(sample)]
        t, _ = timeit(lambda: subprocess.run(cli, check=True, capture_output=True, cwd=ROOT), rep)
        rows.append(("CLI `xlpy compute` on samples/so-nganh-100.xlsx (process)", t, "interpreter start-up included"))
        t, _ = timeit(lambda: subprocess.run([sys.executable, "-c", "import xlpy.cli"], check=True, cwd=ROOT), rep)
        rows.append(("  of which: python start + import xlpy.cli", t, ""))

    print(f"xlpy benchmarks — python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    width = max(len(r[0]) for r in rows)
    for name, secs, note in rows:
        print(f"{name:<{width}}  {secs * 1000:9.1f} ms  {note}")


if __name__ == "__main__":
    main()
