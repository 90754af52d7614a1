"""Generated data for the benchmarks: block workbooks of any size, written fast.

:func:`block_workbook` writes a canonical block workbook (the sheets and settings
xlpy declares) with ``n`` units × 30 criteria of mixed kinds, three review stages
(self, block with some re-scores, a few office overrides), ties the declared chain
cannot break, and half-point totals that land on rounding boundaries.  The sheets
are written with xlpy's own sheet writer, so a 10,000-unit workbook takes seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

KINDS = ["Điểm"] * 24 + ["Tỷ lệ", "Tỷ lệ", "Chỉ tiêu", "Số lần", "Điểm thưởng", "Điểm trừ"]


def criteria(m: int = 30) -> list[dict]:
    out = []
    for j in range(m):
        k = KINDS[j % len(KINDS)]
        out.append({
            "code": f"C{j + 1:02d}", "name": f"Tiêu chí {j + 1}", "kind": k,
            "max_points": 5.0 if k == "Điểm trừ" else 10.0,
            "weight": 1.0 + (j % 3) * 0.5,
            "target": 100.0 if k in ("Tỷ lệ", "Chỉ tiêu") else None,
            "per_event": 0.5 if k == "Số lần" else None,
        })
    return out


def scores(n: int, crit: list[dict], rnd: random.Random) -> tuple[list[list], list[list], list[list]]:
    """(self, block, office) rows: code, name, one value per criterion (None: blank)."""
    self_rows, block_rows, office_rows = [], [], []
    for i in range(n):
        vals = []
        for c in crit:
            k = c["kind"]
            if k in ("Tỷ lệ", "Chỉ tiêu"):
                vals.append(float(rnd.randint(60, 140)))
            elif k == "Số lần":
                vals.append(float(rnd.randint(0, 25)))
            elif k == "Điểm trừ":
                vals.append(float(rnd.randint(0, 10)) / 2)
            else:
                vals.append(rnd.randint(0, 20) / 2)
        if i % 7 == 2 and self_rows:  # a tie the chain cannot break
            vals = list(self_rows[-1][2:])
        code, name = f"U{i + 1:05d}", f"Đơn vị số {i + 1}"
        self_rows.append([code, name, *vals])
        block = [max(v - 0.5, 0.0) if (i % 3 == 0 and j < 5 and crit[j]["kind"] == "Điểm") else v for j, v in enumerate(vals)]
        if i % 7 == 2:
            block = list(block_rows[-1][2:])
        block_rows.append([code, name, *block])
        office_rows.append([code, name, *[(float(max(v - 1, 0)) if (i % 50 == 0 and j == 0) else None) for j, v in enumerate(block)]])
    return self_rows, block_rows, office_rows


def block_workbook(path: Path, n: int, m: int = 30, seed: int = 2025) -> Path:
    """Write a block workbook of ``n`` units × ``m`` criteria to ``path``."""
    from xlpy.book.io import write_new_workbook
    from xlpy.book.sheet import OutputSheet
    from xlpy.features import settings
    from xlpy.schema import core as S

    rnd = random.Random(seed)
    crit = criteria(m)
    values = {"Tên khối": f"Khối thử {n} đơn vị", "Năm": 2025, "Ngày xét": dt.datetime(2025, 12, 15),
              "Thứ tự phá hòa": "C01; TY_LE_NU", "Điểm tối đa": 100}
    specs = settings()
    set_rows = [[s.key, values.get(s.key, s.default_label())] for s in specs]
    units = [[f"U{i + 1:05d}", f"Đơn vị số {i + 1}", "Thành viên", float(rnd.randint(20, 80)), None, None, None] for i in range(n)]
    crit_cols = [c.header for c in S.CRITERIA_TABLE.columns]
    crit_rows = [[c["code"], None, c["name"], c["kind"], c["max_points"], c["weight"], c["target"], c["per_event"], None, None]
                 for c in crit]
    header = ["Mã đơn vị", "Tên đơn vị", *[c["code"] for c in crit]]
    s_rows, b_rows, o_rows = scores(n, crit, rnd)
    sheets = [
        OutputSheet(S.SETTINGS, ["Khóa", "Giá trị"], set_rows, input=True, table=False),
        OutputSheet(S.UNITS, [c.header for c in S.UNIT_TABLE.columns], units, input=True),
        OutputSheet(S.CRITERIA, crit_cols, crit_rows, input=True),
        OutputSheet(S.SELF, header, s_rows, input=True),
        OutputSheet(S.BLOCK, header, b_rows, input=True),
        OutputSheet(S.OFFICE, header, o_rows, input=True),
    ]
    return write_new_workbook(path, sheets)


def rules_workbook(path: Path, n_people: int, n_history: int | None = None, seed: int = 2025) -> Path:
    """Write a block workbook whose award sheets hold :func:`rules_check.make_input`'s data:
    ``n_people`` people in ``n_people / 50`` units, their proposals, ``0.8 × n_people``
    history rows (or ``n_history``), five movements; the council has 15 members and the
    ND 91/2017 caps are on.  A small scored block (the first 15 units) gives the ranks."""
    from rules_check import make_input

    from xlpy.book.io import write_new_workbook
    from xlpy.book.sheet import OutputSheet
    from xlpy.features import settings
    from xlpy.rules import titles as T
    from xlpy.schema import core as S
    from xlpy.schema import rules as R

    inp = make_input(n_people, n_history, seed)
    subject = {T.CN: "Cá nhân", T.TT: "Tập thể"}
    yes = lambda b: "Có" if b else None  # noqa: E731
    values = {"Tên khối": inp.block_name, "Năm": inp.year, "Ngày xét": dt.datetime(inp.year, 12, 15),
              "Số thành viên Hội đồng": 15, "Áp dụng tỷ lệ NĐ 91/2017": "Có", "Điểm tối đa": 100}
    set_rows = [[s.key, values.get(s.key, s.default_label())] for s in settings()]
    units = [[u, c.name, "Thành viên", round(c.women_share * 100, 1), None, None, None]
             for u, c in inp.collectives.items()]
    crit = criteria(30)
    crit_rows = [[c["code"], None, c["name"], c["kind"], c["max_points"], c["weight"], c["target"], c["per_event"], None, None]
                 for c in crit]
    rnd = random.Random(seed)
    _, b_rows, _ = scores(len(units), crit, rnd)
    for row, u in zip(b_rows, units):
        row[0], row[1] = u[0], u[1]
    header = ["Mã đơn vị", "Tên đơn vị", *[c["code"] for c in crit]]
    people = [[p.code, p.name, p.unit, "Nữ" if p.female else "Nam", T.GRADES[p.grade], None,
               T.INITIATIVE_LEVELS[p.initiative_level], p.initiatives, None, None, None, None]
              for p in inp.people.values()]
    colls = [[c.code, T.GRADES[c.grade], c.members, c.completed, c.ldtt, c.cstdcs, c.disciplined, c.htxs, c.htt, None, None]
             for c in inp.collectives.values()]
    props = [[subject[p.subject], p.code, T.TITLES[p.title].name, T.KINDS[p.kind], p.movement or None, p.achievement or None,
              yes(p.outstanding), p.votes, None, None, None, None] for p in inp.proposals]
    hist = [[h.year, subject[h.subject], h.code, None, None,
             T.GRADES[h.title] if h.kind == "xep_loai" else T.TITLES[h.title].name, T.KINDS[h.kind], h.decision or None,
             None, None] for h in inp.history]
    moves = [[m.name, m.collectives, m.individuals] for m in inp.movements.values()]
    cols = lambda t: [c.header for c in t.columns]  # noqa: E731
    sheets = [
        OutputSheet(S.SETTINGS, ["Khóa", "Giá trị"], set_rows, input=True, table=False),
        OutputSheet(S.UNITS, cols(S.UNIT_TABLE), units, input=True),
        OutputSheet(S.CRITERIA, cols(S.CRITERIA_TABLE), crit_rows, input=True),
        OutputSheet(S.SELF, header, b_rows, input=True),
        OutputSheet(S.BLOCK, header, b_rows, input=True),
        OutputSheet(R.PEOPLE, cols(R.PEOPLE_TABLE), people, input=True),
        OutputSheet(R.COLLECTIVES, cols(R.COLLECTIVE_TABLE), colls, input=True),
        OutputSheet(R.PROPOSALS, cols(R.PROPOSAL_TABLE), props, input=True),
        OutputSheet(R.HISTORY, cols(R.HISTORY_TABLE), hist, input=True),
        OutputSheet(R.MOVEMENTS, cols(R.MOVEMENT_TABLE), moves, input=True),
    ]
    return write_new_workbook(path, sheets)
