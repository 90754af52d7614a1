"""Criterion kinds, caps, weights and final-score policies, on hand-computed examples."""

import numpy as np
import pandas as pd
import pytest

from xlpy.core.engine import compute
from xlpy.core.model import Band, Block, Criterion, FinalPolicy, Group, Kind, Settings, Stage, Unit
from xlpy.core.scoring import combine, criterion_points, target_points


def block_of(criteria, entries, *, units=None, settings=None, stages=None, targets=None, groups=()):
    codes = [c.code for c in criteria]
    units = units or tuple(Unit(u, f"Đơn vị {u}") for u in entries)
    frame = pd.DataFrame.from_dict(entries, orient="index", columns=codes, dtype=float)
    st = stages or {Stage.SELF: frame}
    t = None if targets is None else pd.DataFrame.from_dict(targets, orient="index", dtype=float)
    return Block(settings or Settings(), units, tuple(criteria), tuple(groups), stages=st, targets=t)


def test_reference_case_6_ratio_scheme_totals_93_67_of_115():
    """Reference §7 item 6 (Cần Thơ scheme C): 18 + 36 + 16,67 + 19 + 4 = 93,67 / 115."""
    crit = (
        Criterion("1", "Tuyên truyền", Kind.COUNT, 20, per_event=0.4),
        Criterion("2", "Mở tài khoản", Kind.RATIO, 40),
        Criterion("3", "Thẻ ATM", Kind.RATIO, 20),
        Criterion("4", "Không dùng tiền mặt", Kind.RATIO, 20),
        Criterion("5.1", "Đúng hạn", Kind.BAND, 5, bands=(Band(100, 100, 5, True, True),)),
        Criterion("5.2", "Tỷ lệ", Kind.BAND, 5, bands=(Band(88, 90, 2), Band(90, 95, 3), Band(95, 100, 4), Band(100, 100, 5, True, True))),
    )
    b = block_of(
        crit,
        {"X": {"1": 45, "2": 360, "3": 300, "4": 380, "5.1": 90, "5.2": 95}},
        targets={"X": {"2": 400, "3": 360, "4": 400}},
        settings=Settings(bonus_cap=15),
    )
    r = compute(b)
    assert r.points.loc["X"].to_dict() == {"1": 18.0, "2": 36.0, "3": 16.67, "4": 19.0, "5.1": 0.0, "5.2": 4.0}
    assert r.table.loc["X", "total"] == 93.67
    assert b.nominal_max == 110  # 100 content + the two 5-point bands of this excerpt (5.3 omitted)


def test_reference_case_7_target_formula_15_20_8():
    """Reference §7 item 7 (scheme D): target 100, max 20, leader 130 → 15, 20, 8."""
    assert list(target_points(np.array([115.0, 130.0, 80.0]), np.array([100.0] * 3), 20)) == [15.0, 20.0, 8.0]


def test_target_formula_at_target_and_per_block_leader():
    a = np.array([100.0, 130.0, 120.0, 110.0])
    blocks = np.array([0, 0, 1, 1])
    # block 0: leader 130; block 1: leader 120, 110 → 10 + 10×10/20 = 15
    assert list(target_points(a, np.full(4, 100.0), 20, blocks)) == [10.0, 20.0, 20.0, 15.0]


def test_count_is_capped_and_band_edges_follow_declared_inclusivity():
    c = Criterion("c", "Số lần", Kind.COUNT, 20, per_event=0.4)
    assert list(criterion_points(c, np.array([45.0, 60.0]))) == pytest.approx([18.0, 20.0])
    b = Criterion("b", "Bậc", Kind.BAND, 5, bands=(Band(88, 90, 2), Band(90, 95, 3), Band(95, 100, 4), Band(100, 100, 5, True, True)))
    assert list(criterion_points(b, np.array([87.9, 88.0, 89.99, 90.0, 94.99, 95.0, 99.9, 100.0]))) == [0, 2, 2, 3, 3, 4, 4, 5]


def test_band_overlap_detection_honours_edges():
    assert Band(88, 90, 2, True, True).overlaps(Band(90, 95, 3, True, False))  # 90 in both
    assert not Band(88, 90, 2, True, False).overlaps(Band(90, 95, 3, True, False))
    assert Band(88, 92, 2).overlaps(Band(90, 95, 3))


def test_deduction_points_and_counted_deduction_with_cap():
    d1 = Criterion("D1", "Trừ", Kind.DEDUCTION, 8)
    d2 = Criterion("D2", "Trễ", Kind.DEDUCTION, 6, per_event=2)
    assert list(criterion_points(d1, np.array([8.0]))) == [8.0]
    assert list(criterion_points(d2, np.array([2.0, 5.0]))) == [4.0, 6.0]


def test_weights_group_caps_and_part_caps():
    crit = (
        Criterion("a", "A", Kind.POINTS, 50, weight=2, group="G"),
        Criterion("b", "B", Kind.POINTS, 100, group="G"),
        Criterion("t", "Thưởng", Kind.BONUS, 40),
        Criterion("d", "Trừ", Kind.DEDUCTION, 10),
    )
    b = block_of(
        crit,
        {"U": {"a": 45, "b": 95, "t": 40, "d": 3}},
        groups=(Group("G", "Nhóm", 180),),
        settings=Settings(bonus_cap=30, content_cap=170),
    )
    r = compute(b).table.loc["U"]
    # group: 45×2 + 95 = 185 → capped 180; content cap 170; bonus 40 → 30; total 170 + 30 − 3
    assert (r["content"], r["bonus"], r["deduction"], r["total"]) == (170.0, 30.0, 3.0, 197.0)


def test_final_policies_and_office_override():
    nan = np.nan
    self_ = np.array([[8.0, 5.0, nan]])
    block = np.array([[7.0, nan, 4.0]])
    office = np.array([[nan, 2.0, nan]])
    assert combine(FinalPolicy.LAST, [self_, block], None).tolist() == [[7.0, 5.0, 4.0]]
    assert combine(FinalPolicy.MAX, [self_, block], None).tolist() == [[8.0, 5.0, 4.0]]
    assert combine(FinalPolicy.MEAN, [self_, block], None).tolist() == [[7.5, 5.0, 4.0]]
    assert combine(FinalPolicy.LAST, [self_, block], office).tolist() == [[7.0, 2.0, 4.0]]


def test_stage_differences_report_changed_items():
    crit = (Criterion("1", "A", Kind.POINTS, 10), Criterion("2", "B", Kind.POINTS, 10))
    s = pd.DataFrame({"1": [9.0, 8.0], "2": [10.0, 7.0]}, index=["X", "Y"])
    k = pd.DataFrame({"1": [8.0, 8.0], "2": [10.0, np.nan]}, index=["X", "Y"])
    b = block_of(crit, {"X": {}, "Y": {}}, stages={Stage.SELF: s, Stage.BLOCK: k})
    d = compute(b).differences
    keys = ("unit", "criterion", "self", "block", "final", "change")
    assert [[x[k] for k in keys] for x in d] == [["X", "1", 9.0, 8.0, 8.0, -1.0]]


def test_declared_part_moves_a_per_event_criterion_into_the_capped_bonus():
    from xlpy.core.model import Part

    crit = (
        Criterion("A", "Nội dung", Kind.POINTS, 90),
        Criterion("T1", "Mô hình mới (10 điểm/mô hình)", Kind.COUNT, 30, per_event=10, part_override=Part.BONUS),
    )
    b = block_of(crit, {"U": {"A": 80, "T1": 3}}, settings=Settings(bonus_cap=20))
    r = compute(b).table.loc["U"]
    assert (r["content"], r["bonus"], r["total"]) == (80.0, 20.0, 100.0)  # 3 × 10 = 30, bonus capped at 20
    assert b.nominal_max == 110  # 90 content + min(30, 20) bonus
