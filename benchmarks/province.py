"""Province benchmark: ``xlpy province`` on 2,000 block workbooks × 15 units, against
python-calamine merely reading the same files.

    python benchmarks/province.py                      # generate (once) and time, 2,000 blocks
    python benchmarks/province.py --blocks 200         # a smaller province
    python benchmarks/province.py --dir /tmp/tinh      # keep the generated files there (reused next time)

Generation (not timed) uses xlpy's own builder (:func:`xlpy.book.template.build_workbook`),
one realistic block per file: 15 units × 30 criteria (26 points, 2 bonus, 2 deductions),
self and block scores, a ``Tập thể`` row per unit, 5 people, and 13 award proposals (the
Cờ thi đua cấp tỉnh for the block's computed leader, Bằng khen for ranks 2 and 3, TTLĐXS,
LĐTT, CSTĐCS); about one block in ten has a shared lead the tie-break chain cannot
separate.  Unit codes are unique across the province.

Timed, each as a whole process (interpreter start-up included), with xlpy's bytecode
compiled (as an installed wheel has it) and after one warm-up run of each; ``--repeat``
repetitions, each running every command once (interleaved: a ratio compares runs made
close together); medians of wall time and of CPU time (user + system, the reading
processes included):

1. ``python -c`` reading every sheet of every file with python-calamine (one process);
2. the same raw read split over the machine's cores (ProcessPoolExecutor), for reference;
3. ``xlpy province DIR --out X.xlsx --jobs 1``: sequential reading, a new province workbook;
4. ``xlpy province DIR --out X.xlsx``: parallel reading (the default), a new province workbook;
5. the same again on the existing province workbook (a re-run: only its outputs replaced).

The figure of merit is (4) / (1), the median of the repetitions' ratios; the target
(issue 13) is at most 1.5.  Other programs
running on the machine change every figure: the load average is printed first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

UNITS = 15
CRITERIA = 30
CALAMINE_READ = r"""
import sys
from pathlib import Path
import python_calamine
n = 0
for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    wb = python_calamine.CalamineWorkbook.from_path(str(f))
    for s in wb.sheet_names:
        n += len(wb.get_sheet_by_name(s).to_python())
print(n)
"""
CALAMINE_PARALLEL = r"""
import os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import python_calamine

def read(files):
    n = 0
    for f in files:
        wb = python_calamine.CalamineWorkbook.from_path(str(f))
        for s in wb.sheet_names:
            n += len(wb.get_sheet_by_name(s).to_python())
    return n

if __name__ == "__main__":
    files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
    k = os.cpu_count() or 1
    with ProcessPoolExecutor(k) as ex:
        print(sum(ex.map(read, [files[i::k] for i in range(k)])))
"""


# ---------------------------------------------------------------------------------------
# generation


def _block_data(b: int):
    """(settings, tables, stages) of block ``b``: deterministic from ``b``."""
    import numpy as np

    from xlpy.core.engine import compute
    from xlpy.core.model import Block, Criterion, Kind, Settings, Stage, Unit
    from xlpy.schema import core as S
    from xlpy.schema import rules as R

    rng = np.random.default_rng(20251215 + b)
    kinds = [("Điểm", Kind.POINTS, 10.0)] * 26 + [("Điểm thưởng", Kind.BONUS, 10.0)] * 2 + [("Điểm trừ", Kind.DEDUCTION, 5.0)] * 2
    crit = [{"code": f"C{j + 1:02d}", "name": f"Tiêu chí {j + 1}", "kind": kinds[j][0], "max_points": kinds[j][2]}
            for j in range(CRITERIA)]
    codes = [f"K{b:04d}-{i + 1:02d}" for i in range(UNITS)]
    units = [{"code": c, "name": f"Đơn vị {i + 1:02d} – Khối {b:04d}", "role": "Khối trưởng" if i == 0 else ("Khối phó" if i == 1 else "Thành viên"),
              "women_share": float(rng.integers(20, 90))} for i, c in enumerate(codes)]
    own = rng.integers(10, 21, (UNITS, CRITERIA)) / 2
    own[:, 26:28] = rng.integers(0, 2, (UNITS, 2)) * 5
    own[:, 28:] = rng.integers(0, 3, (UNITS, 2))
    rev = own.copy()
    rev[::3, :5] = np.maximum(rev[::3, :5] - 0.5, 0)
    if b % 10 == 3:  # a shared lead: units 1 and 2 equal everywhere, and on top
        rev[0] = rev[1] = own[0] = own[1] = np.r_[np.full(26, 10.0), [5.0, 5.0, 0.0, 0.0]]
    self_ = {u: {c["code"]: float(own[i, j]) for j, c in enumerate(crit)} for i, u in enumerate(codes)}
    block = {u: {c["code"]: float(rev[i, j]) for j, c in enumerate(crit)} for i, u in enumerate(codes)}
    # the block's own ranking (xlpy's engine), to propose the Cờ for its leader as a block would
    blk = Block(Settings(tie_break=("C01",), max_total=280.0),
                tuple(Unit(c, c) for c in codes),
                tuple(Criterion(c["code"], c["name"], k[1], k[2]) for c, k in zip(crit, kinds)),
                stages={Stage.SELF: own, Stage.BLOCK: rev})
    ranked = [u.code for u in compute(blk).units]
    grade = ["Hoàn thành xuất sắc nhiệm vụ"] * 5 + ["Hoàn thành tốt nhiệm vụ"] * (UNITS - 5)
    pos = {c: i for i, c in enumerate(ranked)}
    colls = [{"code": u, "grade": grade[pos[u]], "members": 30, "completed": 30, "ldtt": 25, "cstdcs": 2, "disciplined": 0,
              "htxs": 5, "htt": 25, "outstanding_unit": "Không", "under_review": "Không"} for u in codes]
    people = [{"code": f"{codes[k]}-CN{k + 1}", "name": f"Cán bộ {k + 1} khối {b:04d}", "unit": codes[k], "gender": "Nữ" if k % 2 else "Nam",
               "grade": "Hoàn thành xuất sắc nhiệm vụ", "initiative": "Cơ sở", "initiatives": 1} for k in range(5)]
    TT, CN = "Tập thể", "Cá nhân"
    props = [{"subject": TT, "code": ranked[0], "title": "Cờ thi đua cấp tỉnh", "votes": 11},
             {"subject": TT, "code": ranked[1], "title": "Bằng khen của Chủ tịch UBND tỉnh", "votes": 10, "outstanding": "Có"},
             {"subject": TT, "code": ranked[2], "title": "Bằng khen của Chủ tịch UBND tỉnh", "votes": 10, "outstanding": "Có"}]
    props += [{"subject": TT, "code": ranked[k], "title": "Tập thể lao động xuất sắc"} for k in range(3)]
    props += [{"subject": CN, "code": p["code"], "title": "Lao động tiên tiến"} for p in people]
    props += [{"subject": CN, "code": p["code"], "title": "Chiến sĩ thi đua cơ sở", "votes": 11} for p in people[:2]]
    day = dt.date(2025, 12, 10) if b % 50 else dt.date(2025, 12, 18)  # one block in fifty meets after the deadline
    settings = {"Tên khối": f"Khối thi đua số {b:04d}", "Năm": 2025, "Kỳ đánh giá": "Tổng kết năm", "Ngày xét": day,
                "Thứ tự phá hòa": "C01", "Điểm tối đa": 280, "Số thành viên Hội đồng": 12}
    tables = {S.UNITS: units, S.CRITERIA: crit, R.COLLECTIVES: colls, R.PEOPLE: people, R.PROPOSALS: props}
    return settings, tables, {"self": self_, "block": block}


def _generate(args: tuple[Path, list[int]]) -> int:
    from xlpy.book.template import build_workbook

    folder, blocks = args
    for b in blocks:
        path = folder / f"khoi-{b:04d}.xlsx"
        if not path.exists():
            settings, tables, stages = _block_data(b)
            build_workbook(path, settings=settings, tables=tables, stages=stages)
    return len(blocks)


def generate(folder: Path, n: int, jobs: int) -> float:
    """Write ``n`` block workbooks into ``folder`` (existing ones are kept); returns seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    todo = [b for b in range(n) if not (folder / f"khoi-{b:04d}.xlsx").exists()]
    if todo:
        with ProcessPoolExecutor(jobs) as ex:
            list(ex.map(_generate, [(folder, todo[i::jobs]) for i in range(jobs)]))
    return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------
# timing


def run(cmd: list[str], before=None) -> tuple[float, float, str]:
    """Wall time and CPU time (user + system of the process and its children) of one run of
    ``cmd`` as a whole process, and its output."""
    if before:
        before()
    r0 = os.times()
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = os.times()
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return wall, (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system), out.stdout


def compiled() -> None:
    """xlpy's modules compiled to bytecode, as an installed wheel has them (a development tree may
    hold stale bytecode, which every process importing it compiles again)."""
    import compileall

    import xlpy

    compileall.compile_dir(str(Path(xlpy.__file__).parent), quiet=2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blocks", type=int, default=2000)
    ap.add_argument("--dir", type=Path, default=None, help="folder of the generated block files (kept, reused)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes used to generate the files")
    args = ap.parse_args()
    folder = args.dir or Path(tempfile.gettempdir()) / f"xlpy-province-{args.blocks}"
    secs = generate(folder, args.blocks, args.jobs)
    files = sorted(folder.glob("*.xlsx"))
    if len(files) != args.blocks:
        raise SystemExit(f"{folder} has {len(files)} files, expected {args.blocks}: use an empty folder or --dir")
    size = sum(f.stat().st_size for f in files)
    compiled()
    print(f"{args.blocks} block files × {UNITS} units in {folder} ({size / 1e6:.0f} MB; generated in {secs:.0f} s, not timed); "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tinh.xlsx"

        def fresh() -> None:  # each run creates the province workbook
            for f in Path(tmp).iterdir():
                f.unlink()

        xl = [py, "-m", "xlpy.cli", "province", str(folder), "--out", str(out)]
        rows = [
            ("python-calamine raw read, 1 process", [py, "-c", CALAMINE_READ, str(folder)], None),
            (f"python-calamine raw read, {os.cpu_count()} processes", [py, "-c", CALAMINE_PARALLEL, str(folder)], None),
            ("xlpy province --jobs 1 (sequential), new workbook", xl + ["--jobs", "1"], fresh),
            ("xlpy province (parallel reading), new workbook", xl, fresh),
            ("xlpy province (parallel reading), re-run", xl, None),
        ]
        for _name, cmd, before in rows:  # one warm-up run of each, which also checks that it works
            run(cmd, before)
        # interleaved: each repetition runs every command once, so that each ratio compares runs
        # made close together on a machine whose load changes
        walls: dict[str, list[float]] = {name: [] for name, _c, _b in rows}
        cpus: dict[str, list[float]] = {name: [] for name, _c, _b in rows}
        for _ in range(args.repeat):
            for name, cmd, before in rows:
                wall, cpu, _stdout = run(cmd, before)
                walls[name].append(wall)
                cpus[name].append(cpu)
        for name, _c, _b in rows:
            print(f"{name:<52} {statistics.median(walls[name]):7.2f} s wall, {statistics.median(cpus[name]):6.2f} s CPU"
                  f"   (runs: {', '.join(f'{t:.2f}' for t in walls[name])})", flush=True)
        base = walls[rows[0][0]]
        for name, _cmd, _b in rows[2:]:
            pairs = [w / b for w, b in zip(walls[name], base)]
            print(f"ratio {name} / calamine raw read: {statistics.median(pairs):.2f} "
                  f"(repetitions: {', '.join(f'{r:.2f}' for r in pairs)})")
        print("target (issue 13): the parallel run within 1.5 × the raw read")


if __name__ == "__main__":
    main()
