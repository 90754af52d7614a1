"""xlpy benchmarks — one command, generated data, ratios against a plain floor.

    python benchmarks/run.py                  # everything (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick          # 15 / 100 / 1,000 units, check at 1,000 / 10,000
    python benchmarks/run.py --only compute   # one part: compute, check, udf, click
    python benchmarks/run.py --dir /tmp/b     # keep the generated workbooks (reused next time)

What is measured, all on generated data (benchmarks/data.py), wall time on this machine:

1. **compute vs floor.** ``xlpy compute BOOK`` as a whole process (interpreter start-up,
   imports, read, compute, surgical write with backup, terminal summary) against the floor
   (benchmarks/floor.py: python-calamine → numpy → xlsxwriter, no validation, a new file)
   on the same workbook of 15, 100, 1,000, 10,000 and 30,000 units × 30 criteria.  Runs alternate
   (floor, xlpy, floor, …) on a fresh copy each time; the figures are medians and the
   ratio is median / median.  Targets (issue 14): 15 units ≤ 0.40 s and ≤ 1.0×; 1,000
   units ≤ 1.2×; 10,000 units ≤ 1.5×; 30,000 units (a province in one file, issue 13) ≤ 1.2×.
2. **check.** ``xlpy check BOOK`` as a whole process on 1,000 / 10,000 / 50,000 people with
   0.8 × as many history rows (40,000 at 50,000), every proposal kind, votes and caps on;
   the cost per person shows whether it grows linearly.  Target: 50,000 under 30 s.
3. **worksheet functions.** Each of the five UDFs called as Excel calls it (whole table,
   plain lists) over 1,000 rows — TDKT_SCORE over 1,000 units × 50 criteria — after one
   warm-up call, median and minimum of 7.  Target: each under 50 ms.
4. **ribbon click.** benchmarks/click.py: a new Python per click against the add-in's
   warm server.

Bytecode: pip compiles an installed wheel's modules; a development install run with
PYTHONDONTWRITEBYTECODE would recompile every module on every start.  The benchmark
compiles xlpy's modules once and runs the child processes with bytecode allowed, so
the figures are those of an installed xlpy.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONIOENCODING": "utf-8"}


def xlpy_command() -> list[str]:
    """What an officer types: the installed ``xlpy`` script beside this Python."""
    script = Path(sys.executable).parent / ("xlpy.exe" if os.name == "nt" else "xlpy")
    return [str(script)] if script.exists() else [sys.executable, "-P", "-m", "xlpy.cli"]


def compile_xlpy() -> None:
    for loc in importlib.util.find_spec("xlpy").submodule_search_locations:
        compileall.compile_dir(loc, quiet=1, force=False)


def wall(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True)
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout.decode()}\n{p.stderr.decode()}")
    return secs


def generated(folder: Path, name: str, make) -> Path:
    path = folder / name
    if not path.exists():
        t0 = time.perf_counter()
        make(path)
        print(f"  (generated {name} in {time.perf_counter() - t0:.2f} s)", flush=True)
    return path


def bench_compute(folder: Path, sizes: list[int], repeat: int) -> list[str]:
    from data import block_workbook

    lines = [f"compute vs floor (whole process, median of {repeat}; 30 criteria, 3 stages)",
             f"  {'units':>7}  {'floor':>9}  {'xlpy compute':>13}  {'ratio':>6}  target"]
    targets = {15: 1.0, 1_000: 1.2, 10_000: 1.5, 30_000: 1.2}  # 30,000: a province's units in one file (issue 13)
    xlpy = xlpy_command()
    for n in sizes:
        book = generated(folder, f"khoi-{n}.xlsx", lambda p, n=n: block_workbook(p, n))
        work = folder / f"run-{n}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        reps = repeat if n < 10_000 else max(3, repeat // 3)
        fl, xl = [], []
        wall(xlpy + ["compute", str(shutil.copy(book, work / "warm.xlsx"))], work)  # the OS file cache, once
        for i in range(reps):
            fl.append(wall([sys.executable, str(HERE / "floor.py"), str(book), str(work / f"floor-{i}.xlsx")], work))
            copy = shutil.copy(book, work / f"book-{i}.xlsx")
            xl.append(wall(xlpy + ["compute", str(copy)], work))
        f, x = statistics.median(fl), statistics.median(xl)
        target = f"≤ {targets[n]:.1f}×" if n in targets else ""
        if n == 15:
            target += " and ≤ 0.40 s"
        lines.append(f"  {n:>7,}  {f * 1000:7.0f} ms  {x * 1000:10.0f} ms  {x / f:5.2f}×  {target}")
        shutil.rmtree(work, ignore_errors=True)
    return lines


def bench_check(folder: Path, sizes: list[int], repeat: int) -> list[str]:
    from data import rules_workbook

    lines = ["xlpy check (whole process; history rows = 0.8 × people)",
             f"  {'people':>7}  {'history':>8}  {'time':>8}  {'per person':>10}"]
    xlpy = xlpy_command()
    first = None
    for n in sizes:
        book = generated(folder, f"khen-{n}.xlsx", lambda p, n=n: rules_workbook(p, n))
        work = folder / f"check-{n}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        reps = repeat if n <= 1_000 else (3 if n <= 10_000 else 1)
        times = [wall(xlpy + ["check", str(shutil.copy(book, work / f"b{i}.xlsx"))], work) for i in range(reps)]
        t = statistics.median(times)
        per = t / n * 1000
        first = first or per
        lines.append(f"  {n:>7,}  {int(n * 0.8):>8,}  {t:6.2f} s  {per:7.3f} ms  (×{per / first:.2f} of the first)")
        shutil.rmtree(work, ignore_errors=True)
    lines.append("  target: 50,000 people under 30 s, cost per person flat from 1,000")
    return lines


def bench_udfs(repeat: int = 7) -> list[str]:
    from xlpy.excel import udfs

    rnd = random.Random(7)
    n, m = 1_000, 50
    codes = [f"C{j + 1:02d}" for j in range(m)]
    criteria = [["Mã", "Nhóm", "Tên tiêu chí", "Loại", "Điểm tối đa", "Trọng số"]] + [
        [c, None, f"Tiêu chí {j + 1}", "Điểm", 10.0, 1.0 + (j % 3) * 0.5] for j, c in enumerate(codes)]
    points = [codes] + [[rnd.randint(0, 20) / 2 for _ in codes] for _ in range(n)]
    totals = [["Tổng điểm"]] + [[float(rnd.randint(600, 1000) / 10)] for _ in range(n)]
    tiebreak = [["Tiêu chí 1", "Tỷ lệ nữ"]] + [[rnd.randint(0, 10) / 2, rnd.random()] for _ in range(n)]
    blocks = [[f"Khối {i % 20}"] for i in range(n)]
    base = [["Số người"]] + [[float(rnd.randint(1, 400))] for _ in range(n)]
    pct = [["Tỷ lệ"]] + [[15.0] for _ in range(n)]
    facts = [["Xếp loại", "Số thành viên", "Hoàn thành nhiệm vụ", "LĐTT", "CSTĐCS", "Bị kỷ luật"]]
    for _ in range(n):
        mem = float(rnd.randint(5, 60))
        facts.append([rnd.choice(["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"]), mem, mem,
                      float(rnd.randint(0, int(mem))), float(rnd.randint(0, 3)), 0.0])
    calls = {
        "TDKT_SCORE (1,000 units × 50 criteria)": lambda: udfs.TDKT_SCORE(points, criteria, 2, True),
        "TDKT_RANK (1,000 totals, 2 tie-break columns, 20 blocks)": lambda: udfs.TDKT_RANK(totals, "Đồng hạng", tiebreak, [["Khối"]] + blocks),
        "TDKT_CLASS (1,000 totals)": lambda: udfs.TDKT_CLASS(totals, 100),
        "TDKT_QUOTA (1,000 rows)": lambda: udfs.TDKT_QUOTA(base, pct),
        "TDKT_ELIGIBLE (1,000 collectives, TTLĐXS)": lambda: udfs.TDKT_ELIGIBLE("Tập thể lao động xuất sắc", facts, 2025),
    }
    width = max(map(len, calls))
    lines = [f"worksheet functions (in-process, after one warm-up call, median and minimum of {repeat}; target < 50 ms each)"]
    for name, call in calls.items():
        out = call()
        if len(out) < n or (len(out[0]) == 1 and str(out[0][0]).startswith("#")):
            sys.exit(f"{name} did not compute: {out[:2]}")
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        # the minimum is the function's own cost; the median adds what other programs on the machine took
        lines.append(f"  {name:<{width}}  {statistics.median(times) * 1000:6.1f} ms  (min {min(times) * 1000:5.1f} ms)")
    return lines


def bench_click(repeat: int) -> list[str]:
    p = subprocess.run([sys.executable, "-P", str(HERE / "click.py"), "--repeat", str(repeat)], env=ENV, capture_output=True,
                       text=True, encoding="utf-8")
    if p.returncode:
        sys.exit(p.stderr)
    return p.stdout.rstrip().splitlines()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    ap.add_argument("--only", choices=("compute", "check", "udf", "click"), action="append")
    ap.add_argument("--dir", type=Path, help="keep generated workbooks here")
    ap.add_argument("--repeat", type=int, help="runs per figure (default 9; 5 with --quick)")
    a = ap.parse_args(argv)
    parts = a.only or ["compute", "check", "udf", "click"]
    repeat = a.repeat or (5 if a.quick else 9)
    compile_xlpy()
    import numpy

    from xlpy import __version__

    print(f"xlpy {__version__} benchmarks — python {sys.version.split()[0]}, numpy {numpy.__version__}, "
          f"{os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = a.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        runs = {
            "compute": lambda: bench_compute(folder, [15, 100, 1_000] if a.quick else [15, 100, 1_000, 10_000, 30_000], repeat),
            "check": lambda: bench_check(folder, [1_000, 10_000] if a.quick else [1_000, 10_000, 50_000], repeat),
            "udf": bench_udfs,
            "click": lambda: bench_click(min(repeat, 5)),
        }
        for part in parts:
            print("\n".join(runs[part]()) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
