"""No decision by position: where a cut (a quota, the places of a title, the Cờ of a
block) falls inside a group of equals that the declared order cannot separate, every
one of them is "chờ quyết định" for the Chair or a vote (R-22) — hand-computed cases,
and a property: permuting the proposal rows never changes any candidate's outcome."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from xlpy.rules import (
    CHO_QUYET_DINH,
    DAT,
    KHONG_DAT,
    VUOT,
    Collective,
    HistoryRecord,
    Movement,
    Person,
    Proposal,
    RuleSettings,
    RulesInput,
    check,
)

Y = 2025
DAY = dt.date(2025, 12, 15)
BK_MULTIPLE = RuleSettings().with_overrides(bk_tt_multiple=Fraction(1))  # so Bằng khen has a reward to count


def by_code(rep, title: str = "BK_TINH") -> dict[str, object]:
    return {o.proposal.code: o for o in rep.outcomes if o.proposal.title == title}


def movement_round(votes: dict[str, int], collectives: int, chair: dict[str, int] | None = None) -> RulesInput:
    """Bằng khen chuyên đề in one movement: cap = ⌊10 % × collectives⌋ (Q-01a)."""
    codes = list(votes)
    cols = {c: Collective(c, f"Sở {c}", grade="HTXS", women_share=0.5) for c in codes}
    props = tuple(Proposal("TT", c, "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=votes[c],
                           chair_order=(chair or {}).get(c), row=i + 2) for i, c in enumerate(codes))
    return RulesInput(year=Y, round_date=DAY, units=tuple(codes), collectives=cols, proposals=props,
                      movements={"M": Movement("M", collectives=collectives)})


# ---- three equal at a cut of two --------------------------------------------------------------------------


def test_three_equal_for_two_places_all_await_the_chair():
    # cap ⌊10 % × 30⌋ = 3; D (12 votes) is strictly first; A, B, C (10 each) share the 2 places left; E (8) is out
    rep = check(movement_round({"A": 10, "B": 10, "C": 10, "D": 12, "E": 8}, collectives=30), BK_MULTIPLE)
    o = by_code(rep)
    assert {k: v.verdict for k, v in o.items()} == {"A": CHO_QUYET_DINH, "B": CHO_QUYET_DINH, "C": CHO_QUYET_DINH, "D": DAT, "E": VUOT}
    tie = ("2 suất cho 3 đề nghị bằng nhau: Sở A (A, 10 phiếu, dòng 2), Sở B (B, 10 phiếu, dòng 3), Sở C (C, 10 phiếu, dòng 4)"
           " — Chủ tịch Hội đồng quyết định (R-22) hoặc bỏ phiếu")
    for k in "ABC":
        assert o[k].fix.startswith(tie + "; thứ tự xét: ")
        assert o[k].rules == ["Q-01a"] and o[k].amount is None
        assert o[k].reasons == ["Bằng khen tập thể trong phong trào thi đua (Phong trào M): 2 suất cho 3 đề nghị bằng nhau "
                                "(Sở A, Sở B, Sở C), chờ Chủ tịch Hội đồng quyết định hoặc bỏ phiếu"]
    assert "xếp thứ 5/5 theo thứ tự xét, 8 phiếu, chỉ có 3 suất" in o["E"].fix
    q = next(q for q in rep.quotas if q.rule.id == "Q-01a")
    assert [p.code for p in q.kept] == ["D"] and sorted(p.code for p in q.tied) == ["A", "B", "C"] and q.places == 2
    assert [p.code for p in q.over] == ["E"]
    qv = next(v for v in rep.verdicts if v.section == "Tỷ lệ" and v.rule_id == "Q-01a")
    assert qv.verdict == VUOT
    assert tie in qv.fix and "Sở E (E, 8 phiếu, dòng 6)" in qv.fix
    # only the decided one is awarded: money and counts never include a pending candidate
    assert rep.counts() == {DAT: 1, KHONG_DAT: 0, VUOT: 1, CHO_QUYET_DINH: 3}
    assert [(m.title, m.count) for m in rep.money] == [("BK_TINH", 1)] and rep.money_total == 2_340_000
    assert "3 chờ quyết định" in rep.summary()


def test_equal_group_that_fits_is_kept_and_one_that_starts_at_the_cut_is_out():
    o = by_code(check(movement_round({"A": 10, "B": 10, "C": 9}, collectives=20)))  # cap 2: A, B fit whole
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict) == (DAT, DAT, VUOT)
    o = by_code(check(movement_round({"A": 12, "B": 12, "C": 10, "D": 10}, collectives=20)))  # cap 2: C, D start after it
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict, o["D"].verdict) == (DAT, DAT, VUOT, VUOT)
    assert "xếp thứ 3/4" in o["C"].fix and "xếp thứ 3/4" in o["D"].fix  # equals share a place


# ---- the declared order decides when it can ----------------------------------------------------------------


def test_chair_order_breaks_the_tie():
    o = by_code(check(movement_round({"A": 10, "B": 10, "C": 10}, collectives=20, chair={"A": 2, "B": 1, "C": 3})))
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict) == (DAT, DAT, VUOT)
    # the Chair ranked only A: A is in; B and C are still equal for the one place left
    o = by_code(check(movement_round({"A": 10, "B": 10, "C": 10}, collectives=20, chair={"A": 1})))
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict) == (DAT, CHO_QUYET_DINH, CHO_QUYET_DINH)
    assert o["B"].fix.startswith("1 suất cho 2 đề nghị bằng nhau: Sở B (B, 10 phiếu, dòng 3), Sở C (C, 10 phiếu, dòng 4)")
    # an order that leaves the Chair out does not read the Chair's column
    no_chair = RuleSettings(order=("PHIEU_BAU", "XEP_HANG", "TY_LE_NU"))
    o = by_code(check(movement_round({"A": 10, "B": 10, "C": 10}, collectives=20, chair={"A": 2, "B": 1, "C": 3}), no_chair))
    assert {v.verdict for v in o.values()} == {CHO_QUYET_DINH}


def test_votes_break_the_tie():
    o = by_code(check(movement_round({"A": 11, "B": 10, "C": 10}, collectives=20)))
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict) == (DAT, CHO_QUYET_DINH, CHO_QUYET_DINH)
    assert "1 suất cho 2 đề nghị bằng nhau" in o["B"].fix
    o = by_code(check(movement_round({"A": 11, "B": 10, "C": 9}, collectives=20)))
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict) == (DAT, DAT, VUOT)


def test_women_preference_breaks_the_tie_before_the_chair():
    inp = movement_round({"A": 10, "B": 10, "C": 10}, collectives=20)
    cols = dict(inp.collectives)
    cols["C"] = Collective("C", "Sở C", grade="HTXS", women_share=0.75)
    from dataclasses import replace

    o = by_code(check(replace(inp, collectives=cols)))
    assert (o["A"].verdict, o["B"].verdict, o["C"].verdict) == (CHO_QUYET_DINH, CHO_QUYET_DINH, DAT)
    assert o["A"].fix.startswith("1 suất cho 2 đề nghị bằng nhau")


# ---- the Cờ thi đua of a block when first place is shared --------------------------------------------------


def flag_round(chair: dict[str, int] | None = None, propose: tuple[str, ...] = ("U1", "U2")) -> RulesInput:
    cols = {
        "U1": Collective("U1", "Sở Một", grade="HTXS", rank=1, rank_tied=True, women_share=0.5),
        "U2": Collective("U2", "Sở Hai", grade="HTXS", rank=1, rank_tied=True, women_share=0.5),
        "U3": Collective("U3", "Sở Ba", grade="HTXS", rank=3, women_share=0.5),
    }
    props = []
    for i, u in enumerate(propose):
        props.append(Proposal("TT", u, "CO_TINH", votes=14, chair_order=(chair or {}).get(u), row=2 + i))
        props.append(Proposal("TT", u, "CO_CP", votes=14, row=10 + i))
    return RulesInput(year=Y, round_date=DAY, block_name="Khối A", units=("U1", "U2", "U3"), collectives=cols, proposals=tuple(props))


def test_shared_first_place_leaves_the_flag_to_the_chair():
    rep = check(flag_round(), RuleSettings(council_members=15))
    flags = by_code(rep, "CO_TINH")
    assert flags["U1"].verdict == flags["U2"].verdict == CHO_QUYET_DINH
    assert flags["U1"].fix.startswith("1 suất cho 2 đề nghị bằng nhau: Sở Một (U1, 14 phiếu, dòng 2), Sở Hai (U2, 14 phiếu, dòng 3)"
                                      " — Chủ tịch Hội đồng quyết định (R-22) hoặc bỏ phiếu")
    q = next(q for q in rep.quotas if q.rule.id == "Q-02")
    assert q.verdict == VUOT and q.places == 1 and sorted(p.code for p in q.tied) == ["U1", "U2"]
    # Cờ Chính phủ needs this year's Cờ tỉnh: it waits on the same decision, and nothing is paid
    gov = by_code(rep, "CO_CP")
    assert gov["U1"].verdict == gov["U2"].verdict == CHO_QUYET_DINH
    assert gov["U1"].reasons == ["Cờ thi đua cấp tỉnh năm 2025 đang chờ quyết định (đề nghị cùng đợt)"]
    assert rep.money_total == 0 and rep.money == []


def test_chair_order_decides_the_flag_and_what_depends_on_it():
    rep = check(flag_round(chair={"U1": 2, "U2": 1}), RuleSettings(council_members=15))
    flags, gov = by_code(rep, "CO_TINH"), by_code(rep, "CO_CP")
    assert (flags["U1"].verdict, flags["U2"].verdict) == (VUOT, DAT)
    assert (gov["U1"].verdict, gov["U2"].verdict) == (KHONG_DAT, DAT)
    assert gov["U1"].reasons == ["Chưa đạt Cờ thi đua cấp tỉnh năm 2025"]
    assert rep.money_total == 8 * 2_340_000 + 12 * 2_340_000


def test_only_one_of_the_co_leaders_proposed():
    rep = check(flag_round(propose=("U2",)), RuleSettings(council_members=15))
    flag = by_code(rep, "CO_TINH")["U2"]
    assert flag.verdict == DAT and "đồng hạng với Sở Một" in flag.numbers


# ---- a prerequisite left outside a quota or awaiting a decision ------------------------------------------------


def cstd_round(votes: tuple[int, ...]) -> RulesInput:
    people = {f"P{i}": Person(f"P{i}", f"Người {i}", "U1", grade="HTXS", initiative_level=2) for i in range(len(votes))}
    props, hist = [], []
    for i, v in enumerate(votes):
        c = f"P{i}"
        props += [Proposal("CN", c, "LDTT", row=3 * i + 2), Proposal("CN", c, "CSTDCS", votes=v, row=3 * i + 3),
                  Proposal("CN", c, "CSTD_TINH", votes=15, row=3 * i + 4)]
        hist += [HistoryRecord(y, "CN", c, "CSTDCS") for y in (2023, 2024)]
    return RulesInput(year=Y, round_date=DAY, units=("U1",), people=people, collectives={"U1": Collective("U1", "U1", ldtt=10)},
                      proposals=tuple(props), history=tuple(hist))


def test_a_cstdcs_over_the_legacy_cap_does_not_count_for_cstd_tinh():
    s = RuleSettings(legacy_nd91=True, council_members=15)  # CSTĐCS ≤ ⌊15 % × 10⌋ = 1 per unit
    rep = check(cstd_round((15, 13, 12)), s)
    cs, tinh = by_code(rep, "CSTDCS"), by_code(rep, "CSTD_TINH")
    assert [cs[c].verdict for c in ("P0", "P1", "P2")] == [DAT, VUOT, VUOT]
    assert [tinh[c].verdict for c in ("P0", "P1", "P2")] == [DAT, KHONG_DAT, KHONG_DAT]
    assert tinh["P1"].reasons == ["Chiến sĩ thi đua cơ sở liên tục đến năm 2025: không có năm nào, cần 3 năm (thiếu năm 2025)"]


def test_a_cstdcs_tied_at_the_cap_leaves_cstd_tinh_awaiting():
    rep = check(cstd_round((14, 14)), RuleSettings(legacy_nd91=True, council_members=15))
    cs, tinh = by_code(rep, "CSTDCS"), by_code(rep, "CSTD_TINH")
    assert cs["P0"].verdict == cs["P1"].verdict == CHO_QUYET_DINH
    assert tinh["P0"].verdict == tinh["P1"].verdict == CHO_QUYET_DINH
    assert tinh["P0"].reasons == ["Chiến sĩ thi đua cơ sở năm 2025 đang chờ quyết định (cần để đủ 3 năm liên tục)"]
    assert rep.counts()[DAT] == 2  # the two LĐTT


def test_candidates_awaiting_their_own_decision_still_hold_a_possible_place():
    """Cờ Chính phủ (legacy cap ⌊20 % × Cờ-tỉnh holders⌋): the candidates awaiting the
    Cờ-tỉnh decision compete; nobody else is decided while the result hangs on them."""
    from xlpy.rules.allocation import allot

    a, b, c = (Proposal("TT", k, "CO_CP", votes=v, row=i) for i, (k, v) in enumerate((("A", 15), ("B", 14), ("C", 13))))
    key = lambda p: -p.votes  # noqa: E731
    al = allot([a, b, c], {a.key}, 1, key)  # A awaits its own decision and is first
    assert (al.decided[a.key], al.decided[b.key], al.decided[c.key]) == (CHO_QUYET_DINH, CHO_QUYET_DINH, VUOT)
    al = allot([a, b, c], {c.key}, 1, key)  # the awaiting one is last: no effect on the others
    assert (al.decided[a.key], al.decided[b.key], al.decided[c.key]) == (DAT, VUOT, VUOT)


# ---- property: the rows' order never decides -----------------------------------------------------------------

TITLES_TT = ("BK_TINH", "CO_TINH", "TTLDXS")
CHAIR = st.sampled_from((None, None, None, None, 1, 2))  # the Chair's order: mostly not given, so equals are common


@st.composite
def rounds(draw):
    n = draw(st.integers(1, 9))
    codes = [f"U{i}" for i in range(n)]
    cols = {}
    for i, c in enumerate(codes):
        rank = draw(st.sampled_from((1, 1, 2)))
        cols[c] = Collective(c, f"Sở {i}", grade=draw(st.sampled_from(("HTXS", "HTXS", "HTT"))), members=10, completed=10,
                             ldtt=draw(st.integers(6, 14)), cstdcs=1, rank=rank, rank_tied=rank == 1 and draw(st.booleans()),
                             women_share=draw(st.sampled_from((0.2, 0.2, 0.8))))
    people = {f"P{i}": Person(f"P{i}", f"Người {i}", codes[i % 2 if n > 1 else 0], female=draw(st.booleans()), grade="HTXS")
              for i in range(draw(st.integers(0, 8)))}
    props = []
    for c in codes:
        for t in TITLES_TT:
            if draw(st.booleans()):
                props.append(Proposal("TT", c, t, kind="chuyen_de" if t == "BK_TINH" else "cong_trang", movement="M" if t == "BK_TINH" else "",
                                      outstanding=True, votes=draw(st.integers(12, 13)), chair_order=draw(CHAIR),
                                      achievement=draw(st.sampled_from(("", "", f"A-{c}")))))
    for p in people:
        props.append(Proposal("CN", p, "LDTT"))
        props.append(Proposal("CN", p, "CSTDCS", votes=draw(st.integers(12, 13)), chair_order=draw(CHAIR)))
    order = draw(st.permutations(range(len(props))))
    inp = RulesInput(year=Y, round_date=DAY, block_name="Khối A", units=tuple(codes), people=people, collectives=cols,
                     proposals=(), movements={"M": Movement("M", collectives=draw(st.integers(5, 25)))})
    s = RuleSettings(council_members=15, legacy_nd91=draw(st.booleans())).with_overrides(
        bk_tt_multiple=Fraction(1), co_tinh_per_block=draw(st.integers(1, 2)))
    return inp, props, order, s


def numbered(props: list[Proposal], order: list[int] | None = None) -> tuple[Proposal, ...]:
    """The proposals in ``order`` (default: as given), numbered as sheet rows from 2."""
    seq = props if order is None else [props[i] for i in order]
    return tuple(p._replace(row=i + 2) for i, p in enumerate(seq))


def _seen(rep, strip_rows: bool = False) -> dict:
    import re

    def t(x):
        return re.sub(r"dòng \d+(, \d+)*", "dòng …", x) if strip_rows else x

    return {(o.proposal.subject, o.proposal.code, o.proposal.title): (o.verdict, o.rules, t(o.numbers), t(o.fix), [t(r) for r in o.reasons], o.amount)
            for o in rep.outcomes}


def _quota_rows(rep, strip_rows: bool = False) -> list:
    import re

    def t(x):
        return re.sub(r"dòng \d+(, \d+)*", "dòng …", x) if strip_rows else x

    return sorted((v.rule_id, v.scope, v.verdict, t(v.numbers), t(v.fix)) for v in rep.verdicts if v.section == "Tỷ lệ")


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_permuting_the_proposal_rows_never_changes_an_outcome(case):
    inp, props, order, s = case
    from dataclasses import replace

    base = check(replace(inp, proposals=numbered(props)), s)
    # the same rows in another order in the input (each proposal keeps its row number): everything identical
    same_rows = numbered(props)
    shuffled = check(replace(inp, proposals=tuple(same_rows[i] for i in order)), s)
    assert _seen(shuffled) == _seen(base) and _quota_rows(shuffled) == _quota_rows(base)
    # the proposals moved to other rows of the sheet: only the row numbers quoted in the text may differ
    moved = check(replace(inp, proposals=numbered(props, order)), s)
    assert _seen(moved, strip_rows=True) == _seen(base, strip_rows=True)
    assert _quota_rows(moved, strip_rows=True) == _quota_rows(base, strip_rows=True)
    for rep in (shuffled, moved):
        assert rep.money_total == base.money_total and rep.counts() == base.counts()
