"""Workbook actions: new, prepare, validate, compute, rank, demo.

Each one reads through a :class:`~xlpy.book.io.Book`, calls the pure core and
writes output sheets only.  When the input has errors nothing in the workbook
changes: the problems go back to the door (terminal, message box) and, for a
file, into a separate ``<tên sổ>.loi.xlsx`` workbook beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from ..actions import Result, action
from ..core.problems import Problems
from . import layout as L
from .io import Book, FileBook

if TYPE_CHECKING:  # the engine (pandas) is imported when an action runs, not when the CLI starts
    from ..core.engine import BlockResult


def _failure(book: Book, problems: Problems, what: str) -> Result:
    from .sheets import problems_sheet

    files = []
    writer = getattr(book, "write_problem_report", None)
    if writer is None and isinstance(book, FileBook):
        writer = lambda sheet: write_problem_workbook(book.path, sheet)  # noqa: E731
    if writer is not None:
        out = writer(problems_sheet(problems, L.ERRORS))
        if out is not None:
            files.append(out)
    n = len(problems.errors)
    msg = f"Chưa {what}: sổ tính “{book.name}” có {n} lỗi cần sửa. Sổ tính không bị thay đổi."
    if files:
        msg += f" Danh sách lỗi: {files[0]}"
    return Result(False, msg, data=None, problems=problems, files=files)


def write_problem_workbook(book_path: Path, sheet) -> Path:
    """The error list as its own workbook beside the book (the book itself stays untouched)."""
    import openpyxl

    from .io import atomic_save
    from .write import fill_sheet

    out = book_path.with_name(f"{book_path.stem}.loi.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet.name
    sheet.title = f"Lỗi trong sổ tính {book_path.name}"
    fill_sheet(ws, sheet)
    atomic_save(wb, out, backup=False)
    return out


def _clear_problem_workbook(book: Book) -> None:
    if isinstance(book, FileBook):
        stale = book.path.with_name(f"{book.path.stem}.loi.xlsx")
        if stale.exists():
            stale.unlink()


def _summary(result: "BlockResult") -> str:
    t = result.table
    top = t[t["rank"] == 1]
    lead = ", ".join(f"{c} ({r['name']})" for c, r in top.iterrows())
    unresolved = sum(1 for x in result.ties if not x["resolved"])
    msg = f"Đã tính điểm {len(t)} đơn vị. Dẫn đầu: {lead}, {_n(top['total'].iloc[0])} điểm."
    if unresolved:
        msg += f" Có {unresolved} nhóm đồng hạng chưa phân định được."
    return msg


def _n(x: float) -> str:
    from ..core.rounding import excel_round_scalar

    x = excel_round_scalar(float(x), 6)
    return str(int(x)) if x.is_integer() else f"{x:g}".replace(".", ",")


def render_table(result: "BlockResult"):
    """Rich rendering of the ranked table for the terminal."""

    def render(console) -> None:
        from rich.table import Table

        s = result.block.settings
        title = "Kết quả" + (f" – {s.block_name}" if s.block_name else "") + (f" – {s.period} {s.year}" if s.year else "")
        tb = Table(title=title)
        for h, j in (("Hạng", "right"), ("Xếp thứ", "left"), ("Mã", "left"), ("Đơn vị", "left"), ("Tổng điểm", "right"), ("Xếp loại", "left"), ("Ghi chú", "left")):
            tb.add_column(h, justify=j)  # type: ignore[arg-type]
        from .sheets import tie_note

        for code, r in result.table.iterrows():
            tb.add_row(str(r["rank"]), r["place"], code, r["name"], f"{r['total']:.{s.decimals}f}".replace(".", ","), r["class"], tie_note(result, code))
        console.print(tb)

    return render


def _compute(book: Book) -> tuple["BlockResult | None", Problems]:
    from ..core.engine import compute
    from .read import read_block

    block, problems = read_block(book)
    if block is None:
        return None, problems
    return compute(block), problems


def _score_and_write(book: Book, what: str, sheets, data) -> Result:
    """Read, score, and (only when the input is clean) rebuild the given output sheets."""
    result, problems = _compute(book)
    if result is None:
        return _failure(book, problems, what)
    book.replace_outputs(sheets(result, problems))
    _clear_problem_workbook(book)
    return Result(True, _summary(result), data=data(result), problems=problems, render=render_table(result))


@action(
    "validate",
    label="Kiểm tra dữ liệu",
    help="Kiểm tra sổ tính: liệt kê mọi lỗi nhập liệu kèm trang, ô và cách sửa.",
    group="Chấm điểm",
    icon="ErrorChecking",
    order=20,
)
def validate_action(book: Book) -> Result:
    from .read import read_block

    block, problems = read_block(book)
    if problems.has_errors:
        return _failure(book, problems, "thể kiểm tra xong")
    _clear_problem_workbook(book)
    w = len(problems.warnings)
    msg = f"Sổ tính “{book.name}” hợp lệ" + (f", có {w} cảnh báo." if w else ", không có lỗi.")
    return Result(True, msg, data={"units": len(block.units), "criteria": len(block.criteria)} if block else None, problems=problems)


@action(
    "compute",
    label="Tính điểm",
    help="Tính điểm, xếp hạng, xếp loại; ghi trang Kết quả, Chênh lệch, Kiểm tra.",
    group="Chấm điểm",
    icon="CalculateNow",
    order=30,
)
def compute_action(book: Book) -> Result:
    from .sheets import differences_sheet, problems_sheet, results_sheet

    return _score_and_write(
        book,
        "tính điểm",
        lambda r, p: [results_sheet(r), differences_sheet(r), problems_sheet(p)],
        lambda r: r.to_dict(),
    )


@action(
    "rank",
    label="Xếp hạng",
    help="Lập bảng xếp hạng (Nhất, Nhì, Ba; đồng hạng) kèm giải thích phá hòa ở trang Xếp hạng.",
    group="Chấm điểm",
    icon="SortUp",
    order=40,
)
def rank_action(book: Book) -> Result:
    from .sheets import ranking_sheet

    keys = ("code", "name", "total", "rank", "place", "class", "tie")
    return _score_and_write(
        book,
        "xếp hạng",
        lambda r, p: [ranking_sheet(r)],
        lambda r: {"units": [{k: u[k] for k in keys} for u in r.to_dict()["units"]], "ties": r.ties},
    )


@action(
    "new",
    label="Sổ mới",
    help="Tạo sổ tính mới theo mẫu chuẩn (không chứa macro).",
    group="Dữ liệu",
    icon="FileNew",
    order=10,
)
def new_action(
    path: Annotated[Path, "Đường dẫn sổ tính mới (.xlsx)"],
    block_name: Annotated[str, "Tên khối/cụm thi đua"] = "",
    year: Annotated[int | None, "Năm đánh giá"] = None,
    force: Annotated[bool, "Ghi đè nếu tệp đã có"] = False,
) -> Result:
    from .template import new_workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    if path.exists() and not force:
        return Result(False, f"Tệp {path} đã có; chọn tên khác hoặc dùng --force để ghi đè.")
    new_workbook(path, block_name=block_name, year=year)
    return Result(True, f"Đã tạo sổ tính mới: {path}", data={"path": str(path)}, files=[path])


@action(
    "prepare",
    label="Tạo bảng chấm",
    help="Tạo các cột tiêu chí và dòng đơn vị còn thiếu ở các trang chấm điểm (không sửa ô đã nhập).",
    group="Dữ liệu",
    icon="TableInsert",
    order=15,
)
def prepare_action(book: Book) -> Result:
    from .prepare import prepare

    return prepare(book)


@action(
    "demo",
    label="Chạy thử",
    help="Chạy thử trên khối mẫu: tạo thư mục mới, tính điểm, in bảng xếp hạng.",
    ribbon=False,
    order=5,
)
def demo_action(
    out: Annotated[Path | None, "Thư mục kết quả (mặc định: thư mục mới xlpy-demo)"] = None,
    sample: Annotated[str, "Khối mẫu: so-nganh-100, thang-1000, ty-le-bac-thuong"] = "so-nganh-100",
) -> Result:
    from .. import actions as registry
    from ..samples import SAMPLES, build_sample

    if sample not in SAMPLES:
        return Result(False, f"Không có khối mẫu “{sample}”. Chọn: {', '.join(SAMPLES)}.")
    folder = _fresh_folder(Path(out) if out else Path("xlpy-demo"))
    path = build_sample(sample, folder / f"{sample}.xlsx")
    res = compute_action(FileBook(path))
    files = [path, *res.files]
    notes = [res.message]
    for extra, opts in (("check", {}), ("report", {"out": folder})):
        try:
            act = registry.get(extra)
        except KeyError:
            continue
        r = act.func(FileBook(path), **opts)
        files.extend(f for f in r.files if f not in files)
        notes.append(r.message)
    msg = " ".join(notes)
    if str(folder) not in msg:
        msg += f" Thư mục: {folder}"
    return Result(res.ok, msg, data={"folder": str(folder), "result": res.data}, problems=res.problems, files=files, render=res.render)


def _fresh_folder(base: Path) -> Path:
    """``base`` if it does not exist or is empty, else base-2, base-3…"""
    cand = base
    i = 2
    while cand.exists() and any(cand.iterdir()):
        cand = base.with_name(f"{base.name}-{i}")
        i += 1
    cand.mkdir(parents=True, exist_ok=True)
    return cand


__all__ = ["compute_action", "validate_action", "rank_action", "new_action", "prepare_action", "demo_action"]
