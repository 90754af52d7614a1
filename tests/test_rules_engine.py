"""Award standards, procedure rules and quotas: worked examples from the reference
(tdkt-domain.md §7) and cases derived from the rule texts (§2)."""

from __future__ import annotations

import datetime as dt

import pytest

from xlpy.rules import (
    CHO_QUYET_DINH,
    DAT,
    KHONG_DAT,
    VUOT,
    Collective,
    Discipline,
    HistoryRecord,
    Movement,
    Person,
    Proposal,
    RuleSettings,
    RulesInput,
    check,
    eligible,
)
from xlpy.rules.engine import active_rule_set
from xlpy.features import settings as declared_settings
from xlpy.rules.settings import from_values
from xlpy.schema.base import read_settings
from xlpy.core.problems import Problems

Y = 2025
DAY = dt.date(2025, 12, 15)


def cstdcs(code: str, *years: int, kind: str = "cong_trang") -> list[HistoryRecord]:
    return [HistoryRecord(y, "CN", code, "CSTDCS", kind) for y in years]


def outcome(report, code: str, title: str):
    return next(o for o in report.outcomes if o.proposal.code == code and o.proposal.title == title)


def rows(report, code: str, title: str, rule_id: str):
    return [v for v in report.verdicts if v.section == "Đề nghị" and v.code == code and v.title == title and v.rule_id == rule_id]


def with_cells(s: RuleSettings, **kw) -> RuleSettings:
    """Settings as if typed in the workbook (so they override rule-set values)."""
    return s.with_overrides(**kw)


# ---- §7 case 1: TTLĐXS -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ldtt, cstdcs_n, expected",
    [(7, 1, DAT), (6, 1, KHONG_DAT), (7, 0, KHONG_DAT)],
)
def test_ttldxs_reference_case_1(ldtt, cstdcs_n, expected):
    v = eligible("TTLDXS", year=Y, grade="HTXS", members=9, completed=9, ldtt=ldtt, cstdcs=cstdcs_n)
    assert v.verdict == expected
    assert "R-05" in v.rule_id
    assert "Điều 27" in v.citation and "06/2022/QH15" in v.citation
    if ldtt == 7:
        assert "7/9 = 77,8%" in v.numbers
    if ldtt == 6:
        assert "6/9 = 66,7%" in v.numbers
        assert v.fix == "cần ít nhất 7 LĐTT trên 9 thành viên (thiếu 1)"
    if cstdcs_n == 0:
        assert "cần ít nhất 1 cá nhân đạt CSTĐCS" in v.fix


def test_ttldxs_needs_every_member_completing_tasks():
    v = eligible("TTLDXS", year=Y, grade="HTXS", members=9, completed=8, ldtt=7, cstdcs=1)
    assert v.verdict == KHONG_DAT
    assert "còn 1 thành viên chưa hoàn thành nhiệm vụ" in v.fix


def test_ttldxs_needs_unit_rated_excellent():
    v = eligible("TTLDXS", year=Y, grade="HTT", members=9, completed=9, ldtt=9, cstdcs=2)
    assert v.verdict == KHONG_DAT
    assert "xếp loại HTT" in v.numbers


def test_ttldxs_discipline_clause_is_an_optional_setting():
    facts = dict(grade="HTXS", members=10, completed=10, ldtt=8, cstdcs=1, disciplined=1)
    assert eligible("TTLDXS", year=Y, **facts).verdict == DAT  # Luật 2022 dropped the clause
    s = RuleSettings(ttldxs_discipline_clause=True)
    assert eligible("TTLDXS", year=Y, settings=s, **facts).verdict == KHONG_DAT


def test_exact_ratio_at_the_boundary():
    # 7 of 10 is exactly 70%: passes; 0.7 as a float product would be fragile
    assert eligible("TTLDTT", year=Y, grade="HTT", members=10, ldtt=7).verdict == DAT
    assert eligible("TTLDTT", year=Y, grade="HTT", members=10, ldtt=6).verdict == KHONG_DAT
    # 70% of 23 = 16.1 → at least 17
    v = eligible("TTLDTT", year=Y, grade="HTT", members=23, ldtt=16)
    assert v.verdict == KHONG_DAT and "ít nhất 17" in v.fix


# ---- §7 case 2: TTLĐTT discipline ------------------------------------------------------------------------


def test_ttldtt_reference_case_2_discipline_clause():
    v = eligible("TTLDTT", year=Y, grade="HTT", members=10, ldtt=7, disciplined=1)
    assert v.verdict == KHONG_DAT
    assert "R-06" in v.rule_id
    assert "1 thành viên bị kỷ luật từ cảnh cáo" in v.numbers
    assert eligible("TTLDTT", year=Y, grade="HTT", members=10, ldtt=7, disciplined=0).verdict == DAT


def test_ttldtt_threshold_is_a_setting():
    s = with_cells(RuleSettings(), ttldtt_min_ldtt_pct=50)
    assert eligible("TTLDTT", year=Y, grade="HTT", members=10, ldtt=6, settings=s).verdict == DAT


# ---- §7 case 3: CSTĐ cấp tỉnh ------------------------------------------------------------------------------


def test_cstd_tinh_reference_case_3_three_consecutive_years():
    ok = eligible("CSTD_TINH", year=2024, grade="HTXS", initiative_level=2, history=cstdcs("", 2022, 2023, 2024))
    assert ok.verdict == DAT
    assert "CSTĐCS liên tục 3 năm (2022–2024)" in ok.numbers
    assert "Điều 22" in ok.citation
    gap = eligible("CSTD_TINH", year=2024, grade="HTXS", initiative_level=2, history=cstdcs("", 2022, 2024))
    assert gap.verdict == KHONG_DAT
    assert "thiếu năm 2023" in gap.fix


def test_cstd_tinh_needs_provincial_initiative():
    v = eligible("CSTD_TINH", year=2024, grade="HTXS", initiative_level=1, history=cstdcs("", 2022, 2023, 2024))
    assert v.verdict == KHONG_DAT
    assert "sáng kiến cấp Cơ sở" in v.numbers


def test_cstd_tinh_counts_this_years_cstdcs_proposed_in_the_same_round():
    v = eligible(
        "CSTD_TINH", year=2025, grade="HTXS", initiative_level=2,
        history=cstdcs("", 2023, 2024), also_proposed=["LDTT", "CSTDCS"],
    )
    assert v.verdict == DAT


def test_streak_end_setting_allows_run_ending_last_year():
    h = cstdcs("", 2022, 2023, 2024)
    assert eligible("CSTD_TINH", year=2025, grade="HTT", initiative_level=2, history=h).verdict == KHONG_DAT
    s = RuleSettings(streak_end="year_or_previous")
    assert eligible("CSTD_TINH", year=2025, grade="HTT", initiative_level=2, history=h, settings=s).verdict == DAT


def test_special_awards_do_not_count_as_prerequisites_r18():
    h = cstdcs("", 2022, 2024) + cstdcs("", 2023, kind="dot_xuat")
    v = eligible("CSTD_TINH", year=2024, grade="HTXS", initiative_level=2, history=h)
    assert v.verdict == KHONG_DAT
    assert "không tính đột xuất 2023 (R-18)" in v.numbers


# ---- §7 case 4: discipline ------------------------------------------------------------------------------------


def test_discipline_reference_case_4_achievements_count_from_end_date():
    disc = Discipline(0, dt.date(2024, 7, 1), dt.date(2025, 6, 30))  # khiển trách ending 30/06/2025
    person = Person("A", "Nguyễn Văn A", "SNV", grade="HTXS", discipline=disc)
    inp = RulesInput(
        year=2025, round_date=DAY, units=("SNV",), people={"A": person},
        proposals=(Proposal("CN", "A", "LDTT", row=2), Proposal("CN", "A", "BK_TINH", row=3)),
        history=tuple(cstdcs("A", 2023, 2024)),
    )
    rep = check(inp)
    r16 = rows(rep, "A", "LDTT", "R-16")[0]
    assert r16.verdict == KHONG_DAT
    assert "thành tích chỉ tính từ 01/07/2025" in r16.numbers
    assert "Điều 4 khoản 4" in r16.citation and "152/2025" in r16.citation
    # the 2023–2024 CSTĐCS years fall before 01/07/2025 and no longer count for Bằng khen
    bk = outcome(rep, "A", "BK_TINH")
    assert bk.verdict == KHONG_DAT
    assert "chỉ tính từ 01/07/2025 do kỷ luật" in bk.numbers


def test_discipline_in_force_on_round_date_bars_everything():
    disc = Discipline(1, dt.date(2025, 3, 1), dt.date(2026, 2, 28))
    v = eligible("GIAY_KHEN", year=2025, round_date=DAY, grade="HTT", outstanding=True, discipline=disc)
    assert v.verdict == KHONG_DAT and "R-16" in v.rule_id
    assert "đang trong thời hạn kỷ luật" in v.numbers


def test_discipline_ended_before_the_year_does_not_bar():
    disc = Discipline(0, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    v = eligible("LDTT", year=2025, round_date=DAY, grade="HTT", discipline=disc)
    assert v.verdict == DAT


def test_under_investigation_bars():
    v = eligible("LDTT", year=2025, grade="HTXS", under_review=True)
    assert v.verdict == KHONG_DAT and "đang bị điều tra" in v.numbers


# ---- §7 case 5: council votes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("title, votes, expected", [
    ("CSTDCS", 12, DAT), ("CSTDCS", 11, KHONG_DAT), ("CSTD_TINH", 14, DAT), ("CSTD_TINH", 13, KHONG_DAT),
])
def test_vote_thresholds_reference_case_5(title, votes, expected):
    s = RuleSettings(council_members=15)
    facts = dict(grade="HTXS", initiative_level=2, history=cstdcs("", 2023, 2024, 2025) if title == "CSTD_TINH" else (),
                 also_proposed=["LDTT"] if title == "CSTDCS" else [])
    # the ND 98/2023 regime, where the 80%/90% thresholds are verified
    v = eligible(title, year=2025, round_date=dt.date(2025, 3, 1), votes=votes, settings=s, **facts)
    assert v.verdict == expected
    if expected == KHONG_DAT:
        assert "R-20" in v.rule_id
        need = 12 if title == "CSTDCS" else 14
        assert f"cần ≥ {need} = làm tròn lên {'80' if title == 'CSTDCS' else '90'}% × 15" in v.numbers
        assert "Điều 30 khoản 7" in v.citation and "98/2023" in v.citation


def test_missing_votes_when_council_size_known():
    v = eligible("CSTDCS", year=2025, grade="HTXS", settings=RuleSettings(council_members=15), also_proposed=["LDTT"])
    assert v.verdict == KHONG_DAT and "chưa nhập số phiếu" in v.numbers


# ---- title standards from the rule texts -------------------------------------------------------------------------


def test_ldtt_needs_good_grade():
    assert eligible("LDTT", year=Y, grade="HTT").verdict == DAT
    v = eligible("LDTT", year=Y, grade="HT")
    assert v.verdict == KHONG_DAT and "Điều 24 khoản 1" in v.citation


def test_cstdcs_needs_ldtt_and_htxs_or_initiative():
    assert eligible("CSTDCS", year=Y, grade="HTXS", also_proposed=["LDTT"]).verdict == DAT
    assert eligible("CSTDCS", year=Y, grade="HTT", initiative_level=1, also_proposed=["LDTT"]).verdict == DAT
    v = eligible("CSTDCS", year=Y, grade="HTT", also_proposed=["LDTT"])
    assert v.verdict == KHONG_DAT and "đáp ứng một trong" in v.fix
    no_ldtt = eligible("CSTDCS", year=Y, grade="HTXS")
    assert no_ldtt.verdict == KHONG_DAT and "LĐTT năm 2025: chưa có" in no_ldtt.numbers


def test_bang_khen_individual_paths():
    assert eligible("BK_TINH", subject="CN", year=Y, grade="HTT", history=cstdcs("", 2024, 2025)).verdict == DAT
    h = [HistoryRecord(2024, "CN", "", "HTXS", "xep_loai")]
    assert eligible("BK_TINH", subject="CN", year=Y, grade="HTXS", initiatives=2, history=h).verdict == DAT
    assert eligible("BK_TINH", subject="CN", year=Y, grade="HTXS", initiatives=1, history=h).verdict == KHONG_DAT
    assert eligible("BK_TINH", subject="CN", year=Y, grade="HTT", outstanding=True).verdict == DAT


def test_bang_khen_collective_paths():
    h = [HistoryRecord(2024, "TT", "", "HTXS", "xep_loai")]
    assert eligible("BK_TINH", subject="TT", year=Y, grade="HTXS", history=h).verdict == DAT
    assert eligible("BK_TINH", subject="TT", year=Y, grade="HTXS").verdict == KHONG_DAT
    v = eligible("BK_TINH", subject="TT", year=Y, grade="HTXS", members=9, completed=9, ldtt=7, cstdcs=1, also_proposed=["TTLDXS"])
    assert v.verdict == DAT and "TTLĐXS năm 2025: đề nghị cùng đợt" in v.numbers


def test_co_tinh_only_for_block_leader():
    assert eligible("CO_TINH", year=Y, grade="HTXS", rank=1).verdict == DAT
    v = eligible("CO_TINH", year=Y, grade="HTXS", rank=2)
    assert v.verdict == KHONG_DAT and "hạng 2 trong khối" in v.numbers
    # first place shared with units this single check cannot see: awaiting the council, never "đạt" by position
    tied = eligible("CO_TINH", year=Y, grade="HTXS", rank=1, rank_tied=True)
    assert tied.verdict == CHO_QUYET_DINH
    assert tied.reasons == ("Đồng hạng 1 trong khối chưa phân định: chờ Hội đồng quyết định đơn vị dẫn đầu",)


def test_co_chinh_phu_chosen_among_provincial_flag_holders():
    assert eligible("CO_CP", year=Y, grade="HTXS", rank=1, also_proposed=["CO_TINH"]).verdict == DAT
    assert eligible("CO_CP", year=Y, grade="HTXS", rank=2, also_proposed=["CO_TINH"]).verdict == KHONG_DAT


def test_giay_khen():
    assert eligible("GIAY_KHEN", subject="CN", year=Y, grade="HTT", outstanding=True).verdict == DAT
    assert eligible("GIAY_KHEN", subject="CN", year=Y, grade="HTT").verdict == KHONG_DAT


def test_title_not_for_that_subject():
    v = eligible("TTLDXS", subject="CN", year=Y, grade="HTXS")
    assert v.verdict == KHONG_DAT


# ---- one achievement, one award ---------------------------------------------------------------------------------


def test_one_achievement_one_award_r15():
    inp = RulesInput(
        year=Y, round_date=DAY, units=("SNV",), people={"A": Person("A", "A", "SNV", grade="HTT")},
        proposals=(
            Proposal("CN", "A", "GIAY_KHEN", outstanding=True, achievement="TT-01", row=2),
            Proposal("CN", "A", "BK_TINH", outstanding=True, achievement="TT-01", row=3),
            Proposal("CN", "A", "GIAY_KHEN", outstanding=True, achievement="TT-02", row=4),
        ),
        history=(HistoryRecord(2024, "CN", "A", "GIAY_KHEN", achievement="TT-02", decision="QĐ 12/QĐ-UBND"),),
    )
    rep = check(inp)
    # the same achievement proposed twice: BOTH rows fail R-15 (which to keep is the officer's
    # choice; the sheet's order, or the order titles are evaluated in, never decides it)
    for o in (outcome(rep, "A", "GIAY_KHEN"), outcome(rep, "A", "BK_TINH")):
        if o.proposal.row == 4:
            continue
        assert o.verdict == KHONG_DAT and o.rules == ["R-15"]
        assert "dòng 2: Giấy khen; dòng 3: Bằng khen của Chủ tịch UBND tỉnh" in o.numbers
        assert o.fix == "giữ một đề nghị, bỏ các đề nghị còn lại (dòng 2, 3)"
        assert o.reasons == ["Một thành tích chỉ khen một lần, một hình thức: thành tích “TT-01” được đề nghị 2 lần trong đợt "
                             "(dòng 2: Giấy khen; dòng 3: Bằng khen của Chủ tịch UBND tỉnh)"]
    row4 = next(o for o in rep.outcomes if o.proposal.row == 4)
    assert row4.verdict == KHONG_DAT and "QĐ 12/QĐ-UBND" in row4.numbers
    assert row4.reasons == ["Một thành tích chỉ khen một lần, một hình thức: thành tích “TT-02” đã được khen Giấy khen năm 2024 (QĐ 12/QĐ-UBND)"]
    assert rep.money_total == 0


# ---- quotas in a round ------------------------------------------------------------------------------------------


def _block(n_units: int = 8, **kw) -> RulesInput:
    units = tuple(f"U{i}" for i in range(1, n_units + 1))
    cols = {u: Collective(u, f"Đơn vị {i}", grade="HTXS", members=10, completed=10, ldtt=8, cstdcs=1, rank=i, women_share=0.5)
            for i, u in enumerate(units, start=1)}
    return RulesInput(year=Y, round_date=DAY, block_name="Khối A", units=units, collectives=cols, **kw)


def test_one_flag_per_block_q02():
    inp = _block(proposals=(Proposal("TT", "U1", "CO_TINH", row=2), Proposal("TT", "U2", "CO_TINH", row=3)))
    rep = check(inp)
    assert outcome(rep, "U1", "CO_TINH").verdict == DAT
    assert outcome(rep, "U2", "CO_TINH").verdict == KHONG_DAT  # not the leader: fails the standard first
    q = next(q for q in rep.quotas if q.rule.id == "Q-02")
    assert (q.cap.value, q.used, q.remaining) == (1, 1, 0)


def test_movement_cap_37_collectives_floor_and_ceil_reference_case_8():
    props = tuple(Proposal("TT", f"U{i}", "BK_TINH", kind="chuyen_de", movement="Chuyển đổi số", outstanding=True, votes=20 - i, row=i + 1)
                  for i in range(1, 6))
    inp = _block(proposals=props, movements={"Chuyển đổi số": Movement("Chuyển đổi số", collectives=37, individuals=400)})
    rep = check(inp)
    q = next(q for q in rep.quotas if q.rule.id == "Q-01a")
    assert q.cap.value == 3
    assert q.cap.explain() == "tối đa 3 = làm tròn xuống 10% × 37 (3,7)"
    assert [p.code for p in q.over] == ["U4", "U5"]  # fewest votes fall outside
    assert outcome(rep, "U4", "BK_TINH").verdict == VUOT
    qv = next(v for v in rep.verdicts if v.section == "Tỷ lệ" and v.rule_id == "Q-01a")
    assert qv.verdict == VUOT
    assert "5 đề nghị (5 đạt tiêu chuẩn), tối đa 3 = làm tròn xuống 10% × 37 (3,7)" in qv.numbers
    assert "Đơn vị 4 (U4, 16 phiếu, dòng 5), Đơn vị 5 (U5, 15 phiếu, dòng 6)" in qv.fix and "Cần Thơ" in qv.citation
    ceil = check(inp, RuleSettings(cap_rounding="ceil"))
    q = next(q for q in ceil.quotas if q.rule.id == "Q-01a")
    assert q.cap.value == 4 and [p.code for p in q.over] == ["U5"]


def test_over_quota_order_votes_then_women_then_chair():
    # equal votes: the collective with ≥70% women goes first; then the chair decides
    cols = {
        "A": Collective("A", "A", grade="HTXS", women_share=0.5),
        "B": Collective("B", "B", grade="HTXS", women_share=0.75),
        "C": Collective("C", "C", grade="HTXS", women_share=0.5),
    }
    props = (
        Proposal("TT", "A", "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=10, row=2),
        Proposal("TT", "B", "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=10, row=3),
        Proposal("TT", "C", "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=12, row=4),
    )
    inp = RulesInput(year=Y, round_date=DAY, units=("A", "B", "C"), collectives=cols, proposals=props,
                     movements={"M": Movement("M", collectives=20)})
    rep = check(inp)  # cap: floor(10% × 20) = 2
    assert [o.proposal.code for o in rep.outcomes if o.verdict == DAT] == ["B", "C"]
    # now equal in everything except the chair's order
    cols2 = {k: Collective(k, k, grade="HTXS", women_share=0.5) for k in "ABC"}
    props2 = tuple(Proposal("TT", k, "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=10, chair_order=o, row=i + 2)
                   for i, (k, o) in enumerate((("A", 3), ("B", 1), ("C", 2))))
    rep2 = check(RulesInput(year=Y, round_date=DAY, units=tuple("ABC"), collectives=cols2, proposals=props2,
                            movements={"M": Movement("M", collectives=20)}))
    assert outcome(rep2, "A", "BK_TINH").verdict == VUOT
    # fully equal: reported as a tie at the cut for the chair to decide
    props3 = tuple(Proposal("TT", k, "BK_TINH", kind="chuyen_de", movement="M", outstanding=True, votes=10, row=i + 2) for i, k in enumerate("ABC"))
    rep3 = check(RulesInput(year=Y, round_date=DAY, units=tuple("ABC"), collectives=cols2, proposals=props3,
                            movements={"M": Movement("M", collectives=20)}))
    q = rep3.quotas[-1]
    assert {p.code for p in q.tied} == {"A", "B", "C"}
    assert "Chủ tịch Hội đồng quyết định (R-22)" in outcome(rep3, "C", "BK_TINH").fix


def test_htxs_evaluation_cap_q04():
    cols = {
        "A": Collective("A", "Sở A", htxs=3, htt=12),  # cap floor(20% × 12) = 2 → over
        "B": Collective("B", "Sở B", htxs=3, htt=12, outstanding_unit=True),  # cap 25% × 12 = 3 → ok
    }
    rep = check(RulesInput(year=Y, round_date=DAY, units=("A", "B"), collectives=cols))
    q = {v.scope: v for v in rep.verdicts if v.rule_id == "Q-04"}
    assert q["Đơn vị Sở A"].verdict == VUOT
    assert "tối đa 2 = làm tròn xuống 20% × 12 (2,4)" in q["Đơn vị Sở A"].numbers
    assert q["Đơn vị Sở A"].fix == "giảm 1 người xếp loại HTXS (tối đa 2)"
    assert q["Đơn vị Sở B"].verdict == DAT
    assert "366-QĐ/TW" in q["Đơn vị Sở B"].citation


def test_legacy_nd91_presets_are_off_by_default():
    people = {f"P{i}": Person(f"P{i}", unit="U1", grade="HTXS") for i in range(3)}
    cols = {"U1": Collective("U1", "U1", ldtt=10)}
    props = []
    for i in range(3):
        props += [Proposal("CN", f"P{i}", "LDTT", row=2 * i + 2), Proposal("CN", f"P{i}", "CSTDCS", votes=15 - i, row=2 * i + 3)]
    inp = RulesInput(year=Y, round_date=DAY, units=("U1",), people=people, collectives=cols, proposals=tuple(props))
    assert all(o.verdict == DAT for o in check(inp).outcomes)
    rep = check(inp, RuleSettings(legacy_nd91=True))  # CSTĐCS ≤ floor(15% × 10) = 1
    assert [o.proposal.code for o in rep.outcomes if o.proposal.title == "CSTDCS" and o.verdict == DAT] == ["P0"]
    q = next(q for q in rep.quotas if q.rule.id == "R-01b")
    assert "91/2017" in q.rule.citation and "Điều 9" in q.rule.citation


def test_block_bang_khen_cap_only_when_configured():
    props = tuple(Proposal("TT", f"U{i}", "BK_TINH", outstanding=True, row=i + 1) for i in range(1, 5))
    inp = _block(n_units=10, proposals=props)
    assert not [q for q in check(inp).quotas if q.rule.id == "Q-03"]
    s = with_cells(RuleSettings(), bk_block_pct=25)
    q = next(q for q in check(inp, s).quotas if q.rule.id == "Q-03")
    assert q.cap.value == 2 and [p.code for p in q.over] == ["U3", "U4"]  # by block rank (no votes)


# ---- rule-set switching by round date -------------------------------------------------------------------------------


def test_round_date_switches_rule_set():
    s = RuleSettings()
    assert active_rule_set(dt.date(2025, 6, 30), s).id == "ND98-2023"
    assert active_rule_set(dt.date(2025, 7, 1), s).id == "ND152-2025"
    disc = Discipline(0, dt.date(2024, 6, 1), dt.date(2025, 3, 1))
    kw = dict(year=2025, grade="HTT", discipline=disc)
    before = eligible("LDTT", round_date=dt.date(2025, 6, 30), **kw)
    after = eligible("LDTT", round_date=dt.date(2025, 7, 1), **kw)
    assert before.verdict == after.verdict == KHONG_DAT and before.rule_id == after.rule_id == "R-16"
    assert "Nghị định 98/2023" in before.citation and "chưa xác minh" in before.citation
    assert after.citation == "Điều 4 khoản 4 Nghị định 152/2025/NĐ-CP [đã xác minh]"
    # votes: verified under ND 98, a documented setting under ND 152
    v98 = eligible("CSTDCS", year=2025, round_date=dt.date(2025, 6, 30), grade="HTXS", also_proposed=["LDTT"], votes=11,
                   settings=RuleSettings(council_members=15))
    v152 = eligible("CSTDCS", year=2025, round_date=dt.date(2025, 7, 1), grade="HTXS", also_proposed=["LDTT"], votes=11,
                    settings=RuleSettings(council_members=15))
    assert v98.citation.endswith("[đã xác minh]") and v152.citation.endswith("[chưa xác minh]")
    with pytest.raises(LookupError):
        active_rule_set(dt.date(2023, 12, 31), s)


def test_transition_override_and_money_follows_set():
    s = RuleSettings(rule_set="ND98-2023")
    assert active_rule_set(dt.date(2025, 8, 1), s).id == "ND98-2023"


def test_settings_sheet_contradictions_and_bad_percent():
    grid = [
        ["Khóa", "Giá trị"],
        ["Ngày xét", "31/02/2025"],
        ["Tỷ lệ phiếu CSTĐ cấp tỉnh (%)", 70],
        ["Tỷ lệ phiếu CSTĐCS, Cờ thi đua (%)", 80],
        ["Tỷ lệ Bằng khen tập thể theo phong trào (%)", 110],
        ["Số Cờ thi đua tối đa mỗi khối", 1],
        ["Số Cờ thi đua tối đa mỗi khối", 2],
        ["Làm tròn số tối đa", "Làm tròn lên"],
    ]
    problems = Problems()
    s = from_values(read_settings(grid, declared_settings(), "Cài đặt", problems), problems)
    found = {(p.code, p.cell) for p in problems}
    assert ("bad_date", "B2") in found
    assert ("contradictory_setting", "B3") in found
    assert ("above_max", "B5") in found  # a percentage over 100, like every percentage setting
    assert ("duplicate_setting", "A7") in found  # a key typed twice, whichever feature owns it
    assert s.cap_rounding == "ceil"
    assert s.co_tinh_per_block == 1
