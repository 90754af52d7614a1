"""Titles, award forms, evaluation grades and other vocabularies, with parsing.

Codes are ASCII and stable (they appear in rule sets and JSON); every code has
the Vietnamese name officers type and see.  Parsing accepts the full name, the
usual abbreviation (``LĐTT``, ``CSTĐCS``…), either Unicode normal form, any
case, and text typed without diacritics.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..core.text import fold

CN = "CN"  # cá nhân (individual)
TT = "TT"  # tập thể (collective)
SUBJECT_LABELS = {CN: "Cá nhân", TT: "Tập thể"}


class Title(NamedTuple):
    code: str
    name: str
    subjects: tuple[str, ...]  # CN, TT or both
    annual: bool  # a yearly title (danh hiệu năm) rather than a one-off award form
    aliases: tuple[str, ...] = ()


TITLES: dict[str, Title] = {
    t.code: t
    for t in (
        Title("LDTT", "Lao động tiên tiến", (CN,), True, ("LĐTT",)),
        Title("CSTDCS", "Chiến sĩ thi đua cơ sở", (CN,), True, ("CSTĐCS", "CSTĐ cơ sở")),
        Title(
            "CSTD_TINH",
            "Chiến sĩ thi đua cấp tỉnh",
            (CN,),
            True,
            ("CSTĐ cấp tỉnh", "CSTĐ tỉnh", "Chiến sĩ thi đua tỉnh", "Chiến sĩ thi đua cấp bộ, ngành, tỉnh"),
        ),
        Title("TTLDTT", "Tập thể lao động tiên tiến", (TT,), True, ("TTLĐTT",)),
        Title("TTLDXS", "Tập thể lao động xuất sắc", (TT,), True, ("TTLĐXS",)),
        Title(
            "BK_TINH",
            "Bằng khen của Chủ tịch UBND tỉnh",
            (CN, TT),
            False,
            ("Bằng khen", "Bằng khen tỉnh", "Bằng khen UBND tỉnh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "BK"),
        ),
        Title("CO_TINH", "Cờ thi đua cấp tỉnh", (TT,), True, ("Cờ thi đua UBND tỉnh", "Cờ thi đua tỉnh", "Cờ tỉnh", "Cờ thi đua của UBND tỉnh")),
        Title("CO_CP", "Cờ thi đua của Chính phủ", (TT,), True, ("Cờ thi đua Chính phủ", "Cờ Chính phủ", "Cờ CP")),
        Title("GIAY_KHEN", "Giấy khen", (CN, TT), False, ("GK",)),
    )
}

# Order in which proposals are evaluated: a title's standard may depend on a
# lower title awarded in the same round (CSTĐCS needs LĐTT; Cờ CP needs Cờ tỉnh).
EVALUATION_ORDER = ("LDTT", "GIAY_KHEN", "TTLDTT", "CSTDCS", "TTLDXS", "BK_TINH", "CSTD_TINH", "CO_TINH", "CO_CP")

# ---- evaluation grades (xếp loại) --------------------------------------------------
GRADES = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "HTT": "Hoàn thành tốt nhiệm vụ",
    "HT": "Hoàn thành nhiệm vụ",
    "KHT": "Không hoàn thành nhiệm vụ",
}
GRADE_RANK = {"KHT": 0, "HT": 1, "HTT": 2, "HTXS": 3}

# ---- initiative recognition level ----------------------------------------------------
INITIATIVE_LEVELS = {0: "Không", 1: "Cơ sở", 2: "Tỉnh", 3: "Toàn quốc"}
INITIATIVE_CODES = {"none": 0, "co_so": 1, "tinh": 2, "toan_quoc": 3}
_INITIATIVE_ALIASES = {
    0: ("Không", "Chưa có"),
    1: ("Cơ sở", "Cấp cơ sở", "Phạm vi cơ sở"),
    2: ("Tỉnh", "Cấp tỉnh", "Phạm vi tỉnh", "Cấp bộ, ngành, tỉnh", "Bộ, ngành, tỉnh"),
    3: ("Toàn quốc", "Cấp toàn quốc", "Phạm vi toàn quốc"),
}

# ---- award kinds (loại khen thưởng) ------------------------------------------------------
KINDS = {"cong_trang": "Công trạng", "chuyen_de": "Chuyên đề", "dot_xuat": "Đột xuất", "xep_loai": "Xếp loại"}
_KIND_ALIASES = {
    "cong_trang": ("Công trạng", "Thường xuyên", "Hằng năm", "Tổng kết năm"),
    "chuyen_de": ("Chuyên đề", "Theo chuyên đề", "Phong trào chuyên đề"),
    "dot_xuat": ("Đột xuất",),
    "xep_loai": ("Xếp loại", "Đánh giá", "Xếp loại chất lượng"),
}

# ---- discipline forms (hình thức kỷ luật), mildest first --------------------------------------
DISCIPLINE = ("Khiển trách", "Cảnh cáo", "Hạ bậc lương", "Giáng chức", "Cách chức", "Buộc thôi việc")


def _table(pairs: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value, names in pairs.items():
        for n in names:
            out[fold(n)] = value
    return out


_TITLE_BY_NAME = _table({t.code: (t.code, t.name, *t.aliases) for t in TITLES.values()})
_GRADE_BY_NAME = _table({k: (k, v) for k, v in GRADES.items()})
_INITIATIVE_BY_NAME = _table({k: v for k, v in _INITIATIVE_ALIASES.items()})
_KIND_BY_NAME = _table({k: (k, *v) for k, v in _KIND_ALIASES.items()})
_DISCIPLINE_BY_NAME = _table({i: (d,) for i, d in enumerate(DISCIPLINE)})
_SUBJECT_BY_NAME = _table({CN: (CN, "Cá nhân"), TT: (TT, "Tập thể")})
_YES = {fold(x) for x in ("Có", "x", "Đúng", "1", "Yes", "True")}
_NO = {fold(x) for x in ("Không", "", "0", "No", "False", "Sai")}


def parse_title(text: Any) -> str | None:
    """Title code from a name or abbreviation; None when unknown.

    >>> parse_title("Tập thể lao động xuất sắc"), parse_title("cstđcs"), parse_title("Lao dong tien tien")
    ('TTLDXS', 'CSTDCS', 'LDTT')
    """
    return _TITLE_BY_NAME.get(fold(text))


def parse_grade(text: Any) -> str | None:
    """Grade code (HTXS/HTT/HT/KHT) from its name or abbreviation; None when unknown."""
    return _GRADE_BY_NAME.get(fold(text))


def parse_initiative(text: Any) -> int | None:
    return _INITIATIVE_BY_NAME.get(fold(text))


def parse_kind(text: Any) -> str | None:
    if text is None or str(text).strip() == "":
        return "cong_trang"
    return _KIND_BY_NAME.get(fold(text))


def parse_discipline(text: Any) -> int | None:
    """Index into :data:`DISCIPLINE` (0 = khiển trách); None when unknown."""
    return _DISCIPLINE_BY_NAME.get(fold(text))


def parse_subject(text: Any) -> str | None:
    return _SUBJECT_BY_NAME.get(fold(text))


def parse_yes(value: Any) -> bool | None:
    """Có/Không (and x, 1, True) → bool; None when not a yes/no value."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)):
        return value != 0
    f = fold(value)
    if f in _YES:
        return True
    if f in _NO:
        return False
    return None


def title_name(code: str) -> str:
    if code in TITLES:
        return TITLES[code].name
    return GRADES.get(code, code)
