"""Ranking: đồng hạng, tie-break chain, unresolved ties, and invariants (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xlpy.core.classify import classify
from xlpy.core.model import DEFAULT_CLASSES, RankMethod
from xlpy.core.ranking import rank_blocks


def ranks(totals, keys=None, method=RankMethod.COMPETITION):
    t = np.asarray(totals, dtype=float)
    return rank_blocks(np.zeros(len(t), dtype=int), t, keys, method)


def test_competition_and_dense():
    assert ranks([90, 95, 90, 80]).rank.tolist() == [2, 1, 2, 4]
    assert ranks([90, 95, 90, 80], method=RankMethod.DENSE).rank.tolist() == [2, 1, 2, 3]


def test_chain_breaks_in_order_and_reports():
    out = ranks([90, 90, 90], [("07", np.array([19.0, 19.5, 19.0])), ("TY_LE_NU", np.array([0.0, 0.0, 1.0]))])
    assert out.rank.tolist() == [3, 1, 2]
    (tie,) = out.ties
    assert tie.resolved and tie.broken_by == ("07", "TY_LE_NU")
    assert out.broken_by.tolist() == ["TY_LE_NU", "07", "TY_LE_NU"]


def test_unresolved_tie_is_reported_never_ordered():
    out = ranks([70, 70, 60], [("PHIEU_BAU", np.array([np.nan, np.nan, np.nan]))])
    assert out.rank.tolist() == [1, 1, 3]
    (tie,) = out.ties
    assert not tie.resolved and tie.skipped == ("PHIEU_BAU",) and tie.unresolved == ((0, 1),)


def test_blocks_are_ranked_separately():
    out = rank_blocks(np.array([0, 1, 0, 1]), np.array([5.0, 5.0, 6.0, 4.0]))
    assert out.rank.tolist() == [2, 1, 1, 2]


def test_class_boundaries_are_exact():
    totals = np.array([90.0, 89.99, 70.0, 69.99, 50.0, 49.99, 0.0])
    assert classify(totals, 100.0, DEFAULT_CLASSES).tolist() == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    # 93,67 of 115 is 81,45 %: Hoàn thành tốt
    assert classify(np.array([93.67]), 115.0, DEFAULT_CLASSES)[0] == "Hoàn thành tốt nhiệm vụ"


scores = st.lists(st.integers(0, 40).map(lambda x: x / 4), min_size=1, max_size=15)


@settings(max_examples=200, deadline=None)
@given(scores, st.randoms(use_true_random=False), st.sampled_from(list(RankMethod)))
def test_permuting_units_never_changes_anyones_rank(totals, rnd, method):
    t = np.array(totals)
    perm = list(range(len(t)))
    rnd.shuffle(perm)
    a = ranks(t, method=method).rank
    b = ranks(t[perm], method=method).rank
    assert [a[i] for i in perm] == b.tolist()


@settings(max_examples=200, deadline=None)
@given(scores, st.data())
def test_raising_a_score_never_lowers_its_rank(totals, data):
    t = np.array(totals)
    i = data.draw(st.integers(0, len(t) - 1))
    bump = data.draw(st.integers(1, 20)) / 4
    before = ranks(t).rank[i]
    t2 = t.copy()
    t2[i] += bump
    assert ranks(t2).rank[i] <= before


@settings(max_examples=200, deadline=None)
@given(scores, st.sampled_from(list(RankMethod)))
def test_tied_totals_always_share_a_rank(totals, method):
    t = np.array(totals)
    r = ranks(t, method=method).rank
    for i in range(len(t)):
        for j in range(len(t)):
            if t[i] == t[j]:
                assert r[i] == r[j]
            elif t[i] > t[j]:
                assert r[i] < r[j]
