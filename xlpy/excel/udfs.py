"""Worksheet functions (UDFs) for Excel: one call per table, thin over the core.

Each function takes whole ranges and returns one 2D array that spills beside
the input (Excel 365 / 2021) or fills a Ctrl+Shift+Enter range (older Excel).
When the first row of the input is a header, the result has a header too, so
one formula typed in the header row lines up with the table row by row.

=================  ==========================================================
``TDKT_SCORE``     điểm từng đơn vị từ bảng số liệu và bảng tiêu chí
``TDKT_RANK``      xếp hạng theo cách đã chọn (đồng hạng / liền hạng), phá hòa
``TDKT_CLASS``     xếp loại theo ngưỡng % điểm tối đa
``TDKT_QUOTA``     trần số được khen theo tỷ lệ (làm tròn xuống)
``TDKT_ELIGIBLE``  kết luận đủ / chưa đủ tiêu chuẩn
=================  ==========================================================

Bad arguments never produce a Python traceback in a cell: the function
returns one cell reading ``#VALUE! <what to fix>`` (in Vietnamese).

The decorators are xlwings' own; on Linux they do nothing, so every function is
a plain Python function that tests call directly.  The VBA wrappers the add-in
carries are generated from this module by :mod:`xlpy.excel.build`; after
changing a signature, rebuild the add-in (``xlpy build-addin``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import xlwings as xw

from ..core.problems import Problems
from ..schema.base import CellError
from . import args as A
from .args import UdfError

CATEGORY = "Thi đua – Khen thưởng"

__all__ = ["TDKT_SCORE", "TDKT_RANK", "TDKT_CLASS", "TDKT_QUOTA", "TDKT_ELIGIBLE", "UDF_NAMES", "UdfError"]


# ---------------------------------------------------------------------------
# TDKT_SCORE


POINTS_SHEET = "Bảng điểm"


def _criteria(criteria: Any, bands: Any, problems: Problems) -> tuple[list, list, dict]:
    """Criteria (and groups) from the criteria range, exactly as the workbook reader reads them."""
    from ..book import block as BB
    from ..schema import core as S
    from ..schema.base import read_table

    crit, groups, where = BB.criteria(read_table(A.grid(criteria), S.CRITERIA_TABLE, problems), problems)
    has_bands = not A.missing(bands)
    crit = BB.bands(read_table(A.grid(bands), S.BAND_TABLE, problems) if has_bands else None, crit, problems, has_bands)
    return crit, groups, where


def score_table(points: Any, criteria: Any, decimals: Any = 2, detail: Any = False, bands: Any = None) -> list[list[Any]]:
    """The pure body of :func:`TDKT_SCORE` (raises :class:`UdfError`): a one-stage block
    built by the workbook reader's own functions and scored by the engine, so the
    answer — and every error — is the workbook's."""
    from ..book.entries import read_entries
    from ..core.engine import compute
    from ..core.model import Settings, Stage, Unit
    from ..round import assemble_block
    from ..schema import core as S
    from ..schema.base import norm

    from ..features import setting

    d = A.int_arg(decimals, 2, setting("decimals").key, 0, 9)
    want_detail = A.bool_arg(detail, False)
    problems = Problems()
    crit, groups, where = _criteria(criteria, bands, problems)
    A.raise_problems(problems, "Bảng tiêu chí")
    g = A.grid(points)
    if len(g) < 1:
        raise UdfError("Bảng điểm đang trống. Chọn cả dòng tiêu đề (mã tiêu chí) và các dòng số liệu.")
    width = max(len(r) for r in g)
    # the data rows become units U2, U3… (their row in the range); a code column is added
    # after the range's own columns, so cells keep their address within the range
    rows = [(i, r) for i, r in enumerate(g[1:], start=2) if any(v is not None for v in r)]
    units = [Unit(f"U{i}", f"dòng {i}") for i, _r in rows]
    keys = {norm(k.header) for k in S.STAGE_KEYS}  # the range's own key columns are ignored (units are its rows)
    head = [None if norm(h) in keys else h for h in g[0]]
    table = [head + [None] * (width - len(g[0])) + [S.STAGE_KEYS[0].header]]
    table += [list(r) + [None] * (width - len(r)) + [u.code] for (_i, r), u in zip(rows, units)]
    entries = read_entries(table, POINTS_SHEET, units, crit, problems)
    A.raise_problems(problems, POINTS_SHEET)
    assert entries is not None
    if not units:
        return A.out(["Tổng điểm"], [[None] for _ in g[1:]])
    block = assemble_block(Settings(decimals=d), units, crit, groups, _default_classes(), {Stage.SELF: entries}, None, where,
                           problems)
    A.raise_problems(problems, POINTS_SHEET)
    assert block is not None
    import numpy as np

    r = compute(block)
    cols = [r.point_matrix, r.content[:, None], r.bonus[:, None], r.deduction[:, None]] if want_detail else []
    scored = A.plain_rows(np.hstack(cols + [r.total[:, None]]))
    blank = [None] * len(scored[0])
    by_row = {i: k for k, (i, _r) in enumerate(rows)}
    out_rows = [scored[by_row[i]] if i in by_row else list(blank) for i in range(2, len(g) + 1)]
    head = ([c.code for c in crit] + ["Điểm nội dung", "Điểm thưởng", "Điểm trừ", "Tổng điểm"]) if want_detail else ["Tổng điểm"]
    return A.out(head, out_rows)


def _default_classes():
    from ..core.model import DEFAULT_CLASSES

    return DEFAULT_CLASSES


@xw.func(category=CATEGORY)
@xw.arg("points", ndim=2, err_to_str=True, doc="Bảng số liệu: dòng đầu là mã tiêu chí, mỗi dòng sau là một đơn vị (cột khác bị bỏ qua).")
@xw.arg("criteria", ndim=2, err_to_str=True, doc="Bảng tiêu chí như trang Tiêu chí, gồm dòng tiêu đề (Mã, Nhóm, Tên tiêu chí, Loại, Điểm tối đa, ...).")
@xw.arg("decimals", doc="Số chữ số thập phân khi làm tròn kiểu Excel; bỏ trống = 2.")
@xw.arg("detail", doc="TRUE: trả cả điểm từng tiêu chí, điểm nội dung, thưởng, trừ; bỏ trống: chỉ tổng điểm.")
@xw.arg("bands", ndim=2, err_to_str=True, doc="Bảng bậc điểm (trang Bậc điểm), chỉ cần khi có tiêu chí loại Bậc thưởng.")
def TDKT_SCORE(points, criteria, decimals=2, detail=False, bands=None):
    """Tính tổng điểm cả bảng đơn vị theo bảng tiêu chí (quy đổi theo loại tiêu chí, trọng số, trần nhóm, làm tròn kiểu Excel). Nhập một lần ở dòng tiêu đề; kết quả tràn xuống từng dòng."""
    try:
        return score_table(points, criteria, decimals, detail, bands)
    except Exception as e:  # noqa: BLE001 - a cell never shows a traceback
        return A.error_cell(e)


# ---------------------------------------------------------------------------
# TDKT_RANK

_DENSE_WORDS = ("liền hạng", "lien hang", "dense", "1, 1, 2", "1,1,2", "liền")
_COMP_WORDS = ("đồng hạng", "dong hang", "competition", "1, 1, 3", "1,1,3", "đồng", "min")


def _rank_method(x: Any):
    from ..core.model import RankMethod

    v = A.scalar(x, "đồng hạng")
    if isinstance(v, float):
        if v in (0.0, 1.0):
            return RankMethod.DENSE if v == 1.0 else RankMethod.COMPETITION
    if isinstance(v, str):
        k = v.strip().casefold()
        if any(k.startswith(w) for w in _DENSE_WORDS):
            return RankMethod.DENSE
        if any(k.startswith(w) for w in _COMP_WORDS):
            return RankMethod.COMPETITION
    raise UdfError(f"Cách xếp hạng “{v}” không hợp lệ. Dùng “Đồng hạng” (1, 1, 3) hoặc “Liền hạng” (1, 1, 2).")


def rank_table(totals: Any, method: Any = None, tiebreak: Any = None, blocks: Any = None) -> list[list[Any]]:
    """The pure body of :func:`TDKT_RANK` (raises :class:`UdfError`)."""
    import numpy as np

    from ..core.ranking import rank_blocks

    header, vals = A.column(totals, "totals")
    first = 2 if header is not None else 1
    nums = A.numbers(vals, "Cột tổng điểm", first)
    n = len(nums)
    rm = _rank_method(method)
    keys: list[tuple[str, np.ndarray]] = []
    if not A.missing(tiebreak):
        tg = A.grid(tiebreak)
        names = None
        if header is not None:
            names, tg = tg[0], tg[1:]
        if len(tg) != n:
            raise UdfError(f"Vùng phá hòa có {len(tg)} dòng nhưng cột tổng điểm có {n} dòng. Chọn hai vùng cùng số dòng.")
        width = max((len(r) for r in tg), default=0)
        for j in range(width):
            col = A.numbers([r[j] if j < len(r) else None for r in tg], f"Vùng phá hòa, cột {j + 1}", first)
            name = str(names[j]) if names and j < len(names) and names[j] is not None else f"phá hòa {j + 1}"
            keys.append((name, np.array([np.nan if c is None else c for c in col], dtype=float)))
    block_ids = np.zeros(n, dtype=int)
    if not A.missing(blocks):
        bg = A.grid(blocks)
        if len(bg) == 1 and len(bg[0]) > 1:  # a row: take it as the column
            bg = [[v] for v in bg[0]]
        bvals = [r[0] for r in bg]
        if header is not None:  # same rows as totals, header included
            bvals = bvals[1:]
        if len(bvals) != n:
            raise UdfError(f"Cột khối có {len(bvals)} dòng nhưng cột tổng điểm có {n} dòng. Chọn hai cột cùng số dòng.")
        labels: dict[Any, int] = {}
        block_ids = np.array([labels.setdefault(b, len(labels)) for b in bvals], dtype=int)
    present = np.array([v is not None for v in nums])
    idx = np.flatnonzero(present)
    ranks: list[Any] = [None] * n
    if len(idx):
        total = np.array([nums[i] for i in idx], dtype=float)
        outcome = rank_blocks(block_ids[idx], total, [(k, v[idx]) for k, v in keys], rm)
        for i, r in zip(idx, outcome.rank):
            ranks[i] = int(r)
    return A.out(["Hạng"] if header is not None else None, [[r] for r in ranks])


@xw.func(category=CATEGORY)
@xw.arg("totals", ndim=2, err_to_str=True, doc="Cột tổng điểm (có thể gồm ô tiêu đề); ô trống không được xếp hạng.")
@xw.arg("method", doc="“Đồng hạng” (1, 1, 3; mặc định) hoặc “Liền hạng” (1, 1, 2).")
@xw.arg("tiebreak", ndim=2, err_to_str=True, doc="Các cột phá hòa theo thứ tự ưu tiên, cùng số dòng, số lớn hơn xếp trên.")
@xw.arg("blocks", ndim=2, err_to_str=True, doc="Cột tên khối: xếp hạng riêng trong từng khối; bỏ trống = một khối.")
def TDKT_RANK(totals, method="Đồng hạng", tiebreak=None, blocks=None):
    """Xếp hạng cả cột tổng điểm (điểm cao xếp trên) theo cách xếp hạng đã chọn; khi bằng điểm, phá hòa lần lượt theo các cột phá hòa. Hòa không phá được thì giữ đồng hạng."""
    try:
        return rank_table(totals, method, tiebreak, blocks)
    except Exception as e:  # noqa: BLE001
        return A.error_cell(e)


# ---------------------------------------------------------------------------
# TDKT_CLASS


def class_table(totals: Any, maximum: Any = 100, classes: Any = None) -> list[list[Any]]:
    """The pure body of :func:`TDKT_CLASS` (raises :class:`UdfError`)."""
    import numpy as np

    from ..book import block as BB
    from ..core.classify import classify
    from ..core.model import DEFAULT_CLASSES
    from ..schema import core as S
    from ..schema.base import read_table

    header, vals = A.column(totals, "totals")
    nums = A.numbers(vals, "Cột tổng điểm", 2 if header is not None else 1)
    mx = A.scalar(maximum, 100.0)
    if isinstance(mx, bool) or not isinstance(mx, float) or mx <= 0:
        raise UdfError(f"Điểm tối đa phải là một số lớn hơn 0 (đang là “{mx}”).")
    bands = DEFAULT_CLASSES
    if not A.missing(classes):
        problems = Problems()
        bands = BB.classes(read_table(A.grid(classes), S.CLASS_TABLE, problems), problems)
        A.raise_problems(problems, "Bảng xếp loại")
    t = np.array([np.nan if v is None else v for v in nums], dtype=float)
    names = classify(t, mx, bands) if len(t) else []
    rows = [[None if v is None else str(nm)] for v, nm in zip(nums, names)]
    return A.out(["Xếp loại"] if header is not None else None, rows)


@xw.func(category=CATEGORY)
@xw.arg("totals", ndim=2, err_to_str=True, doc="Cột tổng điểm (có thể gồm ô tiêu đề).")
@xw.arg("maximum", doc="Điểm tối đa của thang điểm; bỏ trống = 100.")
@xw.arg("classes", ndim=2, err_to_str=True, doc="Bảng xếp loại (Xếp loại, Từ (% điểm tối đa)); bỏ trống = 4 mức 90/70/50/0 %.")
def TDKT_CLASS(totals, maximum=100, classes=None):
    """Xếp loại cả cột tổng điểm: mức đầu tiên mà tổng điểm đạt từ ngưỡng % điểm tối đa trở lên (Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ)."""
    try:
        return class_table(totals, maximum, classes)
    except Exception as e:  # noqa: BLE001
        return A.error_cell(e)


# ---------------------------------------------------------------------------
# TDKT_QUOTA

_ROUNDING_WORDS = {
    "floor": "floor", "xuống": "floor", "xuong": "floor", "làm tròn xuống": "floor",
    "ceil": "ceil", "lên": "ceil", "len": "ceil", "làm tròn lên": "ceil",
    "half_up": "half_up", "0,5": "half_up", "0.5": "half_up", "làm tròn 0,5 lên": "half_up",
}


def quota_table(base: Any, pct: Any, rounding: Any = None, count: Any = None) -> list[list[Any]]:
    """The pure body of :func:`TDKT_QUOTA` (raises :class:`UdfError`)."""
    try:
        from ..rules.quotas import quota_cap
    except ImportError as e:  # pragma: no cover - the rules package ships with xlpy
        raise UdfError(f"Thiếu phần quy định khen thưởng của xlpy ({e}). Cài lại xlpy.") from e

    r = A.scalar(rounding, "floor")
    mode = _ROUNDING_WORDS.get(str(r).strip().casefold()) if isinstance(r, str) else None
    if mode is None:
        raise UdfError(f"Cách làm tròn “{r}” không hợp lệ. Dùng “xuống” (mặc định), “lên” hoặc “0,5”.")
    bh, bases = A.column(base, "base")
    ph, pcts = A.column(pct, "pct")
    cnt = A.scalar(count, None)
    if cnt is not None and (isinstance(cnt, bool) or not isinstance(cnt, float) or cnt < 0 or not cnt.is_integer()):
        raise UdfError(f"Số suất tối đa (count) phải là số nguyên không âm (đang là “{cnt}”).")
    n = max(len(bases), len(pcts))
    if len(bases) not in (1, n) or len(pcts) not in (1, n):
        raise UdfError(f"Cột cơ sở ({len(bases)} dòng) và cột tỷ lệ ({len(pcts)} dòng) phải cùng số dòng, hoặc một bên là một ô.")
    bases = bases * n if len(bases) == 1 else bases
    pcts = pcts * n if len(pcts) == 1 else pcts
    first = 2 if bh is not None else 1
    rows: list[list[Any]] = []
    for i, (b, p) in enumerate(zip(bases, pcts)):
        if b is None or p is None:
            rows.append([None])
            continue
        if isinstance(b, bool) or not isinstance(b, float) or b < 0 or not b.is_integer():
            raise UdfError(f"Dòng {first + i}: số cơ sở “{b}” phải là số nguyên không âm (số người, số tập thể).")
        if isinstance(p, bool) or not isinstance(p, float) or not 0 <= p <= 100:
            raise UdfError(f"Dòng {first + i}: tỷ lệ “{p}” phải là phần trăm từ 0 đến 100 (nhập 15 cho 15 %).")
        rows.append([quota_cap(int(b), pct=p, count=None if cnt is None else int(cnt), rounding=mode)])
    return A.out(["Số tối đa"] if bh is not None else None, rows)


@xw.func(category=CATEGORY)
@xw.arg("base", ndim=2, err_to_str=True, doc="Số cơ sở để tính tỷ lệ (số người hoặc số tập thể): một ô hoặc một cột.")
@xw.arg("pct", ndim=2, err_to_str=True, doc="Tỷ lệ tối đa, tính bằng % (15 nghĩa là 15 %): một ô hoặc một cột cùng số dòng.")
@xw.arg("rounding", doc="Làm tròn: “xuống” (mặc định), “lên” hoặc “0,5”.")
@xw.arg("count", doc="Số suất tối đa cố định (nếu quy định có); khi có cả hai, lấy số nhỏ hơn.")
def TDKT_QUOTA(base, pct, rounding="xuống", count=None):
    """Tính số được khen tối đa theo tỷ lệ “không quá X % của Y”, làm tròn theo cách đã chọn (mặc định làm tròn xuống); tính chính xác, không sai số thập phân."""
    try:
        return quota_table(base, pct, rounding, count)
    except Exception as e:  # noqa: BLE001
        return A.error_cell(e)


# ---------------------------------------------------------------------------
# TDKT_ELIGIBLE

# column header (folded) -> fact of xlpy.rules.eligible
_FACT_HEADERS = {
    "xếp loại": "grade", "xếp loại năm": "grade", "xếp loại tập thể": "grade",
    "số thành viên": "members", "thành viên": "members",
    "hoàn thành nhiệm vụ": "completed", "số hoàn thành nhiệm vụ": "completed",
    "lđtt": "ldtt", "số lđtt": "ldtt",
    "cstđcs": "cstdcs", "số cstđcs": "cstdcs",
    "bị kỷ luật": "disciplined", "số bị kỷ luật": "disciplined",
    "hạng": "rank",
    "cấp sáng kiến": "initiative_level", "sáng kiến": "initiative_level",
    "số sáng kiến": "initiatives",
}
_COUNT_FACTS = ("members", "completed", "ldtt", "cstdcs", "disciplined", "rank", "initiatives")


def eligible_table(title: Any, table: Any, year: Any = None) -> list[list[Any]]:
    """The pure body of :func:`TDKT_ELIGIBLE` (raises :class:`UdfError`)."""
    import datetime as dt

    try:
        from ..rules.engine import eligible_many
        from ..rules.titles import parse_grade, parse_initiative, parse_title
    except ImportError as e:  # pragma: no cover - the rules package ships with xlpy
        raise UdfError(f"Thiếu phần quy định khen thưởng của xlpy ({e}). Cài lại xlpy.") from e

    t = A.scalar(title, None)
    code = parse_title(t) if t is not None else None
    if code is None:
        raise UdfError(f"Danh hiệu “{t or ''}” không rõ. Ví dụ: “Tập thể lao động xuất sắc”, “Chiến sĩ thi đua cơ sở”, “LĐTT”.")
    y = A.int_arg(year, dt.date.today().year, "năm xét", 2000, 2100)
    g = A.grid(table)
    if len(g) < 2:
        raise UdfError("Bảng số liệu cần dòng tiêu đề và ít nhất một dòng (ví dụ: Xếp loại, Số thành viên, LĐTT, CSTĐCS).")
    cols: dict[str, int] = {}
    for j, h in enumerate(g[0]):
        key = _FACT_HEADERS.get(unicodedata.normalize("NFC", str(h or "")).strip().casefold())
        if key and key not in cols:
            cols[key] = j
    if not cols:
        raise UdfError("Không nhận ra cột nào. Đặt tiêu đề cột như: " + ", ".join(sorted({k.title() for k in _FACT_HEADERS})[:8]) + "…")
    facts_rows: list[dict[str, Any] | None] = []
    for i, r in enumerate(g[1:], start=2):
        vals = {k: (r[j] if j < len(r) else None) for k, j in cols.items()}
        if all(v is None for v in vals.values()):
            facts_rows.append(None)
            continue
        facts: dict[str, Any] = {}
        for k, v in vals.items():
            if v is None:
                continue
            if isinstance(v, CellError):
                raise UdfError(f"Dòng {i}: ô cột “{g[0][cols[k]]}” đang có lỗi {v.code}. Sửa ô đó trước.")
            if k == "grade":
                gc = parse_grade(v)
                if gc is None:
                    raise UdfError(f"Dòng {i}: xếp loại “{v}” không rõ (Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ).")
                facts[k] = gc
            elif k == "initiative_level":
                lv = int(v) if isinstance(v, float) and v.is_integer() and 0 <= v <= 3 else parse_initiative(v)
                if lv is None:
                    raise UdfError(f"Dòng {i}: cấp sáng kiến “{v}” không rõ (cơ sở, tỉnh, toàn quốc).")
                facts[k] = lv
            else:
                if isinstance(v, bool) or not isinstance(v, float) or v < 0 or not v.is_integer():
                    shown = f"{v:g}".replace(".", ",") if isinstance(v, float) else v
                    raise UdfError(f"Dòng {i}: “{g[0][cols[k]]}” phải là số nguyên không âm (đang là “{shown}”).")
                facts[k] = int(v)
        facts_rows.append(facts)
    verdicts = eligible_many(code, facts_rows, year=y)  # all rows in one pass
    rows = [[None, None] if v is None else [v.verdict, v.fix or ""] for v in verdicts]
    return A.out(["Kết luận", "Cần bổ sung"], rows)


@xw.func(category=CATEGORY)
@xw.arg("title", doc="Danh hiệu xét, ví dụ “Tập thể lao động xuất sắc”, “Chiến sĩ thi đua cơ sở” hoặc viết tắt “TTLĐXS”.")
@xw.arg("table", ndim=2, err_to_str=True, doc="Bảng số liệu có dòng tiêu đề: Xếp loại, Số thành viên, Hoàn thành nhiệm vụ, LĐTT, CSTĐCS, Bị kỷ luật, Cấp sáng kiến… (cột khác bị bỏ qua).")
@xw.arg("year", doc="Năm xét; bỏ trống = năm hiện tại. Năm quyết định bộ quy định áp dụng.")
def TDKT_ELIGIBLE(title, table, year=None):
    """Xét tiêu chuẩn danh hiệu cho cả bảng: mỗi dòng trả “đạt”/“không đạt” và điều còn thiếu, theo bộ quy định có hiệu lực trong năm xét (chưa áp dụng tỷ lệ khen thưởng, lịch sử các năm)."""
    try:
        return eligible_table(title, table, year)
    except Exception as e:  # noqa: BLE001
        return A.error_cell(e)


UDF_NAMES = ("TDKT_SCORE", "TDKT_RANK", "TDKT_CLASS", "TDKT_QUOTA", "TDKT_ELIGIBLE")
