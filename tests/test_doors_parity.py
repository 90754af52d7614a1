"""One pipeline behind every door: the same block scored through the workbook file
(``actions.run("compute", path)``), the Python API (``xlpy.load_round``) and the
worksheet functions (``TDKT_SCORE`` → ``TDKT_RANK`` → ``TDKT_CLASS``) gives the same
totals, ranks and classes — or, for bad input, the same error codes.

A property test draws random blocks; three worked examples, computed by hand, pin
what the doors agree on.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import xlpy
from xlpy import actions
from xlpy.book.template import build_workbook
from xlpy.core.model import DEFAULT_CLASSES
from xlpy.excel.udfs import TDKT_CLASS, TDKT_RANK, TDKT_SCORE, UdfError, score_table
from xlpy.features import settings as declared_settings
from xlpy.schema import core as S

# the criteria sheet as declared: labels of the kinds, headers of the columns
KIND_LABEL = {v: k for k, v in S.KIND_CHOICES.items()}  # "points" -> "Điểm" …
CRITERIA_HEADERS = [c.header for c in S.CRITERIA_TABLE.columns]
CRITERIA_KEYS = [c.key for c in S.CRITERIA_TABLE.columns]
SETTING_KEY = {s.attr: s.key for s in declared_settings()}
CONTENT_OR_BONUS = ("points", "ratio", "count", "bonus")  # what the classification maximum is made of
TEXT = "tám"


@dataclass
class Block:
    units: list[str]
    criteria: list[dict[str, Any]]  # by column key of the criteria sheet; "kind" is the machine value
    values: list[list[Any]]  # units × criteria, as typed in “Tự chấm” (None: blank)
    invalid: bool = False  # a value was made wrong on purpose
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [c["code"] for c in self.criteria]

    @property
    def maximum(self) -> float:
        """The classification maximum, computed here: weighted maxima of content and bonus criteria
        (“Điểm tối đa” is left blank, and the workbook then uses this sum)."""
        return float(sum(c["max_points"] * (c.get("weight") or 1.0) for c in self.criteria if c["kind"] in CONTENT_OR_BONUS))

    def criteria_grid(self) -> list[list[Any]]:
        rows = []
        for c in self.criteria:
            rec = dict(c, kind=KIND_LABEL[c["kind"]])
            rows.append([rec.get(k) for k in CRITERIA_KEYS])
        return [list(CRITERIA_HEADERS)] + rows

    def points_grid(self) -> list[list[Any]]:
        """The score sheet's range as a UDF receives it: the unit-code column, one column per criterion."""
        return [[S.STAGE_KEYS[0].header] + self.codes] + [[u] + list(r) for u, r in zip(self.units, self.values)]


# ---------------------------------------------------------------------------------------
# the three doors


def _outcome_of_units(rows) -> tuple[str, dict[str, tuple[float, int, str]]]:
    return "ok", {code: (float(total), int(rank), klass) for code, total, rank, klass in rows}


def _errors(problems) -> tuple[str, frozenset[str]]:
    return "errors", frozenset(p.code for p in problems if p.is_error)


def write_book(block: Block, folder: Path) -> Path:
    settings = {SETTING_KEY["tie_break"]: None,  # no tie-break chain: the worksheet functions break no ties either
                SETTING_KEY["rank_method"]: next(k for k, v in S.RANK_CHOICES.items() if v == "competition"),
                SETTING_KEY["decimals"]: 2,
                SETTING_KEY["max_total"]: None, SETTING_KEY["content_cap"]: None, SETTING_KEY["bonus_cap"]: None}
    units = [{"code": u, "name": f"Đơn vị {u}"} for u in block.units]
    criteria = [dict(c, kind=KIND_LABEL[c["kind"]]) for c in block.criteria]
    scores = {u: {c: v for c, v in zip(block.codes, row) if v is not None} for u, row in zip(block.units, block.values)}
    return build_workbook(folder / "khoi.xlsx", settings=settings, tables={S.UNITS: units, S.CRITERIA: criteria},
                          stages={"self": scores})


def door_api(path: Path):
    rnd, problems = xlpy.load_round(path)
    if rnd.result is None:
        return _errors(problems)
    return _outcome_of_units((u.code, u.total, u.rank, u.klass) for u in rnd.result.units)


def door_file(path: Path, block: Block):
    r = actions.run("compute", path)
    if not r.ok:
        assert r.problems.has_errors, r.message
        return _errors(r.problems)
    data = r.data
    assert float(data["block"]["max_total"]) == block.maximum  # the maximum TDKT_CLASS is given is the workbook's
    return _outcome_of_units((u["code"], u["total"], u["rank"], u["class"]) for u in data["units"])


def door_udfs(block: Block):
    points, criteria = block.points_grid(), block.criteria_grid()
    totals = TDKT_SCORE(points, criteria)
    try:
        plain = score_table(points, criteria)
    except UdfError as e:
        assert e.problems is not None, f"UdfError without the reader's problems: {e}"
        assert len(totals) == 1 and len(totals[0]) == 1 and str(totals[0][0]).startswith("#VALUE! "), totals
        return _errors(e.problems)
    assert totals == plain
    assert totals[0] == ["Tổng điểm"] and len(totals) == len(block.units) + 1, totals
    ranks = TDKT_RANK(totals)
    classes = TDKT_CLASS(totals, block.maximum)
    assert ranks[0] == ["Hạng"] and classes[0] == ["Xếp loại"], (ranks, classes)
    return _outcome_of_units((u, t[0], r[0], k[0]) for u, t, r, k in zip(block.units, totals[1:], ranks[1:], classes[1:]))


def three_doors(block: Block) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="xlpy-doors-") as d:
        path = write_book(block, Path(d))
        api = door_api(path)  # before compute writes its output sheets into the file
        file = door_file(path, block)
    return {"file": file, "api": api, "udfs": door_udfs(block)}


def assert_same(block: Block, got: dict[str, Any]) -> tuple[str, Any]:
    file = got["file"]
    for door in ("api", "udfs"):
        assert got[door][0] == file[0], f"{door} gives {got[door]}, the file gives {file}\n{block}"
        if file[0] == "ok":
            assert got[door][1].keys() == file[1].keys()
            for u in file[1]:
                # totals exactly (floats), ranks, classes
                assert got[door][1][u] == file[1][u], f"{door}, unit {u}: {got[door][1][u]} ≠ file {file[1][u]}\n{block}"
        else:
            assert got[door][1] == file[1], f"{door} errors {sorted(got[door][1])} ≠ file errors {sorted(file[1])}\n{block}"
    return file


# ---------------------------------------------------------------------------------------
# random blocks


def _halves(lo: float, hi: float):
    return st.integers(int(lo * 2), int(hi * 2)).map(lambda k: k / 2)


@st.composite
def blocks(draw) -> Block:
    n_units = draw(st.integers(1, 12))
    n_crit = draw(st.integers(1, 6))
    kinds = draw(st.lists(st.sampled_from(["points", "ratio", "count", "bonus", "deduction"]), min_size=n_crit, max_size=n_crit))
    if all(k == "deduction" for k in kinds):
        kinds[0] = "points"  # a block of deductions only has no maximum to classify against
    criteria = []
    for j, kind in enumerate(kinds, start=1):
        c: dict[str, Any] = {"code": f"C{j}", "name": f"Tiêu chí {j}", "kind": kind,
                             "max_points": float(draw(st.integers(1, 20))),
                             "weight": draw(st.sampled_from([None, 1.0, 1.5, 2.0]))}
        if kind == "ratio":
            c["target"] = draw(st.sampled_from([40.0, 80.0, 100.0, 120.0]))
        if kind == "count":
            c["per_event"] = draw(st.sampled_from([0.5, 1.0, 2.0, 3.0, 5.0]))
        if kind == "deduction":
            c["per_event"] = draw(st.sampled_from([None, None, 0.5, 2.0]))  # points taken off, or a count × points
        criteria.append(c)

    def valid(c):
        counted = c["kind"] == "count" or (c["kind"] == "deduction" and c.get("per_event"))
        if counted:
            v = st.integers(0, int(c["max_points"] / c["per_event"]) + 3).map(float)  # past the cap too
        elif c["kind"] == "ratio":
            v = _halves(0, 2 * c["target"])  # achieved value, up to twice the target (capped at max)
        else:
            v = _halves(0, c["max_points"])
        return st.one_of(st.none(), v, v, v)  # mostly filled, some blanks

    values = [[draw(valid(c)) for c in criteria] for _ in range(n_units)]
    block = Block([f"DV{i:02d}" for i in range(1, n_units + 1)], criteria, values)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # about 40 % of the blocks get wrong values
        i, j = draw(st.integers(0, n_units - 1)), draw(st.integers(0, n_crit - 1))
        c = criteria[j]
        counted = c["kind"] == "count" or (c["kind"] == "deduction" and c.get("per_event"))
        wrong = [TEXT, -draw(st.sampled_from([0.5, 1.0, 3.0]))]  # text, a negative number
        if counted:
            wrong.append(draw(st.integers(0, 5)) + 0.5)  # a count that is not whole
        elif c["kind"] != "ratio":
            wrong.append(c["max_points"] + draw(st.sampled_from([0.5, 1.0, 10.0])))  # above the maximum
        values[i][j] = draw(st.sampled_from(wrong))
        block.invalid = True
        block.notes.append(f"{block.units[i]}/{c['code']} = {values[i][j]!r}")
    return block


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks())
def test_three_doors_agree(block):
    got = three_doors(block)
    kind, what = assert_same(block, got)
    all_blank = all(v is None for row in block.values for v in row)
    event("wrong values" if block.invalid else "no scores" if all_blank else "scored")
    if kind == "ok":
        ranks = [r for _t, r, _k in what.values()]
        event("a shared rank" if len(set(ranks)) < len(ranks) else "no shared rank")
    # the generator's intent holds: wrong values (or no score at all) are errors, everything else is scored
    assert (kind == "errors") == (block.invalid or all_blank), (got, block)
    if block.invalid:
        assert what & {"not_a_number", "negative", "above_max", "not_integer"}, what
    elif all_blank:
        assert what == {"no_scores"}, what


# ---------------------------------------------------------------------------------------
# worked examples (totals computed by hand)


def crit(code, kind, mx, weight=None, target=None, per_event=None) -> dict[str, Any]:
    return {"code": code, "name": f"Tiêu chí {code}", "kind": kind, "max_points": float(mx), "weight": weight,
            "target": target, "per_event": per_event}


HTXS, HTT, HT, KHT = (c.name for c in DEFAULT_CLASSES)  # 90 / 70 / 50 / 0 % of the maximum


def check_worked(block: Block, expected: dict[str, tuple[float, int, str]]) -> None:
    got = three_doors(block)
    kind, units = assert_same(block, got)
    assert kind == "ok", got
    assert units == expected


def test_worked_ratio_and_count_are_capped():
    # C1 points, max 10; C2 ratio, max 20, target 80; C3 count, max 10, 3 points per event.  Maximum 10 + 20 + 10 = 40.
    block = Block(["A", "B", "C"], [crit("C1", "points", 10), crit("C2", "ratio", 20, target=80.0),
                                    crit("C3", "count", 10, per_event=3.0)],
                  [[6.0, 100.0, 5.0],  # 6 + min(100/80 × 20, 20) = 20 + min(5 × 3, 10) = 10 → 36 = 90 % of 40: HTXS
                   [10.0, 60.0, 2.0],  # 10 + 60/80 × 20 = 15 + 2 × 3 = 6 → 31 = 77.5 %: HTT
                   [None, 80.0, 0.0]])  # 0 (blank) + 80/80 × 20 = 20 + 0 → 20 = 50 %: HT
    check_worked(block, {"A": (36.0, 1, HTXS), "B": (31.0, 2, HTT), "C": (20.0, 3, HT)})


def test_worked_weights_bonus_and_deductions():
    # C1 points, max 10, weight 1.5; C2 bonus, max 5; C3 deduction, max 4 (points); C4 deduction, max 6, 2 per event.
    # Maximum (content + bonus) = 10 × 1.5 + 5 = 20; deductions are not part of it.
    block = Block(["A", "B"], [crit("C1", "points", 10, weight=1.5), crit("C2", "bonus", 5), crit("C3", "deduction", 4),
                               crit("C4", "deduction", 6, per_event=2.0)],
                  [[10.0, 3.0, 0.5, 1.0],  # 15 + 3 − 0.5 − 1 × 2 → 15.5 = 77.5 %: HTT
                   [6.0, 5.0, None, 4.0]])  # 9 + 5 − 0 − min(4 × 2, 6) = 6 → 8 = 40 %: KHT
    check_worked(block, {"A": (15.5, 1, HTT), "B": (8.0, 2, KHT)})


def test_worked_tie_shared_1_1_3():
    # C1 points, max 20, weight 2; C2 count, max 5, 0.5 per event.  Maximum 20 × 2 + 5 = 45.
    block = Block(["A", "B", "C", "D"], [crit("C1", "points", 20, weight=2.0), crit("C2", "count", 5, per_event=0.5)],
                  [[17.0, 4.0],  # 34 + 2 → 36 = 80 %: HTT
                   [18.0, 0.0],  # 36 + 0 → 36: the same total, the same rank (no tie-break chain)
                   [12.5, 20.0],  # 25 + min(10, 5) = 5 → 30 = 66.7 %: HT
                   [9.0, None]])  # 18 → 40 %: KHT
    check_worked(block, {"A": (36.0, 1, HTT), "B": (36.0, 1, HTT), "C": (30.0, 3, HT), "D": (18.0, 4, KHT)})


def test_worked_bad_values_are_the_same_errors_everywhere():
    block = Block(["A", "B"], [crit("C1", "points", 10), crit("C2", "count", 10, per_event=2.0), crit("C3", "ratio", 5, target=50.0)],
                  [[10.5, 2.5, -1.0],  # above the maximum; a count that is not whole; a negative value
                   [TEXT, 1.0, 20.0]])  # text instead of a number
    got = three_doors(block)
    kind, codes = assert_same(block, got)
    assert kind == "errors" and codes == {"above_max", "not_integer", "negative", "not_a_number"}, got


def test_labels_and_headers_used_here_are_the_declared_ones():
    assert {KIND_LABEL[k] for k in ("points", "ratio", "count", "bonus", "deduction")} == {
        "Điểm", "Tỷ lệ", "Số lần", "Điểm thưởng", "Điểm trừ"}
    assert SETTING_KEY["tie_break"] == "Thứ tự phá hòa" and declared_settings()  # the chain the file door would use
    assert [s.default for s in declared_settings() if s.attr == "tie_break"] == [()]
    assert CRITERIA_HEADERS[:5] == ["Mã", "Nhóm", "Tên tiêu chí", "Loại", "Điểm tối đa"]
