"""Actions of the award-rule checks: ``xlpy check`` and ``xlpy history import``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from ..actions import Result, action
from ..book import layout as L
from ..book.io import Book, FileBook, OutputSheet, atomic_save, open_book
from ..core.problems import Problems
from . import sheets as S
from . import titles as T
from .engine import NoRuleSet, check
from .model import DAT, KHONG_DAT, VUOT, HistoryRecord
from .settings import parse_settings
from .settings import register as _register_settings

_register_settings()
S.register()


def _failure(book: Book, problems: Problems, what: str) -> Result:
    try:
        from ..book.actions import _failure as core_failure  # the .loi.xlsx error workbook, like the other actions

        return core_failure(book, problems, what)
    except ImportError:  # pragma: no cover
        n = len(problems.errors)
        return Result(False, f"Chưa {what}: sổ tính “{book.name}” có {n} lỗi cần sửa. Sổ tính không bị thay đổi.", problems=problems)


@action(
    "check",
    label="Kiểm tra khen thưởng",
    help="Kiểm tra tiêu chuẩn danh hiệu, tỷ lệ khen thưởng, số phiếu Hội đồng; ghi trang Tuân thủ và Tiền thưởng.",
    group="Khen thưởng",
    icon="ReviewAcceptChange",
    order=60,
    supertip="Mỗi đề nghị và mỗi tỷ lệ có một dòng: kết luận (đạt / không đạt / vượt tỷ lệ), mã quy định, số liệu, "
    "căn cứ pháp lý và cách khắc phục. Bộ quy định chọn theo Ngày xét (NĐ 98/2023 trước 01/7/2025, NĐ 152/2025 từ 01/7/2025).",
)
def check_book(book: Book, write: Annotated[bool, "Ghi kết quả vào trang Tuân thủ và Tiền thưởng"] = True) -> Result:
    """Check the proposals of a workbook against the rule set in force on its round date."""
    inp, settings, problems = S.read_rules_input(book)
    if inp is None:
        return _failure(book, problems, "kiểm tra khen thưởng")
    try:
        report = check(inp, settings)
    except NoRuleSet as e:
        problems.add("no_rule_set", L.SETTINGS, settings.cells.get("rule_set", "B").split("!")[-1], inp.round_date.strftime("%d/%m/%Y"),
                     "Ngày xét từ 01/01/2024", str(e))
        return _failure(book, problems, "kiểm tra khen thưởng")
    files = []
    if write:
        book.replace_outputs([S.compliance_sheet(report), S.money_sheet(report)])
        if isinstance(book, FileBook):
            files.append(book.path)
    c = report.counts()
    msg = (
        f"{report.rule_set.name}: {len(report.outcomes)} đề nghị — {c[DAT]} đạt, {c[KHONG_DAT]} không đạt, {c[VUOT]} vượt tỷ lệ."
        + (f" Kết quả ở trang “{S.COMPLIANCE}”." if write else "")
    )
    return Result(True, msg, data=report.to_dict(), problems=problems, files=files, render=lambda console: _render(report, console))


def _render(report, console) -> None:
    from rich.table import Table

    style = {DAT: "green", KHONG_DAT: "red", VUOT: "yellow"}
    t = Table(title=f"Đề nghị khen thưởng — {report.rule_set.name}", show_lines=False)
    for h in ("Dòng", "Mã", "Tên", "Danh hiệu, hình thức", "Kết luận", "Quy định", "Cách khắc phục"):
        t.add_column(h, overflow="fold")
    for o in report.outcomes:
        t.add_row(str(o.proposal.row or ""), o.proposal.code, o.name, T.title_name(o.proposal.title),
                  f"[{style[o.verdict]}]{o.verdict}[/]", ", ".join(o.rules), o.fix)
    console.print(t)
    q = Table(title="Tỷ lệ khen thưởng")
    for h in ("Quy định", "Phạm vi", "Kết luận", "Số liệu"):
        q.add_column(h, overflow="fold")
    for v in report.verdicts:
        if v.section == "Tỷ lệ":
            q.add_row(v.rule_id, v.scope, f"[{style[v.verdict]}]{v.verdict}[/]", v.numbers)
    console.print(q)
    if report.money:
        console.print(f"Tiền thưởng: {report.money_total:,} đ".replace(",", "."))


# ---------------------------------------------------------------------------------------
# history import


def _source_year(src: Book, problems: Problems, where: str) -> int | None:
    _s, core = parse_settings(src.grid(L.SETTINGS), Problems())
    year = core.get("year") or (core["round_date"].year if core.get("round_date") else None)
    if year is None:
        problems.add("missing_year", where, "B", None, "Năm hoặc Ngày xét", f"Sổ tính “{src.name}” không ghi Năm ở trang Cài đặt: không biết lịch sử thuộc năm nào.")
    return year


def collect_history(src: Book, target_units: set[str], problems: Problems) -> list[HistoryRecord]:
    """History records found in an earlier year's workbook: its own history sheet,
    its proposals that have a decision number (awarded), and its evaluation grades."""
    local = Problems()
    year = _source_year(src, local, f"{src.name}: {L.SETTINGS}")
    units = set(target_units)
    out: list[HistoryRecord] = list(S.read_history(src, units, local))
    people = S.read_people(src, set(), Problems())
    if year is not None:
        for p in people.values():
            if p.grade:
                out.append(HistoryRecord(year, T.CN, p.code, p.grade, "xep_loai", p.unit, p.name, row=p.row))
        for c in S.read_collectives(src, {}, Problems()).values():
            if c.grade:
                if units and c.code not in units:
                    local.add("unknown_unit", S.COLLECTIVES, f"A{c.row}", c.code, "mã đơn vị ở trang Đơn vị của sổ đích",
                              f"Đơn vị “{c.code}” của sổ năm {year} không có ở trang Đơn vị của sổ đang nhập.")
                    continue
                out.append(HistoryRecord(year, T.TT, c.code, c.grade, "xep_loai", row=c.row))
        grid = src.grid(S.PROPOSALS)
        got = S.table_rows(grid, S.PROPOSALS, S.PROPOSAL_COLUMNS, Problems()) if grid else None
        for r in (got[0] if got else []):
            decision = S.code_text(r.values.get("decision"))
            if not decision:
                continue  # proposed but not (yet) decided: not history
            subject = T.parse_subject(r.values.get("subject"))
            title = T.parse_title(r.values.get("title"))
            kind = T.parse_kind(r.values.get("kind"))
            code = S.code_text(r.values.get("code"))
            if subject is None or title is None or kind is None or not code:
                local.add("unknown_title", S.PROPOSALS, r.addr("title"), r.values.get("title"), "đề nghị hợp lệ", f"Dòng {r.index + 1} của sổ năm {year} không đọc được.")
                continue
            unit = people[code].unit if subject == T.CN and code in people else ""
            check_unit = code if subject == T.TT else unit
            if units and check_unit and check_unit not in units:
                local.add("unknown_unit", S.PROPOSALS, r.addr("code"), check_unit, "mã đơn vị ở trang Đơn vị của sổ đích",
                          f"Đơn vị “{check_unit}” của sổ năm {year} không có ở trang Đơn vị của sổ đang nhập.")
                continue
            name = people[code].name if code in people else ""
            dd = S.parse_date(r.values.get("decision_date")) if r.values.get("decision_date") else None
            out.append(HistoryRecord(year, subject, code, title, kind, unit, name, decision, dd, S.code_text(r.values.get("achievement")), r.index + 1))
    for p in local:
        problems.add(p.code, f"{src.name}: {p.sheet}", p.cell, p.found, p.expected, p.message, p.severity)
    return out


def _key(h: HistoryRecord) -> tuple:
    return (h.year, h.subject, h.code, h.title, h.kind)


def _history_row(h: HistoryRecord) -> list[Any]:
    kind = T.KINDS.get(h.kind, "")
    return [h.year, T.SUBJECT_LABELS[h.subject], h.code, h.name or None, h.unit or None, T.title_name(h.title), kind,
            h.decision or None, h.decision_date, h.achievement or None]


@action(
    "history import",
    label="Nhập lịch sử khen thưởng",
    help="Chép danh hiệu đã có quyết định và kết quả xếp loại từ sổ tính các năm trước vào trang Lịch sử khen thưởng.",
    group="Khen thưởng",
    icon="FileOpen",
    ribbon=False,
    order=61,
)
def history_import(
    book: Book,
    sources: Annotated[list[Path], "Sổ tính của các năm trước (một hoặc nhiều tệp .xlsx)"],
    dry_run: Annotated[bool, "Chỉ liệt kê, không ghi vào sổ tính"] = False,
) -> Result:
    """Append earlier years' awards and grades to the history sheet (no duplicates)."""
    from ..book.read import read_units

    problems = Problems()
    units = {u.code for u in read_units(book, Problems())}
    existing = S.read_history(book, units, problems)
    have = {_key(h) for h in existing}
    new: list[HistoryRecord] = []
    for src_path in sources:
        try:
            src = open_book(src_path)
        except FileNotFoundError as e:
            problems.add("missing_file", str(src_path), "", str(src_path), "một sổ tính có sẵn", str(e))
            continue
        for h in collect_history(src, units, problems):
            if _key(h) not in have:
                have.add(_key(h))
                new.append(h)
    if problems.has_errors:
        return _failure(book, problems, "nhập lịch sử")
    new.sort(key=lambda h: (h.year, h.subject, h.code, h.kind))
    data = {"added": len(new), "rows": [{"year": h.year, "subject": h.subject, "code": h.code, "title": h.title, "kind": h.kind,
                                         "decision": h.decision} for h in new]}
    if dry_run or not new:
        msg = f"Có {len(new)} dòng lịch sử mới" + (" (chưa ghi)." if dry_run and new else ".")
        return Result(True, msg, data=data, problems=problems)
    rows = [_history_row(h) for h in new]
    if isinstance(book, FileBook):
        _append_rows_file(book, rows)
        files = [book.path]
    else:  # another door (Excel): rewrite the whole history table through the Book interface
        all_rows = [_history_row(h) for h in existing] + rows
        book.replace_outputs([OutputSheet(S.HISTORY, [c.header for c in S.HISTORY_COLUMNS], all_rows)])
        files = []
    return Result(True, f"Đã thêm {len(new)} dòng vào trang “{S.HISTORY}”.", data=data, problems=problems, files=files)


def _append_rows_file(book: FileBook, rows: list[list[Any]]) -> None:
    """Append rows to the history table of a workbook file, keeping its styles and
    table; atomic save with a backup."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    keep_vba = book.path.suffix.lower() in (".xlsm", ".xlam")
    wb = openpyxl.load_workbook(book.path, keep_vba=keep_vba)
    if S.HISTORY in wb.sheetnames:
        ws = wb[S.HISTORY]
    else:
        from .samples import blank_sheet

        ws = blank_sheet(wb, S.HISTORY, S.HISTORY_COLUMNS, [], blank_rows=0)
    last = 1
    for r in range(ws.max_row, 1, -1):
        if any(ws.cell(row=r, column=j).value not in (None, "") for j in range(1, len(S.HISTORY_COLUMNS) + 1)):
            last = r
            break
    for i, row in enumerate(rows, start=last + 1):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j, value=v)
            if isinstance(v, (dt.date, dt.datetime)):
                c.number_format = "dd/mm/yyyy"
    end = last + len(rows)
    for t in ws.tables.values():
        first_cell = t.ref.split(":")[0]
        last_row = int("".join(ch for ch in t.ref.split(":")[1] if ch.isdigit()))
        if end > last_row:
            t.ref = f"{first_cell}:{get_column_letter(len(S.HISTORY_COLUMNS))}{end}"
    atomic_save(wb, book.path)
    book._grids = None  # noqa: SLF001 - the file changed; re-read on next access
