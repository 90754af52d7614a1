"""Worksheet functions: behaviour, parity with the engine, xlwings' converters,
and a small workbook recalculated headless by the ``formulas`` engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xlpy.core.engine import compute
from xlpy.core.model import Block, Criterion, Group, Kind, RankMethod, Settings, Stage, Unit
from xlpy.excel import udfs
from xlpy.excel.udfs import TDKT_CLASS, TDKT_QUOTA, TDKT_RANK, TDKT_SCORE

ROOT = Path(__file__).resolve().parent.parent

CRITERIA = [
    ["Mã", "Nhóm", "Tên tiêu chí", "Loại", "Điểm tối đa", "Trọng số", "Chỉ tiêu", "Điểm mỗi lần"],
    ["I", None, "Công tác chuyên môn", "Nhóm", 60, None, None, None],
    ["1.1", "I", "Hoàn thành kế hoạch", "Điểm", 40, None, None, None],
    ["1.2", "I", "Tỷ lệ giải ngân", "Tỷ lệ", 30, None, 100, None],
    ["2", None, "Phong trào", "Số lần", 20, None, None, 5],
    ["3", None, "Sáng kiến", "Điểm thưởng", 5, None, None, None],
    ["4", None, "Vi phạm", "Điểm trừ", 10, None, None, None],
]
UNITS = ["A", "B", "C", "D", "E"]
VALUES = [  # 1.1, 1.2 (achieved %), 2 (count), 3, 4
    [40, 95, 4, 5, 0],
    [38, 100, 3, 0, 2],
    [40, 80, 4, 2, 0],
    [35, 100, 4, 3, 1],
    [38, 100, 3, 0, 2],
]
CODES = ["1.1", "1.2", "2", "3", "4"]


def points_table() -> list[list]:
    return [["Mã đơn vị"] + CODES] + [[u] + [float(v) for v in row] for u, row in zip(UNITS, VALUES)]


def engine_block(method=RankMethod.COMPETITION) -> Block:
    crit = (
        Criterion("1.1", "Hoàn thành kế hoạch", Kind.POINTS, 40, group="I"),
        Criterion("1.2", "Tỷ lệ giải ngân", Kind.RATIO, 30, group="I", target=100),
        Criterion("2", "Phong trào", Kind.COUNT, 20, per_event=5),
        Criterion("3", "Sáng kiến", Kind.BONUS, 5),
        Criterion("4", "Vi phạm", Kind.DEDUCTION, 10),
    )
    frame = pd.DataFrame(np.array(VALUES, dtype=float), index=UNITS, columns=CODES)
    return Block(
        settings=Settings(decimals=2, rank_method=method, max_total=100),
        units=tuple(Unit(u, f"Đơn vị {u}") for u in UNITS),
        criteria=crit,
        groups=(Group("I", "Công tác chuyên môn", 60),),
        stages={Stage.SELF: frame},
    )


# ---- behaviour ------------------------------------------------------------------


def test_score_rank_class_equal_the_engine():
    res = compute(engine_block()).table
    totals = TDKT_SCORE(points_table(), CRITERIA)
    assert totals[0] == ["Tổng điểm"]
    got = {u: row[0] for u, row in zip(UNITS, totals[1:])}
    assert got == pytest.approx({u: float(res.at[u, "total"]) for u in UNITS})
    ranks = TDKT_RANK(totals)
    assert ranks[0] == ["Hạng"]
    assert {u: r[0] for u, r in zip(UNITS, ranks[1:])} == {u: int(res.at[u, "rank"]) for u in UNITS}
    classes = TDKT_CLASS(totals, 100)
    assert {u: c[0] for u, c in zip(UNITS, classes[1:])} == {u: res.at[u, "class"] for u in UNITS}


def test_dense_rank_equals_the_engine():
    res = compute(engine_block(RankMethod.DENSE)).table
    ranks = TDKT_RANK(TDKT_SCORE(points_table(), CRITERIA), "Liền hạng")
    assert {u: r[0] for u, r in zip(UNITS, ranks[1:])} == {u: int(res.at[u, "rank"]) for u in UNITS}


def test_detail_columns():
    out = TDKT_SCORE(points_table(), CRITERIA, 2, True)
    assert out[0] == CODES + ["Điểm nội dung", "Điểm thưởng", "Điểm trừ", "Tổng điểm"]
    pts = compute(engine_block()).points
    for u, row in zip(UNITS, out[1:]):
        assert row[:5] == pytest.approx([float(pts.at[u, c]) for c in CODES])


def test_tiebreak_and_blocks():
    assert TDKT_RANK([[9.0], [9.0], [5.0]], "đồng hạng") == [[1], [1], [3]]
    assert TDKT_RANK([[9.0], [9.0], [5.0]], "đồng hạng", [[1.0], [2.0], [0.0]]) == [[2], [1], [3]]
    assert TDKT_RANK([[9.0], [9.0], [5.0]], "liền hạng") == [[1], [1], [2]]
    assert TDKT_RANK([[9.0], [8.0], [5.0], [7.0]], None, None, [["K1"], ["K2"], ["K1"], ["K2"]]) == [[1], [1], [2], [2]]
    assert TDKT_RANK([["Tổng"], [3.0], [None]]) == [["Hạng"], [1], [None]]


def test_quota_is_exact_and_floors_by_default():
    assert TDKT_QUOTA(37, 10) == [[3]]
    assert TDKT_QUOTA([["Số người"], [37.0], [20.0]], 15.0, "lên") == [["Số tối đa"], [6], [3]]
    assert TDKT_QUOTA(25, 10, None, 1) == [[1]]


@pytest.mark.parametrize(
    "call, fragment",
    [
        # the workbook reader's own messages: a worksheet function checks exactly as the workbook does
        (lambda: TDKT_SCORE([["1.1", "9"]], CRITERIA), "không phải mã tiêu chí"),
        (lambda: TDKT_SCORE([["1.1"], [5.0]], CRITERIA), "thiếu cột tiêu chí"),
        (lambda: TDKT_SCORE([CODES, [50.0, 1.0, 1.0, 1.0, 1.0]], CRITERIA), "vượt mức tối đa"),
        (lambda: TDKT_SCORE([CODES, ["tám", 1.0, 1.0, 1.0, 1.0]], CRITERIA), "thay vì số"),
        (lambda: TDKT_SCORE([CODES, ["#DIV/0!", 1.0, 1.0, 1.0, 1.0]], CRITERIA), "#DIV/0!"),
        (lambda: TDKT_SCORE(points_table(), [r[:4] for r in CRITERIA]), "Điểm tối đa"),
        (lambda: TDKT_SCORE(points_table(), CRITERIA, 20), "Số chữ số thập phân"),
        (lambda: TDKT_RANK([[1.0, 2.0], [3.0, 4.0]]), "một cột"),
        (lambda: TDKT_RANK([[1.0], [2.0]], "ngẫu nhiên"), "Đồng hạng"),
        (lambda: TDKT_RANK([[1.0], [2.0]], None, [[1.0]]), "cùng số dòng"),
        (lambda: TDKT_CLASS([[1.0]], -5), "lớn hơn 0"),
        (lambda: TDKT_QUOTA(2.5, 10), "số nguyên"),
        (lambda: TDKT_QUOTA(10, 150), "0 đến 100"),
    ],
)
def test_bad_arguments_give_a_readable_value_error(call, fragment):
    out = call()
    assert len(out) == 1 and len(out[0]) == 1
    text = out[0][0]
    assert text.startswith("#VALUE! ") and fragment in text
    assert "Traceback" not in text


def test_names_are_vba_identifiers_with_docs_for_the_wizard():
    import inspect
    import re

    for name in udfs.UDF_NAMES:
        f = getattr(udfs, name)
        assert re.fullmatch(r"TDKT_[A-Z]+", name)
        assert f.__doc__ and len(f.__doc__) <= 255  # Excel's MacroOptions limit
        assert list(inspect.signature(f).parameters)


# ---- through xlwings' converters ------------------------------------------------------

HARNESS = r"""
import json, sys
from xlpy.excel.build import _stub_pywin32
_stub_pywin32()
import xlwings as xw, xlwings.udfs as U
xw.func, xw.arg, xw.ret, xw.sub = U.xlfunc, U.xlarg, U.xlret, U.xlsub
from xlwings import conversion

class FakeExcel:   # just what the converters need from the "excel" engine
    name = "excel"; type = "desktop"
    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        return [[empty_as if c in ("", None) else c for c in row] for row in data]
    @staticmethod
    def prepare_xl_data_element(x, date_format):
        return "" if x is None else x
xw.engines.add(xw.main.Engine(impl=FakeExcel()))
xw.engines.active = xw.engines["excel"]
import xlpy.excel.udfs as M

def call_udf(name, args):   # what xlwings.udfs.call_udf does around the function
    f = getattr(M, name); info = f.__xlfunc__
    conv = []
    for i, a in enumerate(args):
        ai = info["args"][i]
        conv.append(ai.get("optional") if a is None else conversion.read(None, a, ai["options"]))
    return conversion.write(f(*conv), None, info["ret"]["options"])

calls = json.loads(sys.stdin.read())
print(json.dumps([call_udf(n, a) for n, a in calls], ensure_ascii=False))
"""


def test_udfs_through_xlwings_converters():
    totals_in = [["Tổng"], [80.5], [91.0], [80.5]]
    calls = [
        ["TDKT_SCORE", [points_table(), CRITERIA, None, None, None]],
        ["TDKT_RANK", [totals_in, "Liền hạng", None, None]],
        ["TDKT_RANK", [[[3.0]], None, None, None]],  # a single cell arrives as a scalar, ndim=2 makes it 2D
        ["TDKT_CLASS", [totals_in, 100.0, None]],
        ["TDKT_QUOTA", [37.0, 10.0, None, None]],
        ["TDKT_SCORE", [[["x"]], CRITERIA, None, None, None]],
    ]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    p = subprocess.run([sys.executable, "-P", "-c", HARNESS], input=json.dumps(calls), capture_output=True, text=True, env=env, encoding="utf-8")
    assert p.returncode == 0, p.stderr
    score, rank, single, cls, quota, bad = json.loads(p.stdout)
    assert score == [[c if c is not None else "" for c in row] for row in TDKT_SCORE(points_table(), CRITERIA)]
    assert rank == [["Hạng"], [2], [1], [2]]
    assert single == [[1]]
    assert cls[1:] == [["Hoàn thành tốt nhiệm vụ"], ["Hoàn thành xuất sắc nhiệm vụ"], ["Hoàn thành tốt nhiệm vụ"]]
    assert quota == [[3]]
    assert bad[0][0].startswith("#VALUE! ")


# ---- a workbook recalculated by the formulas engine ------------------------------------------


@pytest.mark.slow
def test_sample_workbook_recalculated_by_formulas_equals_the_engine(tmp_path):
    formulas = pytest.importorskip("formulas")
    import openpyxl
    from formulas.functions import wrap_func
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tieu chi"
    for r in CRITERIA:
        ws.append(r)
    sc = wb.create_sheet("Diem")
    for r in points_table():
        sc.append(r)
    n = len(UNITS) + 1  # rows incl. header
    crit_ref = f"'Tieu chi'!A1:H{len(CRITERIA)}"
    sc["H1"] = ArrayFormula(f"H1:H{n}", f"=TDKT_SCORE(B1:F{n},{crit_ref})")
    sc["I1"] = ArrayFormula(f"I1:I{n}", f"=TDKT_RANK(H1:H{n})")
    sc["J1"] = ArrayFormula(f"J1:J{n}", f"=TDKT_CLASS(H1:H{n},100)")
    sc["K1"] = ArrayFormula("K1:K1", "=TDKT_QUOTA(COUNTA(A2:A6),40)")
    path = tmp_path / "udf-sample.xlsx"
    wb.save(path)

    funcs = formulas.get_functions()
    for name in udfs.UDF_NAMES:
        funcs[name] = wrap_func(getattr(udfs, name))
    model = formulas.ExcelModel().loads(str(path)).finish()
    sol = model.calculate()

    def col(letter: str) -> list:
        for k, v in sol.items():
            if k.upper().endswith(f"DIEM'!{letter}1:{letter}{n}"):
                return [x[0] for x in np.asarray(v.value).tolist()]
        raise KeyError(letter)

    res = compute(engine_block()).table
    total, rank, klass = col("H"), col("I"), col("J")
    assert total[0] == "Tổng điểm" and rank[0] == "Hạng" and klass[0] == "Xếp loại"
    for i, u in enumerate(UNITS, start=1):
        assert total[i] == pytest.approx(float(res.at[u, "total"]))
        assert int(rank[i]) == int(res.at[u, "rank"])
        assert klass[i] == res.at[u, "class"]
    quota = [v for k, v in sol.items() if k.upper().endswith("DIEM'!K1")]
    assert int(np.asarray(quota[0].value).ravel()[0]) == 2  # 40 % of 5, rounded down


# ---- TDKT_ELIGIBLE: title standards over a table (reference §7 cases 1 and 2) -----------------
def test_eligible_ttldxs_reference_case_1():
    from xlpy.excel.udfs import TDKT_ELIGIBLE

    table = [
        ["Đơn vị", "Xếp loại", "Số thành viên", "Hoàn thành nhiệm vụ", "LĐTT", "CSTĐCS"],
        ["A", "Hoàn thành xuất sắc nhiệm vụ", 9, 9, 7, 1],  # 7/9 = 77,8 % ≥ 70 %
        ["B", "Hoàn thành xuất sắc nhiệm vụ", 9, 9, 6, 1],  # 66,7 %
        ["C", "HTXS", 9, 9, 7, 0],  # no CSTĐCS
        [None, None, None, None, None, None],
    ]
    out = TDKT_ELIGIBLE("Tập thể lao động xuất sắc", table, 2025)
    assert out[0] == ["Kết luận", "Cần bổ sung"]
    assert [r[0] for r in out[1:]] == ["đạt", "không đạt", "không đạt", None]
    assert "thiếu 1" in out[2][1] and "CSTĐCS" in out[3][1]


def test_eligible_ttldtt_discipline_reference_case_2():
    from xlpy.excel.udfs import TDKT_ELIGIBLE

    table = [["Xếp loại", "Số thành viên", "LĐTT", "Bị kỷ luật"], ["Hoàn thành tốt nhiệm vụ", 10, 7, 1], ["HTT", 10, 7, 0]]
    out = TDKT_ELIGIBLE("TTLĐTT", table, 2025)
    assert [r[0] for r in out[1:]] == ["không đạt", "đạt"]


def test_eligible_bad_arguments_give_value_errors():
    from xlpy.excel.udfs import TDKT_ELIGIBLE

    assert TDKT_ELIGIBLE("Danh hiệu lạ", [["Xếp loại"], ["HTXS"]])[0][0].startswith("#VALUE!")
    assert "xếp loại “Giỏi”" in TDKT_ELIGIBLE("LĐTT", [["Xếp loại"], ["Giỏi"]])[0][0]
    assert "số nguyên" in TDKT_ELIGIBLE("TTLĐTT", [["Số thành viên"], [-2]])[0][0]
