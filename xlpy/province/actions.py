"""The doors of the province level.

* ``xlpy province DIR|FILES --out TINH.xlsx`` (:func:`province_action`): consolidates the
  blocks' workbooks into a province workbook, created when it does not exist (blank input
  sheets and the outputs), otherwise its input sheets are read and only xlpy's output
  sheets are replaced;
* ``xlpy consolidate TINH.xlsx`` — the ribbon button “Tổng hợp cấp tỉnh” (:func:`consolidate_action`):
  the same on a province workbook (open in Excel or a file) whose settings name the
  folder of the blocks' workbooks.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

from ..actions import Result, Table
from ..core.problems import Problems, Severity, UserError
from ..schema import province as P

REPORT_CHOICES = ("none", "docx", "pdf", "all")


def default_out(sources: Sequence[Path]) -> Path:
    first = Path(sources[0]) if sources else Path.cwd()
    if first.is_dir():
        return first.resolve().parent / f"{first.resolve().name}-tong-hop-tinh.xlsx"
    return first.resolve().parent / "tong-hop-cap-tinh.xlsx"


def province_action(sources: list[Path], out: Path | None = None, jobs: int | None = None, report: str = "none") -> Result:
    """Consolidate the block workbooks named by ``sources`` (folders and/or files) into ``out``."""
    from ..book.io import FileBook
    from ..book.package import BookFileError

    sources = [Path(s) for s in sources]
    out = Path(out) if out else default_out(sources)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        out = out.with_suffix(".xlsx")
    if report not in REPORT_CHOICES:
        return Result(False, f"“{report}” không hợp lệ cho --report: chọn {', '.join(REPORT_CHOICES)}.")
    book = None
    if out.exists():
        try:
            book = FileBook(out)
            book.sheet_names()
        except BookFileError as e:
            return _refused(e.code, e.message)
        from .workbook import is_province_book

        if not is_province_book(book):
            return _refused("province_not_province_book",
                            f"Tệp “{out.name}” đã có nhưng không phải sổ tính cấp tỉnh (thiếu trang “{P.SETTINGS}”): xlpy không ghi đè. "
                            "Chọn tên tệp khác cho --out.")
        with book.lock():
            return _run(book, out, sources, jobs, report)
    return _run(None, out, sources, jobs, report)


def consolidate_action(book: Any, jobs: int | None = None, report: str = "all") -> Result:
    """The ribbon's “Tổng hợp cấp tỉnh”: the folder of block workbooks comes from the settings."""
    from ..templating import configured_folder
    from .workbook import is_province_book, read_inputs

    if not is_province_book(book):
        return _refused("province_not_province_book",
                        f"Sổ tính “{book.name}” không phải sổ tính cấp tỉnh (thiếu trang “{P.SETTINGS}”). Tạo sổ tính cấp tỉnh bằng "
                        "lệnh xlpy province THƯ-MỤC --out TINH.xlsx.")
    probs = Problems()
    values, _expected = read_inputs(book, probs)
    base = _book_folder(book)
    raw = values.get("blocks_folder") or ""
    folder, why = configured_folder(raw, base)
    if folder is None:
        cell = values.cell("blocks_folder") or "B"
        msg = (f"Thư mục sổ tính các khối “{raw}” {why.replace('không tìm thấy thư mục', 'không có')}" if raw else
               "Chưa ghi “Thư mục sổ tính các khối”") + f" (trang {P.SETTINGS}, ô {cell}). Ghi thư mục chứa sổ tính của các khối rồi bấm lại."
        probs.add("province_no_folder", P.SETTINGS, cell, raw or None, "một thư mục có sổ tính các khối", msg)
        return Result(False, msg, problems=probs)
    return _run(book, getattr(book, "path", None), [folder], jobs, report)


def _book_folder(book: Any) -> Path:
    path = getattr(book, "path", None)
    if path is None:  # the workbook open in Excel
        full = str(getattr(getattr(book, "xw", None), "fullname", "") or "")
        path = Path(full) if full and Path(full).is_absolute() else None
    return Path(path).parent if path else Path.cwd()


def _refused(code: str, message: str) -> Result:
    probs = Problems()
    probs.add(code, "", "", "", "", message)
    return Result(False, message, problems=probs)


def _run(book: Any, out: Path | None, sources: list[Path], jobs: int | None, report: str) -> Result:
    from .consolidate import consolidate, summary
    from .read import block_files
    from .sheets import output_sheets
    from .workbook import read_inputs, settings_from

    probs = Problems()
    if book is not None:
        values, expected = read_inputs(book, probs)
        if probs.has_errors:
            return Result(False, f"Chưa tổng hợp: sổ tính “{book.name}” có {len(probs.errors)} lỗi ở trang "
                          f"“{P.SETTINGS}” hoặc “{P.EXPECTED}”. Sổ tính không bị thay đổi.", problems=probs)
    else:
        from ..schema.base import settings_from_values

        values, expected = settings_from_values(P.SETTINGS_SPECS, {}), []
    settings = settings_from(values, probs)
    if probs.has_errors:
        return Result(False, "Chưa tổng hợp: trang Cài đặt tỉnh có lỗi. Sổ tính không bị thay đổi.", problems=probs)
    files, missing = block_files(sources, exclude=[out] if out else [])
    for m in missing:
        probs.add("missing_file", "", "", m, "thư mục hoặc tệp sổ tính", f"Không tìm thấy “{m}”.")
    if not files:
        probs.add("province_no_blocks", "", "", ", ".join(str(s) for s in sources), "các tệp .xlsx của khối",
                  "Không tìm thấy sổ tính (.xlsx) nào của các khối trong: " + ", ".join(str(s) for s in sources) + ".")
        return Result(False, "Chưa tổng hợp: không có sổ tính khối nào. " + probs.errors[-1].message, problems=probs)
    blank: list[Any] = []

    def build_blank() -> None:  # a new workbook's input sheets do not need the blocks: built while they are read
        from .sheets import output_names
        from .workbook import blank_province_package

        blank.append(blank_province_package(out, outputs=output_names(settings)))  # type: ignore[arg-type]

    prov = consolidate(files, settings, expected, jobs=jobs, meanwhile=build_blank if book is None else None)
    t0 = time.perf_counter()
    sheets = output_sheets(prov)
    prov.seconds["sheets"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    written: list[Path] = []
    try:
        if book is None:
            from .workbook import write_province_workbook

            write_province_workbook(blank[0], sheets)
            written.append(out)  # type: ignore[arg-type]
        else:
            book.replace_outputs(sheets)
            if getattr(book, "path", None):
                written.append(book.path)
    except UserError as e:
        probs.add(e.code, "", "", "", "", e.message)
        return Result(False, e.message, problems=probs)
    prov.seconds["write"] = time.perf_counter() - t0
    saved = list(written)  # the workbook's file (none for a workbook open in Excel that was never saved)
    for f in prov.files:
        probs.extend(f.problems)
    notes: list[str] = []
    if report != "none":
        from ..reports.render import TemplateError
        from .report import render

        target = out or _book_folder(book) / Path(getattr(book, "name", "tinh.xlsx")).name  # the workbook open in Excel
        folder = target.parent / f"{target.stem}-bao-cao"
        fmts = ("docx",) if report == "docx" else ("docx", "pdf")
        try:
            files_made, notes = render(prov, folder, fmts)
            written += files_made
        except TemplateError as e:
            notes.append(str(e))
            probs.add("pdf_failed" if report == "pdf" else "unknown_variable", "", "", "", "", str(e), Severity.WARNING)
    msg = summary(prov) + (f" Sổ tính cấp tỉnh: {written[0]}." if saved else "")
    made = written[len(saved):]
    if made:
        kinds = ", ".join("Word" if f.suffix == ".docx" else "PDF" for f in made)
        msg += f" Báo cáo tổng hợp ({kinds}): {made[0].parent}."
    if notes:
        msg += " " + " ".join(notes)
    return Result(True, msg, data=_data(prov), problems=probs, files=written, table=_table(prov))


def _data(prov) -> dict:
    from collections import Counter

    v = Counter(p.verdict for p in prov.proposals)
    return {
        "files": len(prov.files), "blocks": len(prov.blocks), "units": len(prov.units), "proposals": len(prov.proposals),
        "verdicts": dict(v), "bad_files": [f.file for f in prov.files if not f.ok and not f.province_book],
        "missing": [e.code for e in prov.missing], "late": [prov.files[i].file for i in sorted(prov.late)],
        "duplicates": [what for what, _m in prov.duplicates],
        "checks": [{"rule": r.rule_id, "verdict": r.verdict, "block": r.block, "numbers": r.numbers} for r in prov.rows
                   if r.rule_id != "T-01" or r.verdict != "đạt"],
        "seconds": {k: round(t, 3) for k, t in prov.seconds.items()},
    }


def _table(prov) -> Table:
    rows = []
    for r in prov.rows:
        if r.verdict == "đạt" and r.rule_id == "T-01":
            continue
        rows.append([r.rule_id, r.verdict, r.block or r.scope, r.numbers])
    return Table("Kiểm tra cấp tỉnh (trừ các khối đạt T-01)", ["Mã", "Kết luận", "Khối / phạm vi", "Số liệu"], rows,
                 more=f"đủ ở trang “{P.CHECKS}”")
