"""Actions of the award-rule checks: ``xlpy check`` and ``xlpy history import``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..actions import Result, Table
from ..book.io import Book, FileBook, open_book
from ..core.problems import Problems, UserError
from ..schema import rules as R
from . import titles as T
from .model import HistoryRecord


def check_book(book: Book, write: bool = True) -> Result:
    """Check the proposals of a workbook against the rule set in force on its round date."""
    from ..book.actions import failure
    from ..round import load_round
    from .model import DAT, KHONG_DAT, VUOT
    from .sheets import compliance_sheet, money_sheet

    from ..year.registration import check_proposals, listed_titles

    rnd, problems = load_round(book)
    rnd.registrations  # the registration sheet and its setting, checked with the rest (xlpy.year.registration)
    listed_titles(rnd, problems)
    report = rnd.check
    if report is None:
        return failure(book, problems, "kiểm tra khen thưởng")
    check_proposals(rnd, report.input.proposals, problems)  # proposals without registration: warnings
    files = []
    if write:
        book.replace_outputs([compliance_sheet(report), money_sheet(report)])
        if isinstance(book, FileBook):
            files.append(book.path)
    c = report.counts()
    others = sum(v for k, v in c.items() if k not in (DAT, KHONG_DAT, VUOT))
    msg = (f"{report.rule_set.name}: {len(report.outcomes)} đề nghị — {c.get(DAT, 0)} đạt, {c.get(KHONG_DAT, 0)} không đạt, "
           f"{c.get(VUOT, 0)} vượt tỷ lệ" + (f", {others} chờ quyết định" if others else "") + "."
           + (f" Kết quả ở trang “{R.COMPLIANCE}”." if write else ""))
    rows = [[str(o.proposal.row or ""), o.proposal.code, o.name, T.title_name(o.proposal.title), o.verdict, ", ".join(o.rules), o.fix]
            for o in report.outcomes]
    table = Table(f"Đề nghị khen thưởng — {report.rule_set.name}",
                  ["Dòng", "Mã", "Tên", "Danh hiệu, hình thức", "Kết luận", "Quy định", "Cách khắc phục"], rows,
                  more=f"chi tiết ở trang “{R.COMPLIANCE}”")
    return Result(True, msg, data=report.to_dict(), problems=problems, files=files, table=table)


# ---------------------------------------------------------------------------------------
# history import


def collect_history(src_path: Path, target_units: set[str], problems: Problems) -> list[HistoryRecord]:
    """History records found in an earlier year's workbook: its own history sheet, its
    proposals decided “Được khen” (column Quyết định; see :mod:`xlpy.year.decisions`)
    and its evaluation grades."""
    from ..round import load_round
    from ..year.decisions import decisions
    from . import inputs

    local = Problems()
    rnd, _ = load_round(open_book(src_path))
    year = rnd.settings.get("year") or (rnd.settings.get("round_date").year if rnd.settings.get("round_date") else None)
    out: list[HistoryRecord] = list(inputs.history(rnd.table(R.HISTORY_TABLE), set(target_units), local))
    if year is None:
        local.add("missing_year", R.HISTORY, "B", None, "Năm hoặc Ngày xét",
                  f"Sổ tính “{src_path.name}” không ghi Năm ở trang Cài đặt: không biết lịch sử thuộc năm nào.")
    else:
        d = decisions(rnd, int(year), local)
        for h in d.records:
            check_unit = h.code if h.subject == T.TT else h.unit
            if target_units and check_unit and check_unit not in target_units:
                sheet = R.COLLECTIVES if h.kind == "xep_loai" else R.PROPOSALS
                local.add("unknown_unit", sheet, f"A{h.row}" if h.row else "", check_unit, "mã đơn vị ở trang Đơn vị của sổ đích",
                          f"Đơn vị “{check_unit}” của sổ năm {year} không có ở trang Đơn vị của sổ đang nhập.")
                continue
            out.append(h)
    for p in local:
        problems.add(p.code, f"{src_path.name}: {p.sheet}", p.cell, p.found, p.expected, p.message, p.severity)
    return out


def _key(h: HistoryRecord) -> tuple:
    return (h.year, h.subject, h.code, h.title, h.kind)


def history_row(h: HistoryRecord) -> list[Any]:
    kind = T.KINDS.get(h.kind, "")
    return [h.year, T.SUBJECT_LABELS[h.subject], h.code, h.name or None, h.unit or None, T.title_name(h.title), kind,
            h.decision or None, h.decision_date, h.achievement or None]


def history_import(book: Book, sources: list[Path], dry_run: bool = False) -> Result:
    """Append earlier years' awards and grades to the history sheet (no duplicates)."""
    from ..book.actions import failure
    from ..round import load_round
    from . import inputs

    rnd, _ = load_round(book)
    problems = Problems()
    units = {u.code for u in rnd.units_list}
    existing = inputs.history(rnd.table(R.HISTORY_TABLE), units, problems)
    have = {_key(h) for h in existing}
    new: list[HistoryRecord] = []
    for src_path in sources:
        try:
            found = collect_history(Path(src_path), units, problems)
        except UserError as e:
            problems.add(e.code, str(src_path), "", str(src_path), "một sổ tính đọc được", e.message)
            continue
        for h in found:
            if _key(h) not in have:
                have.add(_key(h))
                new.append(h)
    if problems.has_errors:
        return failure(book, problems, "nhập lịch sử")
    new.sort(key=lambda h: (h.year, h.subject, h.code, h.kind))
    data = {"added": len(new), "rows": [{"year": h.year, "subject": h.subject, "code": h.code, "title": h.title, "kind": h.kind,
                                         "decision": h.decision} for h in new]}
    if dry_run or not new:
        msg = f"Có {len(new)} dòng lịch sử mới" + (" (chưa ghi)." if dry_run and new else ".")
        return Result(True, msg, data=data, problems=problems)
    append_rows(book, rnd.sheets.get(R.HISTORY), R.HISTORY_TABLE, [history_row(h) for h in new])
    return Result(True, f"Đã thêm {len(new)} dòng vào trang “{R.HISTORY}”.", data=data, problems=problems,
                  files=[book.path] if isinstance(book, FileBook) else [])


def append_rows(book: Book, actual: str | None, table, rows: list[list[Any]]) -> None:
    """Append rows under an input table (created when the sheet is missing); only empty cells are written."""
    from ..book.sheet import OutputSheet
    from ..schema.base import is_blank

    header = [c.header for c in table.columns]
    if actual is None:
        book.replace_outputs([OutputSheet(table.sheet, header, rows, widths={j: c.width for j, c in enumerate(table.columns)},
                                          formats={j: c.number_format for j, c in enumerate(table.columns) if c.number_format},
                                          input=True)])
        return
    grid = book.grid(actual) or []
    last = max([i + 1 for i, r in enumerate(grid) if any(not is_blank(v) for v in r)] + [1])
    cells = {(last + i, j + 1): v for i, row in enumerate(rows, start=1) for j, v in enumerate(row) if v is not None}
    book.fill_cells(actual, cells, {j + 1: h for j, h in enumerate(header)})
