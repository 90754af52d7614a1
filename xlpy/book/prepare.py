"""“Tạo bảng chấm”: give every score sheet a column per criterion and a row per unit.

Only empty cells are filled (:meth:`FileBook.fill_cells`); a missing score sheet
is created.  Nothing an officer typed changes."""

from __future__ import annotations

from ..actions import Result
from ..core.model import Kind
from ..schema import core as S
from ..schema.base import code_text, is_blank, norm
from .io import Book
from .sheet import OutputSheet

KEY_HEADERS = tuple(c.header for c in S.STAGE_KEYS)  # a score sheet starts with the unit code and name


def prepare(book: Book) -> Result:
    from ..round import load_round
    from .actions import failure

    rnd, _problems = load_round(book)
    if rnd.base_problems.has_errors or not rnd.units_list or not rnd.criteria_list:
        return failure(book, rnd.base_problems, "tạo bảng chấm")
    units, crit = rnd.units_list, rnd.criteria_list
    measured = [c.code for c in crit if c.kind in (Kind.RATIO, Kind.TARGET)]
    plan = [(sheet, [c.code for c in crit]) for sheet in S.STAGE_SHEETS.values()]
    if measured:
        plan.append((S.TARGETS, measured))
    written = 0
    created = []
    for sheet, codes in plan:
        actual = rnd.sheets.get(sheet)
        if actual is None:
            book.replace_outputs([OutputSheet(sheet, [*KEY_HEADERS, *codes], [[u.code, u.name] for u in units],
                                              widths={0: 12, 1: 36}, input=True, landscape=True)])
            created.append(sheet)
            written += 2 + len(codes) + 2 * len(units)
            continue
        grid = rnd.grid(sheet) or []
        header = list(grid[0]) if grid else []
        have_cols = {norm(code_text(h)) for h in header if not is_blank(h)}
        cells: dict[tuple[int, int], object] = {}
        names: dict[int, str] = {}
        col = len(header)
        if not header:
            cells[(1, 1)], cells[(1, 2)] = KEY_HEADERS
            names.update({1: KEY_HEADERS[0], 2: KEY_HEADERS[1]})
            col = 2
        for code in codes:
            if norm(code) not in have_cols:
                col += 1
                cells[(1, col)] = code
                names[col] = code
        present = {norm(code_text(r[0])) for r in grid[1:] if r and not is_blank(r[0])}
        last = max([i + 1 for i, r in enumerate(grid) if any(not is_blank(v) for v in r)] + [1])
        for u in units:
            if norm(u.code) not in present:
                last += 1
                cells[(last, 1)], cells[(last, 2)] = u.code, u.name
        if cells:
            written += book.fill_cells(actual, cells, names)
    msg = (f"Đã tạo bảng chấm: {len(crit)} tiêu chí × {len(units)} đơn vị ({written} ô tiêu đề/mã được thêm"
           + (f"; tạo trang {', '.join(created)}" if created else "") + ")." if written
           else "Các trang chấm điểm đã đủ cột tiêu chí và dòng đơn vị; không cần thêm gì.")
    return Result(True, msg, data={"cells_written": written, "created": created}, problems=rnd.base_problems)
