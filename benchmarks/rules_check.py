"""Award-rule check benchmark — generated plain data (no workbook), printed figures.

    python benchmarks/rules_check.py                 # 1,000 / 10,000 / 50,000 people
    python benchmarks/rules_check.py --sizes 1000    # one size
    python benchmarks/rules_check.py --many 1000     # also eligible_many on 1,000 rows

Each size N builds one :class:`xlpy.rules.RulesInput`: N people in N/50 units, a
proposal of Lao động tiên tiến for every person, CSTĐCS for one in five, CSTĐ cấp
tỉnh for one in thirty, Bằng khen in five movements for one in twenty, TTLĐTT for
every unit, TTLĐXS for a third of them, one Cờ thi đua; and 0.8 × N history rows
(40,000 at 50,000 people): earlier CSTĐCS awards and HTXS grades.  The council size
and the ND 91/2017 caps are on, so votes and per-unit quotas are checked too.

Figures are wall time of ``check`` alone (input built beforehand), this machine.
Target (task brief): 50,000 people with 40,000 history rows under 30 s on 2 cores,
growing linearly from 1,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlpy.rules import Collective, HistoryRecord, Movement, Person, Proposal, RuleSettings, RulesInput, check  # noqa: E402

GRADES = ("HTXS", "HTT", "HTT", "HT")
MOVEMENTS = ("Chuyển đổi số", "Cải cách hành chính", "Dân vận khéo", "Nông thôn mới", "Thi đua yêu nước")


def make_input(n_people: int, n_history: int | None = None, seed: int = 2025) -> RulesInput:
    rnd = random.Random(seed)
    year = 2025
    n_units = max(n_people // 50, 1)
    units = tuple(f"DV{u:05d}" for u in range(n_units))
    collectives = {}
    for i, u in enumerate(units):
        members = 50
        ldtt = rnd.randint(30, 50)
        htt = rnd.randint(20, 40)
        collectives[u] = Collective(
            u, f"Đơn vị {i + 1}", grade=rnd.choice(("HTXS", "HTT")), members=members, completed=rnd.choice((members, members - 1)),
            ldtt=ldtt, cstdcs=rnd.randint(0, 5), disciplined=rnd.choice((0, 0, 0, 1)), htxs=rnd.randint(0, 10), htt=htt,
            rank=i + 1, women_share=rnd.random(), row=i + 2,
        )
    people = {}
    proposals: list[Proposal] = []
    row = 2
    for k in range(n_people):
        code = f"CN{k:06d}"
        unit = units[k % n_units]
        people[code] = Person(code, f"Người {k}", unit, female=rnd.random() < 0.5, grade=rnd.choice(GRADES),
                              initiative_level=rnd.choice((0, 0, 1, 2)), initiatives=rnd.randint(0, 3), row=k + 2)
        proposals.append(Proposal("CN", code, "LDTT", row=row))
        row += 1
        if k % 5 == 0:
            proposals.append(Proposal("CN", code, "CSTDCS", votes=rnd.randint(9, 15), row=row))
            row += 1
        if k % 30 == 0:
            proposals.append(Proposal("CN", code, "CSTD_TINH", votes=rnd.randint(11, 15), row=row))
            row += 1
        if k % 20 == 0:
            proposals.append(Proposal("CN", code, "BK_TINH", kind="chuyen_de", movement=MOVEMENTS[k % len(MOVEMENTS)],
                                      outstanding=True, votes=rnd.randint(8, 15), achievement=f"TT-{k}", row=row))
            row += 1
    for i, u in enumerate(units):
        proposals.append(Proposal("TT", u, "TTLDTT", row=row))
        row += 1
        if i % 3 == 0:
            proposals.append(Proposal("TT", u, "TTLDXS", row=row))
            row += 1
    proposals.append(Proposal("TT", units[0], "CO_TINH", votes=14, row=row))
    n_history = int(n_people * 0.8) if n_history is None else n_history
    history = []
    codes = list(people)
    for j in range(n_history):
        code = codes[rnd.randrange(len(codes))]
        y = year - 1 - (j % 4)
        if j % 2:
            history.append(HistoryRecord(y, "CN", code, "CSTDCS", decision=f"QĐ {j}/QĐ-UBND", row=j + 2))
        else:
            history.append(HistoryRecord(y, "CN", code, "HTXS", "xep_loai", row=j + 2))
    movements = {m: Movement(m, collectives=n_units, individuals=n_people // 4) for m in MOVEMENTS}
    return RulesInput(year=year, round_date=dt.date(year, 12, 15), block_name="Khối thi đua", units=units, people=people,
                      collectives=collectives, proposals=tuple(proposals), history=tuple(history), movements=movements)


SETTINGS = RuleSettings(council_members=15, legacy_nd91=True)


def time_check(n: int) -> tuple[float, RulesInput, object]:
    inp = make_input(n)
    t0 = time.perf_counter()
    rep = check(inp, SETTINGS)
    return time.perf_counter() - t0, inp, rep


def time_many(n_rows: int, repeats: int = 5) -> float:
    from xlpy.rules.engine import eligible_many

    rnd = random.Random(7)
    rows = [dict(grade=rnd.choice(("HTXS", "HTT", "HT")), members=m, completed=m, ldtt=rnd.randint(0, m), cstdcs=rnd.randint(0, 2))
            for m in (rnd.randint(5, 40) for _ in range(n_rows))]
    eligible_many("TTLDXS", rows[:5], year=2025)  # rule sets loaded, modules imported
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        eligible_many("TTLDXS", rows, year=2025)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    ap.add_argument("--many", type=int, default=1_000, help="rows for eligible_many (0 = skip)")
    a = ap.parse_args(argv)
    check(make_input(50), SETTINGS)  # warm: rule sets loaded, modules imported
    base = None
    for n in a.sizes:
        secs, inp, rep = time_check(n)
        per = secs / n * 1000
        base = base or per
        c = rep.counts()
        print(f"check: {n:>6,} people, {len(inp.proposals):>6,} proposals, {len(inp.history):>6,} history rows: "
              f"{secs:7.2f} s  ({per:.3f} ms/person, ×{per / base:.2f} of the first size)  "
              + ", ".join(f"{k} {v}" for k, v in c.items()), flush=True)
    if a.many:
        secs = time_many(a.many)
        print(f"eligible_many: {a.many:,} rows, one check: {secs * 1000:.1f} ms (best of 5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
