"""Plain reasons for signed documents: one sentence per unmet condition (the
criterion and the missing figure), never the checker's concatenated text or the
verification label; and the legal basis without that label."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlpy.rules import (
    DAT,
    KHONG_DAT,
    VUOT,
    Collective,
    Discipline,
    HistoryRecord,
    Movement,
    Proposal,
    RuleSettings,
    RulesInput,
    check,
    eligible,
    get_rule_set,
)

Y = 2025


def cstdcs(*years: int) -> list[HistoryRecord]:
    return [HistoryRecord(y, "CN", "", "CSTDCS") for y in years]


@pytest.mark.parametrize("kw, reasons", [
    # §7 case 1: 6 of 9 LĐTT, 70 % of 9 = 6,3 → at least 7
    (dict(title="TTLDXS", grade="HTXS", members=9, completed=9, ldtt=6, cstdcs=1),
     ["Tỷ lệ lao động tiên tiến: 6/9 (66,7%), cần ít nhất 7"]),
    # every unmet condition of the standard, in the rule's order
    (dict(title="TTLDXS", grade="HTT", members=9, completed=8, ldtt=6, cstdcs=0),
     ["Xếp loại tập thể năm 2025: Hoàn thành tốt nhiệm vụ, cần Hoàn thành xuất sắc nhiệm vụ",
      "Tỷ lệ hoàn thành nhiệm vụ: 8/9 (88,9%), cần 9/9 (100%)",
      "Tỷ lệ lao động tiên tiến: 6/9 (66,7%), cần ít nhất 7",
      "Số chiến sĩ thi đua cơ sở: 0, cần ít nhất 1"]),
    # §7 case 5: 80 % of all 15 members = 12 votes
    (dict(title="CSTDCS", grade="HTXS", votes=11, also_proposed=["LDTT"], settings=RuleSettings(council_members=15),
          round_date=dt.date(2025, 3, 1)),
     ["Chưa đủ số phiếu đồng ý: 11/15, cần 12"]),
    (dict(title="CSTDCS", grade="HTXS", also_proposed=["LDTT"], settings=RuleSettings(council_members=15)),
     ["Chưa có số phiếu đồng ý của Hội đồng, cần 12/15"]),
    # an "any" group: one sentence listing the alternatives
    (dict(title="CSTDCS", grade="HTT", also_proposed=["LDTT"]),
     ["Cần một trong các điều kiện sau: (1) Xếp loại năm 2025: Hoàn thành tốt nhiệm vụ, cần Hoàn thành xuất sắc nhiệm vụ; "
      "(2) Sáng kiến được công nhận: chưa có, cần cấp Cơ sở trở lên"]),
    (dict(title="CSTDCS", grade="HTXS"), ["Chưa đạt Lao động tiên tiến năm 2025"]),
    # §7 case 3: CSTĐCS 2022 and 2024 only — the run ending 2024 is 1 year, 2023 missing
    (dict(title="CSTD_TINH", year=2024, grade="HTXS", initiative_level=1, history=cstdcs(2022, 2024)),
     ["Chiến sĩ thi đua cơ sở liên tục đến năm 2024: 1 năm (2024), cần 3 năm (thiếu năm 2023)",
      "Sáng kiến được công nhận: cấp Cơ sở, cần cấp Tỉnh trở lên"]),
    (dict(title="GIAY_KHEN", grade="HTT", outstanding=True, round_date=dt.date(2025, 12, 15),
          discipline=Discipline(1, dt.date(2025, 3, 1), dt.date(2026, 2, 28))),
     ["Đang trong thời hạn kỷ luật cảnh cáo (01/03/2025 – 28/02/2026) vào ngày xét 15/12/2025"]),
    # §7 case 4: discipline ended 30/06/2025, achievements count from 01/07/2025
    (dict(title="LDTT", grade="HTT", round_date=dt.date(2025, 12, 15), discipline=Discipline(0, dt.date(2024, 7, 1), dt.date(2025, 6, 30))),
     ["Thành tích chỉ tính từ 01/07/2025 (sau thời hạn kỷ luật khiển trách): danh hiệu năm 2025 cần thành tích cả năm"]),
    (dict(title="LDTT", grade="HTXS", under_review=True),
     ["Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm hoặc đang xem xét khiếu nại, tố cáo"]),
    (dict(title="LDTT"), ["Chưa có xếp loại năm 2025"]),
    # §7 case 2
    (dict(title="TTLDTT", grade="HTT", members=10, ldtt=7, disciplined=1),
     ["Số thành viên bị kỷ luật từ cảnh cáo trở lên trong năm: 1, cần không có"]),
    (dict(title="TTLDTT", grade="HTT"), ["Chưa có số thành viên và số lao động tiên tiến của tập thể"]),
    (dict(title="CO_TINH", grade="HTXS", rank=2), ["Xếp hạng thi đua trong khối: hạng 2, cần dẫn đầu khối (hạng 1)"]),
    (dict(title="TTLDXS", subject="CN", grade="HTXS"), ["Cá nhân không thuộc đối tượng của Tập thể lao động xuất sắc"]),
    (dict(title="TTLDXS", grade="HTXS", members=9, completed=9, ldtt=7, cstdcs=1), []),
])
def test_reasons_are_plain_sentences(kw, reasons):
    kw = dict(kw)
    title = kw.pop("title")
    kw.setdefault("year", Y)
    v = eligible(title, **kw)
    assert list(v.reasons) == reasons
    assert v.verdict == (DAT if not reasons else KHONG_DAT)


def test_outcome_reasons_and_legal_basis_in_a_round():
    cols = {f"U{i}": Collective(f"U{i}", f"Đơn vị {i}", grade="HTXS", members=9, completed=9, ldtt=7 if i != 2 else 6, cstdcs=1)
            for i in range(1, 7)}
    props = [Proposal("TT", "U1", "TTLDXS", row=2), Proposal("TT", "U2", "TTLDXS", row=3)]
    props += [Proposal("TT", f"U{i}", "BK_TINH", kind="chuyen_de", movement="Chuyển đổi số", outstanding=True, votes=20 - i, row=i + 3)
              for i in range(1, 6)]
    inp = RulesInput(year=Y, round_date=dt.date(2025, 12, 15), units=tuple(cols), collectives=cols, proposals=tuple(props),
                     movements={"Chuyển đổi số": Movement("Chuyển đổi số", collectives=37)})
    rep = check(inp)
    by = {(o.proposal.code, o.proposal.title): o for o in rep.outcomes}
    ok, bad = by[("U1", "TTLDXS")], by[("U2", "TTLDXS")]
    assert ok.verdict == DAT and ok.reasons == []
    assert bad.verdict == KHONG_DAT and bad.reasons == ["Tỷ lệ lao động tiên tiến: 6/9 (66,7%), cần ít nhất 7"]
    # the compliance sheet keeps the label; documents get the basis without it
    assert bad.citation == "Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15 [đã xác minh]"
    assert bad.legal_basis == ok.legal_basis == "Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15"
    over = by[("U4", "BK_TINH")]  # ⌊10 % × 37⌋ = 3 places; 16 votes is 4th of 5
    assert over.verdict == VUOT
    assert over.reasons == ["Bằng khen tập thể trong phong trào thi đua (Phong trào Chuyển đổi số): xếp thứ 4/5 theo thứ tự xét, chỉ có 3 suất"]
    assert over.legal_basis == "Điều 9 khoản 2 điểm a Quyết định 10/2024/QĐ-UBND thành phố Cần Thơ (dẫn tại KH 157/KH-UBND ngày 18/11/2025)"
    d = bad.to_dict()
    assert d["reasons"] == bad.reasons and d["legal_basis"] == bad.legal_basis and d["citation"] == bad.citation
    assert rep.to_dict()["candidates"][1]["reasons"] == bad.reasons
    conclusion = next(v for v in rep.verdicts if v.section == "Kết luận" and v.row == 3)
    assert list(conclusion.reasons) == bad.reasons and conclusion.to_dict()["reasons"] == bad.reasons


def test_every_rule_has_a_legal_basis_without_its_label():
    for rs in (get_rule_set("ND152-2025"), get_rule_set("ND98-2023"), get_rule_set("ND91-2017")):
        for r in rs.rules:
            assert r.legal_basis and "[" not in r.legal_basis
            assert r.citation == f"{r.legal_basis} [{ {'V': 'đã xác minh', 'V-2nd': 'xác minh qua nguồn thứ cấp', 'UNVERIFIED': 'chưa xác minh'}[r.verification]}]"
    r16 = get_rule_set("ND152-2025").rule("R-16")
    assert r16.legal_basis == "Điều 4 khoản 4 Nghị định 152/2025/NĐ-CP"
    assert get_rule_set("ND98-2023").rule("R-16").legal_basis == "Nghị định 98/2023/NĐ-CP (nguyên tắc khen thưởng) (số điều chưa xác minh)"


@given(st.sampled_from(["HTXS", "HTT", "HT", None]), st.integers(1, 40), st.data())
def test_one_reason_per_unmet_condition_and_no_checker_text(grade, members, data):
    completed = data.draw(st.integers(0, members))
    ldtt = data.draw(st.integers(0, members))
    n_cs = data.draw(st.integers(0, 2))
    v = eligible("TTLDXS", year=Y, grade=grade, members=members, completed=completed, ldtt=ldtt, cstdcs=n_cs)
    unmet = [grade != "HTXS", completed < members, ldtt * 10 < 7 * members, n_cs < 1]
    assert len(v.reasons) == sum(unmet)
    assert (v.verdict == DAT) == (not any(unmet))
    for r in v.reasons:
        assert "[" not in r and "(đạt)" not in r and "(chưa đạt)" not in r and " | " not in r
        assert r[0].isupper()
