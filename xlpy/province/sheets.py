"""The province workbook's output sheets, built from a :class:`~xlpy.province.model.Province`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..book import styles as ST
from ..book.sheet import LINE_PT, OutputSheet, Styled
from ..book.sheets import PROBLEM_HEADER
from ..rules.model import CHO_QUYET_DINH, CN, DAT, KHONG_DAT, TT, VUOT
from ..rules.titles import KINDS, SUBJECT_LABELS, title_name
from ..schema import province as P
from .model import NOT_HERE, UNCHECKED, Province, ProvinceSettings

FMT = "0.00"


def _title(prov: Province, what: str) -> str:
    s = prov.settings
    where = f"tỉnh {s.province_name}" if s.province_name else ""
    when = f"năm {prov.year}" if prov.year else ""
    tail = " ".join(x for x in (where, when) if x)
    return f"{what} – {tail}" if tail else what


def _status(prov: Province, i: int) -> str:
    f = prov.files[i]
    if f.province_book:
        return "Sổ tính cấp tỉnh, bỏ qua"
    if not f.ok:
        return f"Có lỗi, chưa tổng hợp ({len(f.errors)} lỗi)"
    bits = ["Đã tổng hợp"]
    if i in prov.late:
        bits.append("nộp muộn")
    if prov.expected and i not in prov.matched:
        bits.append("không có trong danh sách")
    return ", ".join(bits)


def blocks_sheet(prov: Province) -> OutputSheet:
    by_file = {id(b): k for k, b in enumerate(prov.blocks)}
    leaders: dict[int, list[Any]] = {}
    for u in prov.units:
        if u.rank == 1:
            leaders.setdefault(u.block, []).append(u)
    n_props = Counter(p.block for p in prov.proposals)
    rows = []
    for i, f in enumerate(prov.files):
        k = by_file.get(id(f))
        exp = prov.expected[prov.matched[i]] if i in prov.matched else None
        top = leaders.get(k, []) if k is not None else []
        lead = "; ".join(f"{u.name} ({u.code})" for u in top) + (" — đồng hạng chưa phân định" if len(top) > 1 and top[0].unresolved else "")
        rows.append([
            len(rows) + 1, exp.code if exp else "", f.block_name or (exp.name if exp else ""), f.file, f.round_date,
            f.mtime.date() if f.mtime else None,
            len(f.units) if f.units is not None and k is not None else None, lead, top[0].total if top else None,
            n_props.get(k, 0) if k is not None else None, _status(prov, i), prov.late.get(i, ""),
        ])
    for e in prov.missing:
        rows.append([len(rows) + 1, e.code, e.name, e.file, None, None, None, "", None, None, "Chưa nộp sổ tính", ""])
    header = ["STT", "Mã khối", "Tên khối", "Tệp", "Ngày xét", "Ngày sửa tệp", "Số đơn vị", "Đơn vị dẫn đầu",
              "Điểm dẫn đầu", "Số đề nghị", "Tình trạng", "Ghi chú"]
    s = prov.settings
    notes = [
        f"{len(prov.files)} tệp được đọc; {len(prov.blocks)} khối được tổng hợp; {len(prov.missing)} khối trong danh sách chưa nộp.",
        ("Hạn nộp: " + s.deadline.strftime("%d/%m/%Y") + "; nộp muộn xác định theo "
         + ("ngày sửa tệp." if s.late_by == "mtime" else "Ngày xét ghi trong sổ tính của khối.")) if s.deadline
        else "Chưa ghi Hạn nộp sổ tính của khối ở trang Cài đặt tỉnh: không kiểm tra nộp muộn.",
    ]
    return OutputSheet(P.BLOCKS, header, rows, widths={0: 6, 1: 10, 2: 36, 3: 26, 4: 12, 5: 12, 6: 9, 7: 40, 8: 11, 9: 10, 10: 30, 11: 40},
                       formats={8: FMT}, wrap={2, 7, 10, 11}, title=_title(prov, "Tổng hợp sổ tính các cụm, khối thi đua"),
                       notes=notes, landscape=True)


def results_sheet(prov: Province) -> OutputSheet:
    names = [b.block_name or b.file for b in prov.blocks]
    rows = [[names[u.block], u.rank, u.place, u.code, u.name, u.total, u.klass, u.note] for u in prov.units]
    header = ["Khối", "Hạng", "Xếp thứ", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Ghi chú"]
    notes = ["Hạng, xếp thứ và xếp loại trong khối, tính lại từ sổ tính của khối theo cách tính của khối (một lượt cho mọi khối).",
             "Điểm của các khối khác thang điểm, tiêu chí: không so sánh giữa các khối."]
    return OutputSheet(P.RESULTS, header, rows, widths={0: 34, 1: 7, 2: 9, 3: 12, 4: 40, 5: 11, 6: 28, 7: 50},
                       formats={5: FMT}, wrap={0, 4, 7}, title=_title(prov, "Kết quả chấm điểm, xếp hạng các cụm, khối"), notes=notes,
                       landscape=True)


VERDICT_LABEL = {DAT: "Đạt", KHONG_DAT: "Không đạt", VUOT: "Vượt tỷ lệ", CHO_QUYET_DINH: "Chờ quyết định",
                 NOT_HERE: "Không xét ở cấp tỉnh", UNCHECKED: "Chưa kiểm tra"}


def proposals_sheet(prov: Province) -> OutputSheet:
    names = [b.block_name or b.file for b in prov.blocks]
    titles = {t: title_name(t) for t in {p.title for p in prov.proposals}}
    rows = []
    for p in prov.proposals:
        rows.append([names[p.block], p.row, SUBJECT_LABELS.get(p.subject, p.subject), p.code, p.name,
                     p.unit_name if p.subject == CN else "", titles[p.title], KINDS.get(p.kind, p.kind), p.rank,
                     VERDICT_LABEL.get(p.block_verdict, p.block_verdict), VERDICT_LABEL.get(p.verdict, p.verdict), p.rule,
                     p.reason or (p.block_reason if p.verdict != DAT else "")])
    header = ["Khối", "Dòng", "Đối tượng", "Mã", "Tên", "Đơn vị", "Danh hiệu, hình thức", "Loại khen", "Hạng trong khối",
              "Kết luận của khối", "Kết luận cấp tỉnh", "Mã quy định", "Lý do"]
    c = Counter(p.verdict for p in prov.proposals)
    notes = [
        "Kết luận của khối: kiểm tra tiêu chuẩn, số phiếu, tỷ lệ của khối (như nút Kiểm tra khen thưởng); “Dòng” là dòng ở trang "
        "Đề nghị khen thưởng của sổ tính khối.",
        "Kết luận cấp tỉnh: chỉ các hình thức do tỉnh xét (Cờ thi đua cấp tỉnh, Bằng khen, CSTĐ cấp tỉnh, TTLĐXS, đề nghị Cờ "
        "Chính phủ); lý do và mã quy định ở trang Kiểm tra cấp tỉnh.",
        "Cấp tỉnh: " + ", ".join(f"{c[k]} {VERDICT_LABEL[k].lower()}" for k in (DAT, KHONG_DAT, VUOT, CHO_QUYET_DINH)) + ".",
    ]
    return OutputSheet(P.PROPOSALS, header, rows,
                       widths={0: 28, 1: 6, 2: 9, 3: 12, 4: 28, 5: 26, 6: 30, 7: 11, 8: 8, 9: 14, 10: 14, 11: 10, 12: 60},
                       wrap={0, 4, 5, 6, 12}, title=_title(prov, "Đề nghị khen thưởng của các cụm, khối"), notes=notes, landscape=True)


def checks_sheet(prov: Province) -> OutputSheet:
    header = ["Phần", "Khối", "Tệp", "Danh hiệu, hình thức", "Phạm vi", "Mã quy định", "Kết luận", "Số liệu", "Căn cứ", "Cách khắc phục"]
    rows = [[r.section, r.block, r.file, title_name(r.title) if r.title else "", r.scope, r.rule_id, r.verdict, r.numbers, r.citation, r.fix]
            for r in prov.rows]
    s = prov.settings
    c = Counter(r.verdict for r in prov.rows)
    notes = [
        "T-01 Cờ thi đua cấp tỉnh mỗi khối; T-02…T-05 tỷ lệ toàn tỉnh; T-06 Cờ thi đua của Chính phủ; T-07 đơn vị có ở hai khối; "
        "T-08…T-13 sổ tính của các khối (thiếu, muộn, có lỗi, ngoài danh sách, hai tệp, năm khác).",
        f"Thứ tự xét khi vượt tỷ lệ: {', '.join(s.order) or 'không khai báo'}; còn bằng nhau thì Hội đồng TĐKT tỉnh quyết định "
        "(xlpy không chọn theo thứ tự dòng). Làm tròn số tối đa: "
        + {"floor": "làm tròn xuống", "ceil": "làm tròn lên", "half_up": "làm tròn 0,5 lên"}.get(s.cap_rounding, s.cap_rounding) + ".",
        "Căn cứ ghi [chưa xác minh]: giá trị là thiết lập ở trang Cài đặt tỉnh; đối chiếu quy chế của tỉnh trước khi dùng.",
        f"{len(prov.rows)} dòng kiểm tra: " + ", ".join(f"{c[k]} {k}" for k in (DAT, KHONG_DAT, VUOT, CHO_QUYET_DINH) if c[k]) + ".",
    ]
    return OutputSheet(P.CHECKS, header, rows, widths={0: 16, 1: 26, 2: 20, 3: 24, 4: 18, 5: 9, 6: 13, 7: 70, 8: 45, 9: 55},
                       wrap={0, 1, 2, 3, 4, 7, 8, 9}, title=_title(prov, "Kiểm tra cấp tỉnh"), notes=notes, landscape=True)


def errors_sheet(prov: Province) -> OutputSheet:
    rows = []
    for f in prov.files:
        for p in f.problems:
            rows.append([p.file or f.file, f.block_name, p.severity.value, p.sheet, p.cell, p.found, p.expected, p.message])
    header = ["Tệp", "Khối", *PROBLEM_HEADER[:-1], "Cách sửa"]
    bad = sum(1 for f in prov.files if not f.ok and not f.province_book)
    notes = [f"{bad} tệp có lỗi chưa được tổng hợp; cảnh báo không ngăn việc tổng hợp."] if rows else \
        ["Không có lỗi hay cảnh báo nào trong sổ tính của các khối."]
    return OutputSheet(P.ERRORS, header, rows, widths={0: 24, 1: 26, 2: 10, 3: 18, 4: 9, 5: 22, 6: 28, 7: 80},
                       wrap={1, 5, 6, 7}, title=_title(prov, "Lỗi và cảnh báo trong sổ tính của các khối"), notes=notes, landscape=True)


# ---------------------------------------------------------------------------------------
# Biểu 0603.N/BNV-TĐKT (Thông tư 02/2023/TT-BNV): số lượng khen thưởng cấp bộ, ban, ngành, tỉnh

FORM_COLUMNS = ("BK_TINH", "CSTD_TINH", "CO_TINH")  # column 2, 3, 4 (5: Huy hiệu, which xlpy does not track)
FORM_ROWS: tuple[tuple[str, str, str, Any], ...] = (
    # label, code (mã số), unit (đơn vị tính), selector (None: xlpy has no data)
    ("Tổng số", "01", "", "all"),
    ("1. Chia theo đối tượng khen thưởng", "", "", "heading"),
    ("- Tập thể", "02", "Tập thể", ("subject", TT)),
    ("Trong đó: Doanh nghiệp", "03", "Doanh nghiệp", None),
    ("- Hộ gia đình", "04", "Hộ", None),
    ("- Cá nhân", "05", "Người", ("subject", CN)),
    ("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "06", "Người", None),
    ("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "07", "Người", None),
    ("+ Doanh nhân", "08", "Người", None),
    ("+ Các cấp lãnh đạo khác từ phó phòng trở lên", "09", "Người", None),
    ("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân,…)", "10", "Người", None),
    ("2. Chia theo phương thức khen thưởng", "", "", "heading"),
    ("- Thường xuyên", "11", "", ("kind", "cong_trang")),
    ("- Chuyên đề", "12", "", ("kind", "chuyen_de")),
    ("- Đột xuất", "13", "", ("kind", "dot_xuat")),
    ("- Đối ngoại", "14", "", None),
    ("- Cống hiến", "15", "", None),
    ("- Niên hạn", "16", "", None),
    ("- Kháng chiến", "17", "", None),
)


def form_counts(prov: Province) -> dict[str, dict[str, int]]:
    """Mã số -> {title code: count} of the proposals the province's checks pass (đạt)."""
    passed = [p for p in prov.proposals if p.verdict == DAT and p.title in FORM_COLUMNS]
    out: dict[str, dict[str, int]] = {}
    for _label, code, _unit, sel in FORM_ROWS:
        if not code or sel is None or sel == "heading":
            continue
        if sel == "all":
            chosen = passed
        elif sel[0] == "subject":
            chosen = [p for p in passed if p.subject == sel[1]]
        else:
            chosen = [p for p in passed if p.kind == sel[1]]
        out[code] = {t: sum(1 for p in chosen if p.title == t) for t in FORM_COLUMNS}
    return out


def form_sheet(prov: Province) -> OutputSheet:
    s = prov.settings
    counts = form_counts(prov)
    rows: list[list[Any]] = [["A", "B", "C", "1", "2", "3", "4", "5"]]
    for label, code, unit, sel in FORM_ROWS:
        if sel == "heading":
            rows.append([label, "", "", None, None, None, None, None])
        elif code in counts:
            c = counts[code]
            vals = [c[t] for t in FORM_COLUMNS]
            rows.append([label, code, unit, sum(vals), *vals, None])
        else:
            rows.append([label, code, unit, None, None, None, None, None])
    reporting = s.reporting_unit or (f"UBND tỉnh {s.province_name}" if s.province_name else "UBND tỉnh …")
    bold = ST.Style(bold=True)
    center_title = ST.Style(bold=True, size=13, halign="center")
    italic_center = ST.Style(italic=True, halign="center")
    preamble = [
        [Styled("Biểu số: 0603.N/BNV-TĐKT", bold), "", "", "", "", Styled(f"Đơn vị báo cáo: {reporting}", bold)],
        ["Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023", "", "", "", "",
         f"Đơn vị nhận báo cáo: {s.receiving_unit or '…'}"],
        ["Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo"],
        [Styled("SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG", center_title)],
        [Styled(f"Năm {prov.year or '…'}", italic_center)],
    ]
    head_above = [["Chỉ tiêu", "Mã số", "Đơn vị tính", "Tổng số", "Chia ra", "", "", ""]]
    header = ["Chỉ tiêu", "Mã số", "Đơn vị tính", "Tổng số", "Bằng khen",
              "Chiến sĩ thi đua cấp bộ, cấp tỉnh",
              "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
              "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"]
    out = OutputSheet(P.FORM, header, rows, widths={0: 52, 1: 8, 2: 12, 3: 10, 4: 12, 5: 16, 6: 26, 7: 30}, wrap={0}, table=False,
                      preamble=preamble, head_above=head_above, landscape=True,
                      notes=[
                          "Số liệu: các đề nghị mà Kiểm tra cấp tỉnh kết luận “đạt” (số dự kiến, chưa phải số đã quyết định).",
                          "Ô để trống: chỉ tiêu xlpy không có số liệu (doanh nghiệp, hộ gia đình, chức vụ, đối ngoại, cống hiến,",
                          "niên hạn, kháng chiến, huy hiệu): điền tay trước khi gửi.",
                          "Biểu theo Thông tư 02/2023/TT-BNV (hạn nhận 15/12). CHƯA XÁC MINH biểu còn áp dụng sau 2025",
                          "(Thông tư 15/2025/TT-BNV): xem thiết lập “Biểu thống kê” ở trang Cài đặt tỉnh.",
                      ])
    hr = out.header_row
    pr = out.preamble_row
    ncols = len(header)
    # the form's own heading rows; rows of wrapped text are sized by the sheet writer
    out.heights = {hr - 1: 2 * LINE_PT, hr: 5 * LINE_PT, pr + 3: 1.5 * LINE_PT}
    out.merges = [
        (pr, 1, pr, 5), (pr, 6, pr, ncols), (pr + 1, 1, pr + 1, 5), (pr + 1, 6, pr + 1, ncols), (pr + 2, 1, pr + 2, ncols),
        (pr + 3, 1, pr + 3, ncols), (pr + 4, 1, pr + 4, ncols),
        (hr - 1, 1, hr, 1), (hr - 1, 2, hr, 2), (hr - 1, 3, hr, 3), (hr - 1, 4, hr, 4), (hr - 1, 5, hr - 1, ncols),
    ]
    return out


def output_names(settings: ProvinceSettings) -> list[str]:
    """The sheets :func:`output_sheets` writes with these settings, in order."""
    return [P.BLOCKS, P.RESULTS, P.PROPOSALS, P.CHECKS, P.ERRORS] + ([P.FORM] if settings.stat_form != "none" else [])


def output_sheets(prov: Province) -> list[OutputSheet]:
    make = {P.BLOCKS: blocks_sheet, P.RESULTS: results_sheet, P.PROPOSALS: proposals_sheet, P.CHECKS: checks_sheet,
            P.ERRORS: errors_sheet, P.FORM: form_sheet}
    return [make[name](prov) for name in output_names(prov.settings)]


__all__ = ["output_names", "output_sheets", "form_counts"]
