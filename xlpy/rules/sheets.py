"""The award-rule output sheets: ``Tuân thủ`` (one row per rule per candidate and per
quota) and ``Tiền thưởng`` (reward money per title).  The input sheets are declared
in :mod:`xlpy.schema.rules` and read by :mod:`xlpy.rules.inputs`."""

from __future__ import annotations

from ..book.sheet import OutputSheet
from ..schema.rules import COMPLIANCE, MONEY
from . import titles as T


# ---------------------------------------------------------------------------------------
# output sheets

COMPLIANCE_HEADER = [
    "Phần", "Dòng đề nghị", "Đối tượng", "Mã", "Tên", "Đơn vị", "Danh hiệu, hình thức", "Phạm vi",
    "Mã quy định", "Kết luận", "Số liệu", "Căn cứ", "Cách khắc phục", "Tiền thưởng (đ)",
]


def compliance_sheet(report) -> OutputSheet:
    amounts = {o.proposal.row: o.amount for o in report.outcomes}
    rows = []
    for v in report.verdicts:
        rows.append([
            v.section, v.row, T.SUBJECT_LABELS.get(v.subject, v.subject), v.code, v.name, v.unit, v.title_name, v.scope,
            v.rule_id, v.verdict, v.numbers, v.citation, v.fix,
            amounts.get(v.row) if v.section == "Kết luận" else None,
        ])
    s = report.settings
    notes = [
        f"Bộ quy định: {report.rule_set.describe()}; chọn theo Ngày xét {report.input.round_date:%d/%m/%Y}"
        + ("" if s.rule_set == "auto" else " (chọn ở trang Cài đặt)") + ".",
        f"Mẫu tỷ lệ tùy chọn đang áp dụng: {', '.join(p.name for p in report.presets) or 'không'}.",
        f"Làm tròn số tối đa: {_rounding(s.cap_rounding)}; số tối thiểu và số phiếu: {_rounding(s.min_rounding)}.",
        report.summary(),
        "Căn cứ ghi [chưa xác minh]: giá trị là thiết lập có thể đổi ở trang Cài đặt; đối chiếu văn bản gốc trước khi dùng.",
    ]
    widths = {0: 10, 1: 8, 2: 9, 3: 9, 4: 24, 5: 10, 6: 24, 7: 18, 8: 10, 9: 11, 10: 60, 11: 45, 12: 45, 13: 14}
    return OutputSheet(COMPLIANCE, COMPLIANCE_HEADER, rows, widths=widths, formats={13: "#,##0"}, wrap={4, 6, 10, 11, 12},
                       title=f"Kiểm tra tiêu chuẩn và tỷ lệ khen thưởng năm {report.input.year}", notes=notes, landscape=True)


def money_sheet(report) -> OutputSheet:
    from .money import in_words

    rows = []
    for m in report.money:
        rows.append([m.title_name, T.SUBJECT_LABELS[m.subject], m.count, None if m.multiple is None else float(m.multiple),
                     m.unit_amount, m.total, in_words(m.total) if m.total is not None else "chưa có hệ số: nhập ở trang Cài đặt"])
    rows.append(["Tổng cộng", "", sum(m.count for m in report.money), None, None, report.money_total, in_words(report.money_total)])
    src = report.rule_set.money
    notes = [
        f"Mức thưởng = hệ số × lương cơ sở {report.settings.base_salary:,} đ".replace(",", ".")
        + f" ({src.get('article', '')} {src.get('source', '')}); làm tròn lên {report.settings.money_rounding:,} đ.".replace(",", "."),
        "Bằng khen, Giấy khen: hệ số lấy ở trang Cài đặt (bộ quy định chưa có).",
    ]
    return OutputSheet(MONEY, ["Danh hiệu, hình thức", "Đối tượng", "Số lượng", "Hệ số", "Mức thưởng (đ)", "Thành tiền (đ)", "Bằng chữ"], rows,
                       widths={0: 32, 1: 10, 2: 10, 3: 8, 4: 15, 5: 16, 6: 60}, formats={3: "0.0#", 4: "#,##0", 5: "#,##0"}, wrap={6},
                       title=f"Tiền thưởng theo danh hiệu năm {report.input.year}", notes=notes)


def _rounding(mode: str) -> str:
    from .quotas import ROUNDING_LABELS

    return ROUNDING_LABELS[mode]
