"""What a ribbon click costs on the Python side: cold (a new Python per click, as xlwings'
RunPython does with "Use UDF Server" off) against warm (the same dispatch again in a Python
that already runs, as in xlwings' COM server with "Use UDF Server" on, the add-in's setting).

    python benchmarks/click.py                   # compute on samples/so-nganh-100.xlsx
    python benchmarks/click.py --tag validate --repeat 7

Cold: ``python -c "<the add-in's dispatch command>"`` with ``XLPY_CALLER_BOOK`` naming a copy of
the sample (as tests/test_addin_contract.py runs it), wall time of the whole process.
Warm: ``xlpy.excel.ribbon.dispatch(tag)`` called again in this process after one
untimed first click (which pays the imports, like the first click after Excel starts).
Excel's own share (COM calls, the VBA, the COM round trip) is not measured here.
Medians of ``--repeat`` runs; the copy is fresh for every run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tag", default="compute")
    ap.add_argument("--sample", default="so-nganh-100")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)

    from xlpy.excel import build, ribbon

    cmd = build.DISPATCH_TEMPLATE.format(tag=a.tag)
    src = ROOT / "samples" / f"{a.sample}.xlsx"
    os.environ["XLPY_NO_OPEN"] = "1"
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as td:
        def fresh(i: int) -> Path:
            book = Path(td) / f"{i}" / src.name
            book.parent.mkdir(exist_ok=True)
            shutil.copy(src, book)
            return book

        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        for i in range(a.repeat):
            env["XLPY_CALLER_BOOK"] = str(fresh(i))
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-P", "-c", cmd], capture_output=True, env=env)
            cold.append(time.perf_counter() - t0)
            if p.returncode != 0:
                print(p.stderr.decode("utf-8", "replace"), file=sys.stderr)
                return 1

        os.environ["XLPY_CALLER_BOOK"] = str(fresh(1000))
        shown = io.StringIO()  # what the click shows the officer (a message box in Excel) is not printed here
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(shown):
            ribbon.dispatch(a.tag)  # the first click in this Python: imports included
        first = time.perf_counter() - t0
        for i in range(a.repeat):
            os.environ["XLPY_CALLER_BOOK"] = str(fresh(2000 + i))
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(shown):
                res = ribbon.dispatch(a.tag)
            warm.append(time.perf_counter() - t0)
            if res is None or not getattr(res, "ok", False):
                print(f"the warm click did not succeed: {getattr(res, 'message', res)}", file=sys.stderr)
                return 1

    c, w = statistics.median(cold), statistics.median(warm)
    print(f"click '{a.tag}' on {src.name} (median of {a.repeat})")
    print(f"  cold (new Python per click):            {c * 1000:7.0f} ms")
    print(f"  warm (already running, UDF server):     {w * 1000:7.0f} ms")
    print(f"  first click in a new server (imports):  {first * 1000:7.0f} ms")
    print(f"  warm saves {100 * (1 - w / c):.0f} % of the Python side")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
