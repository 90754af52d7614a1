"""Output sheets built from results: Kết quả, Xếp hạng, Chênh lệch, Kiểm tra / Lỗi."""

from __future__ import annotations

from ..core.engine import BlockResult
from ..core.model import TIE_VOTE, TIE_WOMEN
from ..core.problems import Problems
from . import layout as L
from .io import OutputSheet

RANKING = "Xếp hạng"
L.register_output_sheet(RANKING)

PROBLEM_HEADER = ["Mức độ", "Trang", "Ô", "Giá trị gặp", "Giá trị cần", "Cách sửa"]


def tie_note(result: BlockResult, code: str) -> str:
    """A Vietnamese note on a unit's tie: who it tied with, how the tie was broken."""
    row = result.table.loc[code]
    if not row["tied_with"]:
        return ""
    others = ", ".join(row["tied_with"])
    if row["unresolved"]:
        skipped = []
        for t in result.ties:
            if code in t["units"]:
                skipped = t["skipped"]
        note = f"Đồng hạng với {others}; thứ tự phá hòa chưa phân định được"
        if TIE_VOTE in skipped or not result.block.settings.tie_break:
            note += " (cần bỏ phiếu)"
        return note + "."
    return f"Bằng điểm với {others}; phân định theo {describe_key(result, row['broken_by'])}."


def describe_key(result: BlockResult, key: str) -> str:
    if key == TIE_WOMEN:
        return "ưu tiên tập thể có tỷ lệ nữ cao (NĐ 152/2025, Điều 4 khoản 6)"
    if key == TIE_VOTE:
        return "số phiếu bầu"
    if not key:
        return "thứ tự phá hòa"
    try:
        return f"điểm tiêu chí {key} ({result.block.criterion(key).name})"
    except KeyError:
        return key


def results_sheet(result: BlockResult) -> OutputSheet:
    b = result.block
    s = b.settings
    codes = b.criterion_codes
    header = ["Hạng", "Xếp thứ", "Mã đơn vị", "Tên đơn vị", *codes, "Điểm nội dung", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Ghi chú"]
    rows = []
    for code, r in result.table.iterrows():
        rows.append(
            [
                int(r["rank"]),
                r["place"],
                code,
                r["name"],
                *[result.points.at[code, c] for c in codes],
                r["content"],
                r["bonus"],
                r["deduction"],
                r["total"],
                r["class"],
                tie_note(result, code),
            ]
        )
    n = len(codes)
    fmt = "0." + "0" * s.decimals if s.decimals > 0 else "0"
    formats = {i: fmt for i in range(4, 4 + n + 4)}
    widths = {0: 7, 1: 9, 2: 11, 3: 38, 4 + n + 4: 30, 4 + n + 5: 50}
    title = "Kết quả chấm điểm thi đua"
    if s.block_name:
        title += f" – {s.block_name}"
    if s.year:
        title += f" – {s.period} {s.year}"
    notes = [
        f"Điểm tối đa để xếp loại: {_fmt(b.nominal_max)}. Làm tròn {s.decimals} chữ số thập phân (kiểu Excel) trước khi xếp hạng.",
        "Xếp hạng: " + ("đồng hạng (1, 1, 3)" if s.rank_method.value == "competition" else "liền hạng (1, 1, 2)")
        + ("; thứ tự phá hòa: " + "; ".join(s.tie_break) if s.tie_break else "; không khai báo thứ tự phá hòa"),
    ]
    sheet = OutputSheet(L.RESULTS, header, rows, widths=widths, formats=formats, title=title, notes=notes)
    sheet.after = _chart_hook(len(rows), 3, 4 + n + 3)
    return sheet


def _chart_hook(n_rows: int, name_col: int, total_col: int):
    """Native Excel bar chart of the totals, when the reports package provides it."""
    try:
        from ..reports.charts import add_results_chart  # type: ignore[import-not-found]
    except ImportError:
        return None

    def hook(ws) -> None:
        add_results_chart(ws, first_row=3, n_rows=n_rows, name_col=name_col + 1, total_col=total_col + 1)

    return hook


def ranking_sheet(result: BlockResult) -> OutputSheet:
    header = ["Hạng", "Xếp thứ", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Bằng điểm với", "Phân định theo", "Ghi chú"]
    rows = []
    for code, r in result.table.iterrows():
        rows.append(
            [
                int(r["rank"]),
                r["place"],
                code,
                r["name"],
                r["total"],
                r["class"],
                ", ".join(r["tied_with"]),
                describe_key(result, r["broken_by"]) if r["broken_by"] else "",
                tie_note(result, code),
            ]
        )
    s = result.block.settings
    fmt = "0." + "0" * s.decimals if s.decimals > 0 else "0"
    return OutputSheet(
        RANKING,
        header,
        rows,
        widths={0: 7, 1: 9, 2: 11, 3: 38, 5: 30, 6: 18, 7: 40, 8: 60},
        formats={4: fmt},
        title="Bảng xếp hạng" + (f" – {s.block_name}" if s.block_name else ""),
    )


def differences_sheet(result: BlockResult) -> OutputSheet:
    d = result.differences
    names = {u.code: u.name for u in result.block.units}
    header = ["Mã đơn vị", "Tên đơn vị", "Tiêu chí", "Tự chấm", "Khối chấm", "Ban TĐKT chấm", "Điểm cuối", "Chênh lệch so với tự chấm"]
    rows = [
        [r.unit, names[r.unit], r.criterion, r.self, r.block, r.office, r.final, r.change] for r in d.itertuples()
    ]
    notes = [] if rows else ["Các lần chấm không có khác biệt."]
    policy = {"last": "người chấm sau cùng", "max": "điểm cao nhất", "mean": "điểm trung bình"}[result.block.settings.final_policy.value]
    notes.append(f"Điểm cuối lấy theo: {policy}; điểm Ban TĐKT chấm (nếu có) thay cho điểm của mục đó.")
    return OutputSheet(L.DIFFS, header, rows, widths={0: 11, 1: 36, 2: 10, 7: 24}, notes=notes)


def problems_sheet(problems: Problems, name: str = L.CHECKS) -> OutputSheet:
    rows = [[p.severity.value, p.sheet, p.cell, p.found, p.expected, p.message] for p in problems]
    notes = [] if rows else ["Không phát hiện lỗi hay cảnh báo nào."]
    return OutputSheet(name, PROBLEM_HEADER, rows, widths={0: 10, 1: 16, 2: 7, 3: 24, 4: 34, 5: 90}, notes=notes)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")
