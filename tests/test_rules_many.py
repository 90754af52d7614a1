"""Many candidates at once: ``eligible_many`` (one input, one check, verdicts equal
to ``eligible`` row by row) and a check whose cost is linear in people + proposals +
history rows (history and proposals are read a fixed number of times, not once per
candidate)."""

from __future__ import annotations

import datetime as dt
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from xlpy.rules import (
    CHO_QUYET_DINH,
    DAT,
    KHONG_DAT,
    Collective,
    Discipline,
    HistoryRecord,
    Person,
    Proposal,
    RuleSettings,
    RulesInput,
    check,
    eligible,
    eligible_many,
)
from xlpy.rules import engine

Y = 2025

tt_rows = st.fixed_dictionaries(
    {
        "grade": st.sampled_from(["HTXS", "HTT", "HT", None]),
        "members": st.integers(1, 30),
        "ldtt": st.integers(0, 30),
        "cstdcs": st.integers(0, 2),
        "rank": st.one_of(st.none(), st.integers(1, 3)),
        "rank_tied": st.booleans(),
        "disciplined": st.integers(0, 1),
    },
    optional={
        "completed": st.integers(0, 30),
        "outstanding": st.booleans(),
        "votes": st.integers(8, 15),
        "also_proposed": st.lists(st.sampled_from(["TTLDXS", "CO_TINH", "TTLDTT"]), max_size=2, unique=True),
        "history": st.lists(st.builds(HistoryRecord, st.integers(2021, 2025), st.just("TT"), st.sampled_from(["", "X", "Z"]),
                                      st.sampled_from(["HTXS", "TTLDXS", "CO_TINH"]), st.sampled_from(["cong_trang", "xep_loai", "dot_xuat"])),
                            max_size=4),
    },
)

cn_rows = st.fixed_dictionaries(
    {"grade": st.sampled_from(["HTXS", "HTT", "HT", None]), "initiative_level": st.integers(0, 3), "initiatives": st.integers(0, 3)},
    optional={
        "votes": st.integers(8, 15),
        "outstanding": st.booleans(),
        "under_review": st.booleans(),
        "discipline": st.builds(Discipline, st.integers(0, 2), st.just(dt.date(2024, 7, 1)),
                                st.sampled_from([dt.date(2024, 12, 31), dt.date(2025, 6, 30), dt.date(2026, 1, 31)])),
        "also_proposed": st.lists(st.sampled_from(["LDTT", "CSTDCS"]), max_size=2, unique=True),
        "history": st.lists(st.builds(HistoryRecord, st.integers(2021, 2025), st.just("CN"), st.sampled_from(["", "X"]),
                                      st.sampled_from(["CSTDCS", "HTXS"]), st.sampled_from(["cong_trang", "xep_loai", "dot_xuat"])),
                            max_size=4),
    },
)

SETTINGS = st.sampled_from([None, RuleSettings(council_members=15), RuleSettings(streak_end="year_or_previous", legacy_nd91=True)])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["TTLDXS", "TTLDTT", "CO_TINH", "CO_CP", "BK_TINH"]), st.lists(st.one_of(st.none(), tt_rows), max_size=12), SETTINGS,
       st.sampled_from([dt.date(2025, 3, 1), None]))
def test_eligible_many_equals_eligible_row_by_row_collectives(title, rows, s, day):
    subject = "TT"
    got = eligible_many(title, rows, year=Y, settings=s, round_date=day, subject=subject)
    want = [None if r is None else eligible(title, year=Y, settings=s, round_date=day, **{"subject": subject, **r}) for r in rows]
    assert got == want


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["LDTT", "CSTDCS", "CSTD_TINH", "BK_TINH", "GIAY_KHEN"]), st.lists(st.one_of(st.none(), cn_rows), max_size=12), SETTINGS)
def test_eligible_many_equals_eligible_row_by_row_individuals(title, rows, s):
    got = eligible_many(title, rows, year=Y, settings=s, subject="CN", round_date=dt.date(2025, 12, 15))
    want = [None if r is None else eligible(title, year=Y, settings=s, subject="CN", round_date=dt.date(2025, 12, 15), **r) for r in rows]
    assert got == want


def test_eligible_many_is_one_check(monkeypatch):
    calls = []
    real = engine._check

    def counted(*a, **k):
        calls.append(len(a[0].proposals))
        return real(*a, **k)

    monkeypatch.setattr(engine, "_check", counted)
    rows = [dict(grade="HTXS", members=9, completed=9, ldtt=7 - i % 2, cstdcs=1) for i in range(200)]
    out = eligible_many("Tập thể lao động xuất sắc", rows, year=Y)
    assert calls == [200]
    assert [v.verdict for v in out] == [DAT, KHONG_DAT] * 100
    assert out[1].reasons == ("Tỷ lệ lao động tiên tiến: 6/9 (66,7%), cần ít nhất 7",)


def test_rows_never_see_each_other():
    # two rows sharing first place "with someone": each alone is awaiting; together they must not become each other's co-leader
    rows = [dict(grade="HTXS", rank=1, rank_tied=True), dict(grade="HTXS", rank=1, rank_tied=True), dict(grade="HTXS", rank=1)]
    assert [v.verdict for v in eligible_many("CO_TINH", rows, year=Y)] == [CHO_QUYET_DINH, CHO_QUYET_DINH, DAT]  # no quota across rows


# ---- linear cost ------------------------------------------------------------------------------------------------


class Counting(tuple):
    """A tuple that counts how often it is iterated."""

    def __new__(cls, items):
        obj = super().__new__(cls, items)
        obj.n = 0
        return obj

    def __iter__(self):
        self.n += 1
        return super().__iter__()


def block(n_people: int, history_cls=tuple, proposals_cls=tuple) -> RulesInput:
    units = tuple(f"U{i}" for i in range(max(n_people // 50, 1)))
    cols = {u: Collective(u, u, grade="HTXS", members=50, completed=50, ldtt=40, cstdcs=2, htxs=5, htt=30, rank=i + 1)
            for i, u in enumerate(units)}
    people = {f"P{i}": Person(f"P{i}", f"P{i}", units[i % len(units)], grade=("HTXS", "HTT")[i % 2], initiative_level=i % 3) for i in range(n_people)}
    props = []
    for i, c in enumerate(people):
        props.append(Proposal("CN", c, "LDTT", row=len(props) + 2))
        if i % 4 == 0:
            props.append(Proposal("CN", c, "CSTDCS", votes=12 + i % 4, row=len(props) + 2))
        if i % 10 == 0:
            props.append(Proposal("CN", c, "CSTD_TINH", votes=14, achievement=f"A{i}", row=len(props) + 2))
    props += [Proposal("TT", u, "TTLDXS", row=len(props) + 2 + k) for k, u in enumerate(units)]
    codes = list(people)
    hist = [HistoryRecord(2024 - j % 3, "CN", codes[(j * 7) % len(codes)], "CSTDCS", achievement=f"A{j}") for j in range(int(n_people * 0.8))]
    return RulesInput(year=Y, round_date=dt.date(2025, 12, 15), units=units, people=people, collectives=cols,
                      proposals=proposals_cls(props), history=history_cls(hist))


def test_history_and_proposals_are_read_a_fixed_number_of_times():
    s = RuleSettings(council_members=15, legacy_nd91=True)
    reads = []
    for n in (100, 400):
        inp = block(n, Counting, Counting)
        rep = check(inp, s)
        assert rep.counts()[DAT] > 0
        reads.append((inp.history.n, inp.proposals.n))
    assert reads[0] == reads[1]  # not growing with the number of candidates
    assert reads[0][0] == 1  # the history is indexed once


def test_check_time_grows_linearly():
    s = RuleSettings(council_members=15, legacy_nd91=True)

    def best(n: int) -> float:
        inp = block(n)
        out = []
        for _ in range(3):
            t0 = time.perf_counter()
            check(inp, s)
            out.append(time.perf_counter() - t0)
        return min(out)

    best(200)  # warm
    small, large = best(1_500), best(6_000)
    assert large / small < 8, (small, large)  # 4× the people: linear ≈ 4×, quadratic ≈ 16×
