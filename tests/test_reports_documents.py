"""The documents an officer signs (Nghị định 30/2020): what they say and what they must never say.

Fast tests build contexts directly; the slow ones run the report action on the
so-nganh-100 sample (its award check has 15 proposals that do not pass), convert
every Word document with LibreOffice, render every page with pdftoppm and read
the text back with pdftotext.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document

from xlpy import actions
from xlpy.core.engine import compute
from xlpy.core.model import Block, Criterion, Kind, Settings, Stage, Unit
from xlpy.reports import pdf
from xlpy.reports.context import (
    PLACE_PLACEHOLDER,
    SIGNER_PLACEHOLDER,
    awards_from_check,
    build_context,
    fallback_reasons,
    legal_text,
    rule_set_texts,
    unit_context,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "so-nganh-100.xlsx"
LABELS = ("[đã xác minh]", "[chưa xác minh]", "[xác minh qua nguồn thứ cấp]", "xác minh]")
RAW_MARKS = ("(chưa đạt)", "(đạt)")
# in the sample's check: people whose every proposal fails, and a collective whose only one does
FAILED_PEOPLE = ("Ngô Văn Phúc", "Hoàng Văn Nam", "Vũ Quang Huy")
FAILED_ONLY_UNIT = "Sở Dân tộc và Tôn giáo"


def sample_check():
    """The award check of the so-nganh-100 sample, as the report action gets it."""
    from xlpy import load_round

    rnd, _ = load_round(SAMPLE)
    return rnd.check


# ---- ties -------------------------------------------------------------------------------
def _tie_block(b_points=(40, 50), tie_break=("TC1",)):
    """A, B, C total 90: TC1 puts C below (35 < 40) and cannot separate A from B; D has 85."""
    crit = (Criterion("TC1", "Công tác chỉ đạo", Kind.POINTS, 50), Criterion("TC2", "Kết quả", Kind.POINTS, 50))
    units = tuple(Unit(c, n, "") for c, n in [("A", "Sở A"), ("B", "Sở B"), ("C", "Sở C"), ("D", "Sở D")])
    df = pd.DataFrame.from_dict({"A": [40, 50], "B": list(b_points), "C": [35, 55], "D": [45, 40]}, orient="index",
                                columns=["TC1", "TC2"], dtype=float)
    s = Settings(block_name="Khối X", year=2025, round_date=dt.date(2025, 12, 1), tie_break=tie_break, max_total=100)
    return Block(s, units, crit, stages={Stage.BLOCK: df})


def test_three_way_tie_split_partly_names_who_is_still_tied():
    ctx = build_context(compute(_tie_block()))
    notes = {u["code"]: u["tie_note"] for u in ctx["units"]}
    ranks = {u["code"]: u["rank"] for u in ctx["units"]}
    assert (ranks["A"], ranks["B"], ranks["C"]) == (1, 1, 3)
    # A and B: still tied with each other only; C placed below by TC1
    assert notes["A"] == ("Bằng điểm với Sở B và Sở C (90 điểm); phân định theo tiêu chí TC1 (Công tác chỉ đạo): xếp trên Sở C; "
                          "vẫn đồng hạng với Sở B, chưa phân định được thứ hạng (cần Hội đồng bỏ phiếu)")
    assert "vẫn đồng hạng với Sở A," in notes["B"] and "xếp trên Sở C" in notes["B"]
    # C is no longer tied with anyone: it must not say "đồng hạng"
    assert notes["C"] == "Bằng điểm với Sở A và Sở B (90 điểm); phân định theo tiêu chí TC1 (Công tác chỉ đạo): xếp sau Sở A và Sở B"
    assert "đồng hạng" not in notes["C"] and notes["D"] == ""
    (group,) = ctx["ties"]
    assert group == ("Sở A, Sở B và Sở C cùng đạt 90 điểm; phân định theo tiêu chí TC1 (Công tác chỉ đạo): Sở A và Sở B đồng hạng 1; "
                     "Sở C hạng 3; Sở A và Sở B vẫn bằng nhau, đề nghị Hội đồng bỏ phiếu.")


def test_tie_nobody_separated_and_fully_broken():
    ctx = build_context(compute(_tie_block(tie_break=())))
    a = next(u for u in ctx["units"] if u["code"] == "A")
    assert a["tie_note"] == ("Bằng điểm với Sở B và Sở C (90 điểm); vẫn đồng hạng với Sở B và Sở C, chưa phân định được thứ hạng "
                             "(cần Hội đồng bỏ phiếu)")
    assert ctx["ties"] == ["Sở A, Sở B và Sở C cùng đạt 90 điểm; chưa phân định được thứ hạng (đồng hạng 1), đề nghị Hội đồng bỏ phiếu."]
    ctx = build_context(compute(_tie_block(b_points=(42, 48))))  # TC1: B 42 > A 40 > C 35, all apart
    notes = {u["code"]: u["tie_note"] for u in ctx["units"]}
    assert notes["A"] == "Bằng điểm với Sở B và Sở C (90 điểm); phân định theo tiêu chí TC1 (Công tác chỉ đạo): xếp sau Sở B, xếp trên Sở C"
    assert all("đồng hạng" not in n for n in notes.values())
    assert ctx["ties"] == ["Sở B, Sở A và Sở C cùng đạt 90 điểm; phân định theo tiêu chí TC1 (Công tác chỉ đạo): Sở B hạng 1; Sở A hạng 2; Sở C hạng 3."]


# ---- proposals, reasons, legal basis -----------------------------------------------------
def _result():
    return compute(_tie_block())


def _check(candidates, name="Luật TĐKT 06/2022/QH15 và Nghị định 152/2025/NĐ-CP", total=None):
    return {"rule_set": {"name": name}, "candidates": candidates, "money": {"total": total}}


def test_only_passing_proposals_are_signed_and_people_never_get_the_units_score():
    check = _check(
        [
            {"subject": "TT", "code": "D", "name": "Sở D", "unit": "D", "title_name": "Tập thể lao động xuất sắc",
             "verdict": "đạt", "amount": 3510000},
            {"subject": "CN", "code": "CN1", "name": "Lê Thị Hạnh", "unit": "D", "title_name": "Lao động tiên tiến",
             "verdict": "đạt", "amount": 702000},
            {"subject": "TT", "code": "C", "name": "Sở C", "unit": "C", "title_name": "Cờ thi đua cấp tỉnh",
             "verdict": "không đạt", "rules": ["R-07"], "numbers": "hạng 3 trong khối (chưa đạt); tập thể xếp loại HTXS (cần HTXS) (đạt)",
             "fix": "chỉ đơn vị dẫn đầu khối (hạng 1) được đề nghị", "citation": "Điều 26 khoản 1 Luật Thi đua [đã xác minh]"},
            {"subject": "TT", "code": "B", "name": "Sở B", "unit": "B", "title_name": "Bằng khen của Chủ tịch UBND tỉnh",
             "verdict": "chờ quyết định", "reasons": ["Bằng nhau tại ngưỡng tỷ lệ với Sở A: chờ Hội đồng quyết định [chưa xác minh]"]},
        ],
        total=4212000,
    )
    ctx = build_context(_result(), **awards_from_check(check))
    assert [(p["name"], p["form"]) for p in ctx["proposals_tt"]] == [("Sở D", "Tập thể lao động xuất sắc")]
    (person,) = ctx["proposals_cn"]
    assert person["name"] == "Lê Thị Hạnh" and person["unit_name"] == "Sở D" and person["person"]
    assert person["total"] == "" and person["rank"] == "" and person["class"] == ""  # the unit's score is not hers
    assert ctx["proposals_tt"][0]["total"] == "85" and ctx["proposals_tt"][0]["rank"] == 4
    aw = ctx["awards"]
    assert (aw["n_ok"], aw["n_tt"], aw["n_cn"], aw["n_not_ok"], aw["n_pending"], aw["n_ineligible"]) == (2, 1, 1, 1, 1, 2)
    assert aw["summary"] == "1 tập thể và 1 cá nhân"
    assert aw["total_money"] == "4.212.000\u00a0đồng" and aw["money_tt"] == "3.510.000" and aw["money_cn"] == "702.000"
    assert [f["count_label"] for f in aw["by_form"]] == ["1 tập thể", "1 cá nhân"]
    cờ, bk = ctx["ineligible"]
    assert cờ["verdict"] == "Không đạt" and cờ["reasons_list"] == [
        "Tiêu chuẩn Cờ thi đua cấp tỉnh: chỉ đơn vị dẫn đầu khối (hạng 1) được đề nghị."]
    assert cờ["citation"] == "Điều 26 khoản 1 Luật Thi đua"
    assert bk["verdict"] == "Chờ quyết định" and bk["pending"] and not bk["ok"]
    assert bk["reasons_list"] == ["Bằng nhau tại ngưỡng tỷ lệ với Sở A: chờ Hội đồng quyết định."]  # given reasons win
    # the unit's notice lists what the block proposes for it and its people, nothing that failed
    d = next(u for u in ctx["units"] if u["code"] == "D")
    assert [p["name"] for p in d["proposals"]] == ["Sở D", "Lê Thị Hạnh"]
    assert next(u for u in ctx["units"] if u["code"] == "C")["proposals"] == []


def test_reasons_on_the_sample_are_the_checks_short_sentences():
    check = sample_check()
    assert check is not None
    failed = [c for c in check.to_dict()["candidates"] if c["verdict"] != "đạt"]
    assert len(failed) == 15
    aw = awards_from_check(check)
    out = [p for p in aw["proposals"] if not p["ok"]]
    assert len(out) == 15 and all(p["reasons"] for p in out)  # at least one sentence per candidate left out
    for r in (r for p in out for r in p["reasons"]):
        assert not any(m in r for m in RAW_MARKS + LABELS), r
        assert "|" not in r and r[0].isupper()
    names = {p["name"]: p for p in out}
    assert names["Văn phòng Ủy ban nhân dân tỉnh"]["reasons"] == ["Tỷ lệ lao động tiên tiến: 41/60 (68,3%), cần ít nhất 42"]
    assert names["Phạm Thu Hà"]["reasons"] == ["Chưa đủ số phiếu đồng ý: 11/15, cần 12"]
    # a candidate without rule names or fix still gets a sentence
    assert fallback_reasons({"verdict": "không đạt", "title_name": "Giấy khen"}) == ["Chưa đạt tiêu chuẩn Giấy khen."]


def test_legal_basis_is_the_rule_sets_laws_and_the_provinces_own_texts():
    sources = [
        "Luật Thi đua, khen thưởng số 06/2022/QH15 (Bắc Ninh QĐ 86/2025/QĐ-UBND Điều 4.2 quy định lại)",
        "Quyết định 86/2025/QĐ-UBND tỉnh Bắc Ninh quy định chi tiết Luật Thi đua, khen thưởng 2022",
        "Nghị định 152/2025/NĐ-CP",
        "Thông tư 25/2025/TT-BKHCN",
    ]
    texts = rule_set_texts("Luật TĐKT 06/2022/QH15 và Nghị định 152/2025/NĐ-CP", sources)
    assert texts == ["Luật Thi đua, khen thưởng số 06/2022/QH15", "Nghị định số 152/2025/NĐ-CP"]
    assert rule_set_texts("Luật TĐKT 06/2022/QH15 và Nghị định 98/2023/NĐ-CP") == [
        "Luật Thi đua, khen thưởng số 06/2022/QH15", "Nghị định số 98/2023/NĐ-CP"]
    assert legal_text("Nghị định 98/2023/NĐ-CP Điều 30 khoản 7 [chưa xác minh]") == "Nghị định số 98/2023/NĐ-CP Điều 30 khoản 7"
    province = "Quyết định số 20/2024/QĐ-UBND ngày 10/7/2024 của UBND tỉnh Quảng Nam ban hành Quy chế thi đua, khen thưởng"
    ctx = build_context(_result(), {"Căn cứ của tỉnh": province + ";\n"}, legal_texts=texts)
    assert ctx["basis"]["texts"] == texts + [province]
    assert ctx["basis"]["joined"] == f"{texts[0]}, {texts[1]} và {province}"
    # on the sample's real check: no other province's decision, no verification label
    aw = awards_from_check(sample_check())
    assert aw["legal_texts"] == texts
    # nothing set, nothing checked: no "Căn cứ" of a text at all
    assert build_context(_result())["basis"]["texts"] == []


def test_documents_have_their_own_symbols_recipients_and_placeholders():
    ctx = build_context(_result(), {})
    docs = ctx["docs"]
    assert docs["report"]["number_line"] == "Số: ……/BC-KTĐ"
    assert docs["proposal"]["number_line"] == "Số: ……/TTr-KTĐ" and docs["proposal"]["addressee"] == "Ban Thi đua - Khen thưởng tỉnh"
    assert docs["notice"]["number_line"] == "Số: ……/TB-KTĐ"
    assert docs["report"]["recipients"] == ["Ban Thi đua - Khen thưởng tỉnh", "Các đơn vị trong Khối", "Lưu: VT"]
    assert docs["proposal"]["recipients"] == ["Như trên", "Lưu: VT"] == docs["notice"]["recipients"]
    assert docs["report"]["place_date"] == f"{PLACE_PLACEHOLDER}, ngày 01 tháng 12 năm 2025"
    assert ctx["signer"]["name"] == SIGNER_PLACEHOLDER
    settings_warned = [w["setting"] for w in ctx["warnings"]]
    assert settings_warned == ["Địa danh", "Số văn bản", "Số tờ trình", "Số thông báo", "Người ký"]
    assert next(w for w in ctx["warnings"] if w["setting"] == "Người ký")["message"].startswith("Cài đặt: Người ký chưa có")
    full = {"Địa danh": "Quảng Nam", "Người ký": "Nguyễn Văn An", "Số văn bản": "12", "Số tờ trình": 13, "Số thông báo": 20.0,
            "Nơi nhận tờ trình": "Như trên; Chủ tịch UBND tỉnh (để b/c)", "Ký hiệu thông báo": "TB-KTĐ-TMTH"}
    ctx = build_context(_result(), full)
    assert ctx["warnings"] == []
    assert ctx["docs"]["proposal"]["number_line"] == "Số: 13/TTr-KTĐ"
    assert ctx["docs"]["proposal"]["recipients"] == ["Như trên", "Chủ tịch UBND tỉnh (để b/c)", "Lưu: VT"]
    assert ctx["docs"]["proposal"]["ref"] == "Tờ trình số 13/TTr-KTĐ ngày 01 tháng 12 năm 2025"
    # one number per notice, in rank order, from the first
    notices = [unit_context(ctx, u)["doc"] for u in ctx["units"]]
    assert [n["number_line"] for n in notices] == [f"Số: {i}/TB-KTĐ-TMTH" for i in (20, 21, 22, 23)]
    assert notices[0]["addressee"] == "Sở A" and notices[0]["place_date"] == "Quảng Nam, ngày 01 tháng 12 năm 2025"
    bad = build_context(_result(), {**full, "Số thông báo": "20a"})
    assert [w["setting"] for w in bad["warnings"]] == ["Số thông báo"] and "không phải số nguyên" in bad["warnings"][0]["message"]


# ---- every document, as LibreOffice prints it -----------------------------------------------
needs_office = pytest.mark.skipif(
    pdf.find_soffice() is None or not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdfinfo")),
    reason="LibreOffice and poppler-utils are needed",
)

FILLED = {
    "Cơ quan chủ quản": "UBND tỉnh Quảng Nam",
    "Địa danh": "Quảng Nam",
    "Người ký": "Nguyễn Văn An",
    "Số văn bản": "12",
    "Số tờ trình": "13",
    "Số thông báo": 20,
    "Căn cứ của tỉnh": "Quyết định số 20/2024/QĐ-UBND ngày 10 tháng 7 năm 2024 của UBND tỉnh Quảng Nam ban hành "
                       "Quy chế công tác thi đua, khen thưởng",
}


def _fill(book: Path, values: dict) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["Cài đặt"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[0].value}
    for k, v in values.items():
        if k in rows:
            rows[k][1].value = v
        else:
            ws.append([k, v])
    wb.save(book)


def _pdftext(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.replace("\u00a0", " ")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The report action on the sample, settings blank and settings filled: result, folder, text of each PDF."""
    out = {}
    for name, values in (("blank", {}), ("filled", FILLED)):
        base = tmp_path_factory.mktemp(name)
        book = base / SAMPLE.name
        book.write_bytes(SAMPLE.read_bytes())
        _fill(book, values)
        res = actions.run("report", book, format="all", out=base / "out")
        texts = {str(p.relative_to(base / "out")): _pdftext(p) for p in sorted((base / "out").rglob("*.pdf"))}
        out[name] = (res, base / "out", texts)
    return out


SIGNED = ("bao-cao-khoi.pdf", "danh-sach-de-nghi.pdf")


def _signed(texts):
    return {k: v for k, v in texts.items() if k in SIGNED or k.startswith("thong-bao/")}


@pytest.mark.slow
@needs_office
def test_every_document_becomes_pdf_and_png(made, tmp_path):
    for name in ("blank", "filled"):
        res, folder, texts = made[name]
        assert res.ok, res.message
        assert set(texts) >= {*SIGNED, "phu-luc-thong-ke.pdf", "noi-bo/khong-du-dieu-kien.pdf"}
        assert len([k for k in texts if k.startswith("thong-bao/")]) == 10
        for rel in texts:
            pdf_path = folder / rel
            pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True,
                                                                    text=True, check=True).stdout).group(1))
            stem = tmp_path / name / rel.replace("/", "__")
            stem.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf_path), str(stem)], check=True)
            pngs = sorted(stem.parent.glob(stem.name + "-*.png"))
            assert len(pngs) == pages and all(p.stat().st_size > 2000 for p in pngs), rel


@pytest.mark.slow
@needs_office
def test_failed_proposals_only_in_the_internal_list(made):
    res, folder, texts = made["blank"]
    signed = _signed(texts)
    for rel, text in signed.items():
        for who in FAILED_PEOPLE:
            assert who not in text, (rel, who)
        for word in ("Không đạt", "Vượt tỷ lệ", "Chờ quyết định", "không đủ điều kiện", *RAW_MARKS):
            assert word not in text, (rel, word)
    assert FAILED_ONLY_UNIT not in texts["danh-sach-de-nghi.pdf"]
    bc = _flat(texts["bao-cao-khoi.pdf"])
    section3 = bc[bc.index("III. ĐỀ NGHỊ KHEN THƯỞNG"):bc.index("IV. ĐÁNH GIÁ CHUNG")]
    assert FAILED_ONLY_UNIT not in section3 and "7 tập thể và 6 cá nhân" in section3
    internal = _flat(texts["noi-bo/khong-du-dieu-kien.pdf"])
    assert "TÀI LIỆU NỘI BỘ" in internal and "TM. KHỐI" not in internal  # not under a signature
    for who in (*FAILED_PEOPLE, FAILED_ONLY_UNIT):
        assert who in internal
    assert "Không đạt" in internal and "Vượt tỷ lệ" in internal
    assert "cần ít nhất 42" in internal  # the check's own short sentence, with the missing figure
    cells = [c.text for t in Document(str(folder / "noi-bo" / "khong-du-dieu-kien.docx")).tables for r in t.rows for c in r.cells]
    assert any(c.startswith("Tỷ lệ lao động tiên tiến: 41/60 (68,3%), cần ít nhất 42") for c in cells)
    # the internal list is written but not among the files a door hands on (e.g. mails to units)
    assert not any("noi-bo" in str(f) for f in res.files)
    assert any(f.endswith("khong-du-dieu-kien.pdf") for f in res.data["internal_files"])
    assert res.data["awards"]["n_ineligible"] == 15 and res.data["awards"]["n_ok"] == 24


@pytest.mark.slow
@needs_office
def test_lists_split_collectives_and_individuals_with_their_own_figures(made):
    _, folder, texts = made["blank"]
    ttr = _flat(texts["danh-sach-de-nghi.pdf"])
    assert "I. TẬP THỂ" in ttr and "II. CÁ NHÂN" in ttr
    assert "13 đề nghị khen thưởng cho 7 tập thể và 11 đề nghị khen thưởng cho 6 cá nhân" in ttr
    assert "Danh sách có 8 tập thể" not in ttr
    d = Document(str(folder / "danh-sach-de-nghi.docx"))
    tables = {t.rows[0].cells[1].text: [[c.text for c in r.cells] for r in t.rows] for t in d.tables if len(t.rows) > 1}
    people = tables["Họ và tên"]
    assert "Tổng điểm" not in people[0] and "Hạng" not in people[0]
    lan = [r for r in people if r[1] == "Nguyễn Thị Lan"]
    assert [r[4] for r in lan] == ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cấp tỉnh"]
    for r in lan:
        assert r[2] == "Sở Khoa học và Công nghệ" and "Hoàn thành xuất sắc nhiệm vụ" in r[3]
        assert "105,5" not in r  # her unit's total is not hers
    units = tables["Tên tập thể"]
    assert units[1][:5] == ["1", "Sở Khoa học và Công nghệ", "1", "105,5", "Hoàn thành xuất sắc nhiệm vụ"]
    assert len(units) == 1 + 13 + 1 and len(people) == 1 + 11 + 1  # header, rows, total


@pytest.mark.slow
@needs_office
def test_symbols_recipients_money_and_labels(made):
    _, _, texts = made["blank"]
    bc, ttr = texts["bao-cao-khoi.pdf"], texts["danh-sach-de-nghi.pdf"]
    assert re.search(r"Số: ……/BC-KTĐ", bc) and "BÁO CÁO" in bc and "Như trên" not in bc
    assert re.search(r"Số: ……/TTr-KTĐ", ttr) and "TỜ TRÌNH" in ttr and "BC-KTĐ" not in ttr
    assert "Kính gửi: Ban Thi đua - Khen thưởng tỉnh." in ttr and "- Như trên;" in ttr
    for rel, text in _signed(texts).items():
        if rel.startswith("thong-bao/"):
            assert re.search(r"Số: ……/TB-KTĐ", text) and "THÔNG BÁO" in text and "BC-KTĐ" not in text, rel
            assert "- Như trên;" in text and "Kính gửi:" in text, rel
    for rel, text in texts.items():
        for label in LABELS:
            assert label not in text, (rel, label)
        assert "Bắc Ninh" not in text or rel.startswith("noi-bo/"), rel
        assert "Cần Thơ" not in text or rel.startswith("noi-bo/"), rel
    # money never wraps inside a figure or away from "đồng" (figures read back whole, on one line)
    for text in (bc, ttr):
        assert "80.496.000 đồng" in text
    for amount in ("3.510.000", "1.872.000", "18.720.000", "28.080.000", "702.000", "2.340.000", "7.020.000",
                   "62.946.000", "17.550.000"):
        assert amount in ttr, amount
    assert not re.search(r"\d\.\d{0,2}\n", ttr)  # no figure cut after a thousands dot
    # the annex's narrow criterion columns keep "18,5" and "8,75" whole
    annex = texts["phu-luc-thong-ke.pdf"]
    assert "18,5" in annex and "8,75" in annex and "(Kèm theo Báo cáo số ……/BC-KTĐ" in _flat(annex)


@pytest.mark.slow
@needs_office
def test_blank_settings_show_placeholders_and_warn(made):
    res, _, texts = made["blank"]
    for rel, text in _signed(texts).items():
        assert PLACE_PLACEHOLDER in text and SIGNER_PLACEHOLDER in text, rel
    warned = [p for p in res.problems if p.code == "report_setting_missing"]
    assert {p.message.split(".")[0] for p in warned} == {
        "Cài đặt: Người ký chưa có", "Cài đặt: Địa danh chưa có", "Cài đặt: Số văn bản chưa có",
        "Cài đặt: Số tờ trình chưa có", "Cài đặt: Số thông báo chưa có"}
    assert all(not p.is_error and p.sheet == "Cài đặt" for p in warned)
    signer = next(p for p in warned if "Người ký" in p.message)
    row = next(r[0].row for r in openpyxl.load_workbook(SAMPLE)["Cài đặt"].iter_rows() if r[0].value == "Người ký")
    assert signer.cell == f"B{row}"  # names the value cell of "Người ký"
    assert "Người ký" in res.message and res.ok


@pytest.mark.slow
@needs_office
def test_filled_settings_reach_every_document(made):
    res, folder, texts = made["filled"]
    assert not [p for p in res.problems if p.code == "report_setting_missing"]
    bc, ttr = _flat(texts["bao-cao-khoi.pdf"]), _flat(texts["danh-sach-de-nghi.pdf"])
    assert "Số: 12/BC-KTĐ" in bc and "Quảng Nam, ngày 15 tháng 12 năm 2025" in bc and "Nguyễn Văn An" in bc
    assert "UBND TỈNH QUẢNG NAM" in bc
    assert "Thực hiện Luật Thi đua, khen thưởng số 06/2022/QH15, Nghị định số 152/2025/NĐ-CP và Quyết định số 20/2024/QĐ-UBND" in bc
    assert "Số: 13/TTr-KTĐ" in ttr and "(Kèm theo Tờ trình số 13/TTr-KTĐ ngày 15 tháng 12 năm 2025" in ttr
    assert "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; Căn cứ Nghị định số 152/2025/NĐ-CP; Căn cứ Quyết định số 20/2024/QĐ-UBND" in ttr
    assert "danh sách kèm theo Tờ trình số 13/TTr-KTĐ" in bc
    notices = sorted(k for k in texts if k.startswith("thong-bao/"))
    assert [re.search(r"Số: (\d+)/TB-KTĐ", texts[k]).group(1) for k in notices] == [str(n) for n in range(20, 30)]
    for text in _signed(texts).values():
        assert PLACE_PLACEHOLDER not in text and SIGNER_PLACEHOLDER not in text
    html = (folder / "danh-sach-de-nghi.html").read_text(encoding="utf-8")
    assert '<span class="money">80.496.000\u00a0đồng</span>' in html and "white-space: nowrap" in html
    for who in FAILED_PEOPLE:
        assert who not in html and who not in (folder / "bao-cao-khoi.html").read_text(encoding="utf-8")
    assert FAILED_PEOPLE[0] in (folder / "noi-bo" / "khong-du-dieu-kien.html").read_text(encoding="utf-8")


@needs_office
def test_word_documents_carry_the_date_they_were_made(made):
    """Each Word document's properties say when it was made, not python-docx's own defaults
    (created 2013-12-23, “generated by python-docx”)."""
    import zipfile

    _res, folder, _texts = made["filled"]
    docs = sorted(folder.rglob("*.docx"))
    assert docs
    for path in docs:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
        created = re.search(r"<dcterms:created[^>]*>([^<]+)<", core).group(1)
        made_at = dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        assert abs(dt.datetime.now(dt.timezone.utc) - made_at) < dt.timedelta(hours=1), (path.name, created)
        assert "python-docx" not in core, path.name


def test_every_template_variable_is_documented():
    from xlpy.province.report import SCHEMA as PROVINCE
    from xlpy.reports.context import SCHEMA

    text = (ROOT / "docs" / "mau-bao-cao.md").read_text(encoding="utf-8")
    province = text[text.index("## Báo cáo tổng hợp cấp tỉnh"):]
    missing = []
    for where, schema in (("khoi", SCHEMA), ("tinh", PROVINCE)):
        doc = text if where == "khoi" else province
        for name, attrs in schema.items():
            if f"`{name}" not in doc:
                missing.append(f"{where}: {name}")
            for a in attrs or ():
                if not re.search(r"`(?:\w+\.)?" + re.escape(a) + r"`", doc):
                    missing.append(f"{where}: {name}.{a}")
    assert not missing, missing


def test_committed_templates_are_what_the_builder_makes(tmp_path, monkeypatch):
    """``python tools/build_templates.py`` is reproducible (fixed zip and document dates), and the
    Word templates in templates/ are exactly its output: an edit to the builder is committed with
    the templates it makes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "tools" / "build_templates.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    monkeypatch.setattr(builder, "HERE", tmp_path)
    assert builder.main([]) == 0
    for name in builder.BUILDERS:
        assert (tmp_path / name).read_bytes() == (ROOT / "templates" / name).read_bytes(), name
