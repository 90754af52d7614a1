"""Output sheets of the scoring feature, built from a result: Kết quả, Xếp hạng,
Chênh lệch, and the problem list (Kiểm tra, or Lỗi in a separate error workbook)."""

from __future__ import annotations

from ..core.engine import BlockResult
from ..core.explain import TieNotes, fallback_note, key_text
from ..core.problems import Problems
from ..schema import core as S
from ..schema.base import fmt_num
from .sheet import Chart, OutputSheet

PROBLEM_HEADER = ["Mức độ", "Trang", "Ô", "Giá trị gặp", "Giá trị cần", "Cách sửa"]


def _fmt(decimals: int) -> str:
    return "0." + "0" * decimals if decimals > 0 else "0"


def criterion_header(result: BlockResult) -> list[str]:
    """A criterion's column header: its code and its name, so a printed sheet reads alone."""
    return [f"{c.code} – {c.name}" if c.name else c.code for c in result.block.criteria]


def _title(result: BlockResult, what: str) -> str:
    s = result.block.settings
    return what + (f" – {s.block_name}" if s.block_name else "") + (f" – {s.period} {s.year}" if s.year else "")


def results_sheet(result: BlockResult) -> OutputSheet:
    b = result.block
    s = b.settings
    n = len(b.criteria)
    notes_of = TieNotes.of(result)
    header = ["Hạng", "Xếp thứ", "Mã đơn vị", "Tên đơn vị", *criterion_header(result),
              "Điểm nội dung", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Ghi chú"]
    pos = {c: i for i, c in enumerate(b.unit_codes)}
    rows = []
    for u in result.units:
        pts = result.point_matrix[pos[u.code]]
        note = " ".join(x for x in (notes_of.unit(u.code), fallback_note(u.fallback, S.BLOCK, S.SELF)) if x)
        rows.append([u.rank, u.place, u.code, u.name, *pts.tolist(), u.content, u.bonus, u.deduction, u.total, u.klass, note])
    fmt = _fmt(s.decimals)
    total_col = 4 + n + 3
    formats = {i: fmt for i in range(4, 4 + n + 4)}
    widths = {0: 7, 1: 9, 2: 11, 3: 36, **{4 + j: 13 for j in range(n)}, 4 + n: 11, 5 + n: 11, 6 + n: 10, total_col: 11,
              4 + n + 4: 30, 4 + n + 5: 50}
    notes = [
        f"Điểm tối đa để xếp loại: {fmt_num(b.nominal_max)}. Làm tròn {s.decimals} chữ số thập phân (kiểu Excel) trước khi xếp hạng.",
        "Xếp hạng: " + ("đồng hạng (1, 1, 3)" if s.rank_method.value == "competition" else "liền hạng (1, 1, 2)")
        + ("; thứ tự phá hòa: " + "; ".join(s.tie_break) if s.tie_break else "; không khai báo thứ tự phá hòa"),
    ]
    return OutputSheet(S.RESULTS, header, rows, widths=widths, formats=formats, wrap={3, 4 + n + 4, 4 + n + 5},
                       title=_title(result, "Kết quả chấm điểm thi đua"), notes=notes,
                       chart=Chart("Tổng điểm của các đơn vị", label_col=3, value_col=total_col, number_format=fmt))


def ranking_sheet(result: BlockResult) -> OutputSheet:
    b = result.block
    notes_of = TieNotes.of(result)
    crit_names = {c.code: c.name for c in b.criteria}
    header = ["Hạng", "Xếp thứ", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Bằng điểm với", "Phân định theo", "Ghi chú"]
    rows = [[u.rank, u.place, u.code, u.name, u.total, u.klass, ", ".join(u.tied_with),
             key_text(u.broken_by, crit_names) if u.broken_by else "", notes_of.unit(u.code)] for u in result.units]
    return OutputSheet(S.RANKING, header, rows, widths={0: 7, 1: 9, 2: 11, 3: 38, 4: 11, 5: 30, 6: 18, 7: 40, 8: 60},
                       formats={4: _fmt(b.settings.decimals)}, wrap={3, 7, 8}, title=_title(result, "Bảng xếp hạng"))


def differences_sheet(result: BlockResult) -> OutputSheet:
    b = result.block
    names = {u.code: u.name for u in b.units}
    crit_names = {c.code: c.name for c in b.criteria}
    header = ["Mã đơn vị", "Tên đơn vị", "Tiêu chí", "Tên tiêu chí", "Tự chấm", "Khối chấm", "Ban TĐKT chấm", "Điểm cuối",
              "Chênh lệch so với tự chấm"]
    rows = [[d["unit"], names[d["unit"]], d["criterion"], crit_names[d["criterion"]], d["self"], d["block"], d["office"],
             d["final"], d["change"]] for d in result.differences]
    notes = [] if rows else ["Các lần chấm không có khác biệt."]
    policy = {"last": "người chấm sau cùng", "max": "điểm cao nhất", "mean": "điểm trung bình"}[b.settings.final_policy.value]
    notes.append(f"Điểm cuối lấy theo: {policy}; điểm Ban TĐKT chấm (nếu có) thay cho điểm của mục đó.")
    fmt = _fmt(b.settings.decimals)
    return OutputSheet(S.DIFFS, header, rows, widths={0: 11, 1: 34, 2: 9, 3: 40, 8: 16}, formats={i: fmt for i in range(4, 9)},
                       wrap={3}, title=_title(result, "Chênh lệch giữa các lần chấm"), notes=notes)


def problems_sheet(problems: Problems, name: str = S.CHECKS, title: str | None = None) -> OutputSheet:
    rows = [[p.severity.value, p.sheet, p.cell, p.found, p.expected, p.message] for p in problems]
    notes = [] if rows else ["Không phát hiện lỗi hay cảnh báo nào."]
    return OutputSheet(name, PROBLEM_HEADER, rows, widths={0: 10, 1: 18, 2: 9, 3: 24, 4: 32, 5: 90}, wrap={3, 4, 5},
                       title=title or "Lỗi và cảnh báo khi đọc sổ tính", notes=notes, landscape=True)
