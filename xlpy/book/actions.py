"""Workbook actions: new, prepare, validate, compute, rank, demo.

Each one loads the round once (:func:`xlpy.round.load_round`), calls the pure
core and writes output sheets only.  When the input has errors nothing in the
workbook changes: the problems go back to the door (terminal, message box) and,
for a file, into a separate ``<tên sổ>.loi.xlsx`` workbook beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..actions import Result, Table
from ..core.problems import Problems
from ..schema import core as S
from .io import Book, FileBook


def failure(book: Book, problems: Problems, what: str) -> Result:
    """Nothing written to the book; the problems as an error workbook beside a file."""
    from .sheets import problems_sheet

    files = []
    sheet = problems_sheet(problems, S.ERRORS, title=f"Lỗi trong sổ tính {book.name}")
    writer = getattr(book, "write_problem_report", None)
    if writer is not None:
        out = writer(sheet)
        if out is not None:
            files.append(out)
    elif isinstance(book, FileBook):
        from .io import write_new_workbook

        try:
            files.append(write_new_workbook(error_workbook(book.path), [sheet]))
        except OSError:
            pass  # a read-only folder: the problems still reach the door
    n = len(problems.errors)
    msg = f"Chưa {what}: sổ tính “{book.name}” có {n} lỗi cần sửa. Sổ tính không bị thay đổi."
    if files:
        msg += f" Danh sách lỗi: {files[0]}"
    return Result(False, msg, data=None, problems=problems, files=files)


def error_workbook(path: Path) -> Path:
    return path.with_name(f"{path.stem}.loi.xlsx")


def clear_error_workbook(book: Book) -> None:
    if isinstance(book, FileBook):
        error_workbook(book.path).unlink(missing_ok=True)


def _n(x: float) -> str:
    from ..core.rounding import excel_round_scalar

    x = excel_round_scalar(float(x), 6)
    return str(int(x)) if x.is_integer() else f"{x:g}".replace(".", ",")


def summary(result: Any) -> str:
    top = [u for u in result.units if u.rank == 1]
    lead = ", ".join(f"{u.code} ({u.name})" for u in top)
    unresolved = sum(1 for t in result.tie_groups if not t.resolved)
    msg = f"Đã tính điểm {len(result.units)} đơn vị. Dẫn đầu: {lead}, {_n(top[0].total)} điểm."
    if unresolved:
        msg += f" Có {unresolved} nhóm đồng hạng chưa phân định được."
    return msg


SCREEN = 25  # rows of a summary the terminal shows


def ranked_table(result: Any) -> Table:
    """The top of the ranked list for the terminal; the whole list is in the sheet."""
    from ..core.explain import TieNotes

    s = result.block.settings
    notes = TieNotes.of(result)
    title = "Kết quả" + (f" – {s.block_name}" if s.block_name else "") + (f" – {s.period} {s.year}" if s.year else "")
    units = result.units
    rows = [[str(u.rank), u.place, u.code, u.name, f"{u.total:.{s.decimals}f}".replace(".", ","), u.klass,
             notes.unit(u.code)] for u in units[:SCREEN]]
    more = f"… và {len(units) - SCREEN} đơn vị nữa, đủ ở trang “{S.RESULTS}”." if len(units) > SCREEN else ""
    return Table(title, ["Hạng", "Xếp thứ", "Mã", "Đơn vị", "Tổng điểm", "Xếp loại", "Ghi chú"], rows, more=more)


def _scored(book: Book, what: str):
    from ..round import load_round

    rnd, problems = load_round(book)
    if rnd.result is None:
        return None, failure(book, problems, what)
    return rnd, None


def validate_action(book: Book) -> Result:
    from ..round import load_round

    rnd, problems = load_round(book)
    if rnd.block is not None:
        rnd.rules  # the award sheets too: every problem of the workbook at once
        rnd.registrations
    if problems.has_errors:
        return failure(book, problems, "thể kiểm tra xong")
    clear_error_workbook(book)
    w = len(problems.warnings)
    msg = f"Sổ tính “{book.name}” hợp lệ" + (f", có {w} cảnh báo." if w else ", không có lỗi.")
    b = rnd.block
    return Result(True, msg, data={"units": len(b.units), "criteria": len(b.criteria)} if b else None, problems=problems)


def compute_action(book: Book) -> Result:
    from .sheets import differences_sheet, problems_sheet, results_sheet

    rnd, fail = _scored(book, "tính điểm")
    if fail is not None:
        return fail
    r = rnd.result
    book.replace_outputs([results_sheet(r), differences_sheet(r), problems_sheet(rnd.problems)])
    clear_error_workbook(book)
    return Result(True, summary(r), data=r.to_dict, problems=rnd.problems, table=ranked_table(r),
                  files=[book.path] if isinstance(book, FileBook) else [])


def rank_action(book: Book) -> Result:
    from .sheets import ranking_sheet

    rnd, fail = _scored(book, "xếp hạng")
    if fail is not None:
        return fail
    r = rnd.result
    book.replace_outputs([ranking_sheet(r)])
    clear_error_workbook(book)
    keys = ("code", "name", "total", "rank", "place", "class", "tie")

    def data() -> dict:
        return {"units": [{k: u[k] for k in keys} for u in r.to_dict()["units"]], "ties": r.ties}

    return Result(True, summary(r), data=data, problems=rnd.problems, table=ranked_table(r),
                  files=[book.path] if isinstance(book, FileBook) else [])


def new_action(path: Path, block_name: str = "", year: int | None = None, force: bool = False) -> Result:
    from .template import new_workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    if path.exists() and not force:
        return Result(False, f"Tệp {path} đã có; chọn tên khác hoặc dùng --force để ghi đè.")
    new_workbook(path, block_name=block_name, year=year)
    return Result(True, f"Đã tạo sổ tính mới: {path}", data={"path": str(path)}, files=[path])


def prepare_action(book: Book) -> Result:
    from .prepare import prepare

    return prepare(book)


def demo_action(out: Path | None = None, sample: str = "so-nganh-100") -> Result:
    """The bundled sample, scored, checked and reported in a fresh folder; ok only if every step is."""
    from .. import actions as registry
    from ..samples import SAMPLES, build_sample

    if sample not in SAMPLES:
        return Result(False, f"Không có khối mẫu “{sample}”. Chọn: {', '.join(SAMPLES)}.")
    folder = fresh_folder(Path(out) if out else Path("xlpy-demo"))
    path = build_sample(sample, folder / f"{sample}.xlsx")
    steps = [("compute", {}), ("check", {}), ("report", {"out": folder})]
    results = [registry.run(name, path, **opts) for name, opts in steps]
    first = results[0]
    files = [path]
    problems = Problems()
    for r in results:
        files.extend(f for f in r.files if f not in files)
        problems.extend(r.problems)
    ok = all(r.ok for r in results)
    msg = " ".join(r.message for r in results)
    if str(folder) not in msg:
        msg += f" Thư mục: {folder}"
    if not ok:
        failed = ", ".join(name for (name, _), r in zip(steps, results) if not r.ok)
        msg = f"Chạy thử chưa trọn vẹn (bước lỗi: {failed}). " + msg
    return Result(ok, msg, data={"folder": str(folder), "result": first.data, "steps": {n: r.ok for (n, _), r in zip(steps, results)}},
                  problems=problems, files=files, table=first.table)


def fresh_folder(base: Path) -> Path:
    """``base`` if it does not exist or is empty, else base-2, base-3…"""
    cand = base
    i = 2
    while cand.exists() and any(cand.iterdir()):
        cand = base.with_name(f"{base.name}-{i}")
        i += 1
    cand.mkdir(parents=True, exist_ok=True)
    return cand


__all__ = ["compute_action", "demo_action", "failure", "new_action", "prepare_action", "rank_action", "validate_action"]
