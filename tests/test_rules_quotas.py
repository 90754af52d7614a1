"""Quota arithmetic: rounding modes at the boundaries, exact ratios, trimming
properties (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlpy.rules.quotas import cap_of, meets_ratio, min_required, quota_cap, round_fraction, trim, votes_needed, what_if


@pytest.mark.parametrize(
    "base, pct, mode, expected",
    [
        (37, 10, "floor", 3), (37, 10, "ceil", 4), (37, 10, "half_up", 4),  # 3.7
        (35, 10, "floor", 3), (35, 10, "ceil", 4), (35, 10, "half_up", 4),  # 3.5 exactly
        (34, 10, "half_up", 3),  # 3.4
        (30, 10, "floor", 3), (30, 10, "ceil", 3),  # exact: no rounding either way
        (37, 5, "floor", 1),  # 1.85 (reference §2.5)
        (10, 0.1, "floor", 0), (1000, 0.1, "floor", 1),  # 0.1 % read as exactly 1/1000
        (0, 10, "ceil", 0),
        (7, 100, "floor", 7),
    ],
)
def test_rounding_modes_at_boundaries(base, pct, mode, expected):
    assert quota_cap(base, pct=pct, rounding=mode) == expected


def test_float_percentages_are_exact():
    # 0.7 × 10 in binary floats is 6.999999999999999; the cap must still be 7
    assert quota_cap(10, pct=70) == 7
    assert quota_cap(100, pct=29) == 29  # 0.29 × 100 = 28.999999999999996 in floats
    assert min_required(100, 29) == 29
    assert meets_ratio(7, 10, 70) and not meets_ratio(69, 100, 70)
    assert meets_ratio(29, 100, 29)


def test_count_and_pct_take_the_smaller():
    assert quota_cap(25, pct=10, count=1) == 1
    assert quota_cap(25, pct=10, count=5) == 2
    assert quota_cap(25, count=4) == 4
    assert cap_of(25, pct=10, count=1).explain() == "tối đa 1 = số nhỏ hơn của làm tròn xuống 10% × 25 (2,5) và mức cố định 1"


def test_votes_of_all_members_rounded_up_reference_case_5():
    assert votes_needed(15, 80) == 12
    assert votes_needed(15, 90) == 14  # 13.5 → 14
    assert votes_needed(11, 80) == 9  # 8.8 → 9
    assert votes_needed(10, 90) == 9


@pytest.mark.parametrize("bad", [dict(pct=101), dict(pct=-1), dict(count=-2)])
def test_invalid_quota_inputs_raise(bad):
    with pytest.raises(ValueError):
        quota_cap(10, **bad)


def test_invalid_rounding_and_base():
    with pytest.raises(ValueError):
        quota_cap(10, pct=10, rounding="bankers")
    with pytest.raises(ValueError):
        quota_cap(10.5, pct=10)
    with pytest.raises(ValueError):
        quota_cap(10)


def test_what_if():
    w = what_if(cap_of(37, pct=10), 1)
    assert (w.cap, w.remaining, w.over) == (3, 2, 0)
    assert what_if(2, 5).over == 3


@given(st.fractions(min_value=0, max_value=10**6))
def test_round_fraction_brackets_the_value(q):
    lo, hi, h = round_fraction(q, "floor"), round_fraction(q, "ceil"), round_fraction(q, "half_up")
    assert lo <= q <= hi and hi - lo <= 1
    assert abs(Fraction(h) - q) <= Fraction(1, 2)
    assert lo <= h <= hi


@given(st.integers(0, 5000), st.integers(0, 100), st.sampled_from(["floor", "ceil", "half_up"]))
def test_cap_within_one_of_exact(base, pct, mode):
    cap = quota_cap(base, pct=pct, rounding=mode)
    assert 0 <= cap <= base
    assert abs(cap - Fraction(base * pct, 100)) < 1


candidates = st.lists(
    st.tuples(st.integers(0, 20), st.booleans(), st.integers(0, 5)),  # votes, female, chair order
    max_size=30,
)


@given(candidates, st.integers(0, 35), st.randoms(use_true_random=False))
def test_trim_never_exceeds_cap_never_drops_a_better_one_never_decides_equals(items, cap, rnd):
    people = list(enumerate(items))  # (id, (votes, female, chair))
    key = lambda p: (-p[1][0], 0 if p[1][1] else 1, p[1][2])  # noqa: E731
    t = trim(people, cap, key)
    assert len(t.kept) <= cap
    assert sorted(t.kept + t.over + t.tied_at_cut) == sorted(people)
    for k in t.kept:
        assert all(key(k) < key(d) for d in t.over + t.tied_at_cut)  # kept: strictly better than all left out
    for tied in t.tied_at_cut:
        assert all(key(tied) < key(d) for d in t.over)
    if t.tied_at_cut:
        assert len({key(x) for x in t.tied_at_cut}) == 1  # one group of equals
        assert 0 < t.places < len(t.tied_at_cut) and len(t.kept) + t.places == cap
    else:
        assert len(t.kept) == min(cap, len(people))
    shuffled = people[:]
    rnd.shuffle(shuffled)
    t2 = trim(shuffled, cap, key)  # the order of the input never decides
    assert (sorted(t2.kept), sorted(t2.tied_at_cut), sorted(t2.over), t2.places) == (sorted(t.kept), sorted(t.tied_at_cut), sorted(t.over), t.places)


def test_trim_worked_example_three_equal_at_a_cut_of_two():
    votes = {"A": 10, "B": 10, "C": 10, "D": 12, "E": 8}
    t = trim(list("ABCDE"), 3, key=lambda k: -votes[k])
    assert (t.kept, sorted(t.tied_at_cut), t.places, t.over) == (["D"], ["A", "B", "C"], 2, ["E"])
    assert trim(list("ABC"), 3, key=lambda k: -votes[k]).kept == ["A", "B", "C"]
    assert trim(list("ABC"), 0, key=lambda k: -votes[k]).over == ["A", "B", "C"]


@given(st.integers(1, 60), st.integers(1, 100), st.lists(st.integers(0, 30), min_size=1, max_size=40))
def test_engine_trimming_respects_every_cap(n_base, pct, votes):
    """Whole-engine property: after checking, the proposals left 'đạt' never exceed
    a movement cap, every over-quota one has fewer votes than every kept one, and
    the equals straddling the cut are all awaiting the Chair, none kept by row."""
    import datetime as dt

    from xlpy.rules import CHO_QUYET_DINH, DAT, VUOT, Collective, Movement, Proposal, RulesInput, check

    codes = [f"U{i}" for i in range(len(votes))]
    cols = {c: Collective(c, c, grade="HTXS") for c in codes}
    props = tuple(Proposal("TT", c, "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=v, row=i + 2)
                  for i, (c, v) in enumerate(zip(codes, votes)))
    inp = RulesInput(year=2025, round_date=dt.date(2025, 12, 1), units=tuple(codes), collectives=cols, proposals=props,
                     movements={"M": Movement("M", collectives=n_base)})
    from xlpy.rules import RuleSettings

    rep = check(inp, RuleSettings().with_overrides(bk_movement_tt_pct=Fraction(pct)))
    cap = quota_cap(n_base, pct=pct)
    kept = [o.proposal.votes for o in rep.outcomes if o.verdict == DAT]
    over = [o.proposal.votes for o in rep.outcomes if o.verdict == VUOT]
    waiting = [o.proposal.votes for o in rep.outcomes if o.verdict == CHO_QUYET_DINH]
    assert len(kept) <= cap
    assert len(kept) + len(over) + len(waiting) == len(votes)
    if kept and over:
        assert max(over) < min(kept)
    if waiting:
        assert len(set(waiting)) == 1 and len(kept) < cap < len(kept) + len(waiting)
        assert all(v > waiting[0] for v in kept) and all(v < waiting[0] for v in over)
