"""Vietnamese formatting: numbers, dates, money and amounts in words.

Numbers go through Babel's ``vi_VN`` locale (``1.234,5``); rounding is done
here first, half away from zero like Excel, because Babel rounds half to even.
Dates follow Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2
take a leading zero ("ngày 05 tháng 01 năm 2026", "ngày 15 tháng 3 năm 2026").
Amounts in words follow the banking/administrative usage ("không trăm", "linh",
"mốt", "lăm"), which :mod:`num2words` gets wrong for ``lang="vi"`` (it reads
28.080.000 as "hai mươi tám triệu tám mươi nghìn" and 1.005 with "lẻ").

>>> fmt_number(1234.5)
'1.234,5'
>>> fmt_number(93.675, 2)
'93,68'
>>> fmt_date(dt.date(2026, 1, 5))
'ngày 05 tháng 01 năm 2026'
>>> fmt_money(1872000)
'1.872.000 đồng'
>>> amount_in_words(1872000)
'Một triệu tám trăm bảy mươi hai nghìn đồng'
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal

LOCALE = "vi_VN"

__all__ = [
    "LOCALE",
    "NBSP",
    "amount_in_words",
    "fmt_date",
    "fmt_date_short",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "fmt_place_date",
    "join_vi",
    "keep_together",
    "nfc",
    "number_in_words",
    "upper_vi",
]

NBSP = "\u00a0"  # no-break space: keeps "18.720.000 đồng" on one line in Word, PDF and HTML


def nfc(text: Any) -> str:
    """Text in Unicode NFC (TCVN 6909:2001 precomposed), ``None`` as ``""``."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text))


def keep_together(text: Any) -> str:
    """Text whose spaces never break a line (no-break spaces), for a figure and its unit.

    >>> keep_together("18.720.000 đồng") == "18.720.000\u00a0đồng"
    True
    """
    return nfc(text).replace(" ", NBSP)


def join_vi(items: Any, last: str = "và") -> str:
    """"A", "A và B", "A, B và C".

    >>> join_vi(["Sở A", "Sở B", "Sở C"]), join_vi(["Sở A"]), join_vi([])
    ('Sở A, Sở B và Sở C', 'Sở A', '')
    """
    xs = [nfc(x).strip() for x in items or () if nfc(x).strip()]
    if len(xs) <= 1:
        return "".join(xs)
    return ", ".join(xs[:-1]) + f" {last} " + xs[-1]


def upper_vi(text: Any) -> str:
    """Upper case that keeps Vietnamese diacritics precomposed.

    >>> upper_vi("sở tài nguyên và môi trường")
    'SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG'
    """
    return unicodedata.normalize("NFC", nfc(text).upper())


# ---- numbers -------------------------------------------------------------------
def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(f) or math.isinf(f):
        return None
    # repr() gives the shortest string that round-trips: 93.675 stays 93.675
    try:
        return Decimal(repr(f))
    except InvalidOperation:  # pragma: no cover
        return None


def round_half_up(value: Any, decimals: int = 0) -> Decimal | None:
    """Round half away from zero (Excel's ROUND) at ``decimals`` places.

    >>> round_half_up(0.125, 2), round_half_up(-2.5)
    (Decimal('0.13'), Decimal('-3'))
    """
    d = _to_decimal(value)
    if d is None:
        return None
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_number(value: Any, decimals: int | None = None, *, fixed: bool = False, empty: str = "") -> str:
    """A number the Vietnamese way: ``.`` groups thousands, ``,`` marks decimals.

    ``decimals`` is the most decimals shown (rounded half away from zero);
    ``None`` shows what the value has, up to 6.  ``fixed=True`` always shows
    ``decimals`` places.  ``None``/NaN gives ``empty``.

    >>> fmt_number(1234567.891, 2), fmt_number(95, 2), fmt_number(95, 2, fixed=True)
    ('1.234.567,89', '95', '95,00')
    >>> fmt_number(-0.5), fmt_number(None, empty="–")
    ('-0,5', '–')
    """
    places = 6 if decimals is None else max(int(decimals), 0)
    d = round_half_up(value, places)
    if d is None:
        return empty
    if d == 0:
        d = abs(d)  # no "-0"
    frac = "0" * places if fixed else "#" * places
    pattern = "#,##0" + (("." + frac) if places else "")
    return format_decimal(d, format=pattern, locale=LOCALE, decimal_quantization=False)


def fmt_percent(value: Any, decimals: int = 1, *, ratio: bool = True) -> str:
    """A percentage: ``ratio=True`` reads 0.7 as 70 %.

    >>> fmt_percent(0.7), fmt_percent(66.666, 2, ratio=False)
    ('70%', '66,67%')
    """
    d = _to_decimal(value)
    if d is None:
        return ""
    if ratio:
        d = d * 100
    return fmt_number(d, decimals) + "%"


# ---- dates ---------------------------------------------------------------------
def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        s = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(s[:10] if fmt == "%Y-%m-%d" else s, fmt).date()
            except ValueError:
                continue
    return None


def fmt_date(value: Any, *, empty: str = "ngày … tháng … năm …") -> str:
    """The date line of a document (Nghị định 30/2020): "ngày 05 tháng 01 năm 2026".

    Days below 10 and the months 1 and 2 take a leading zero.  Accepts a date,
    a datetime or an ISO/``dd/mm/yyyy`` string; nothing gives ``empty``.

    >>> fmt_date("2026-03-15"), fmt_date(dt.date(2025, 12, 2))
    ('ngày 15 tháng 3 năm 2026', 'ngày 02 tháng 12 năm 2025')
    >>> fmt_date(None)
    'ngày … tháng … năm …'
    """
    d = _as_date(value)
    if d is None:
        return empty
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def fmt_place_date(place: Any, value: Any) -> str:
    """ "Quảng Nam, ngày 05 tháng 01 năm 2026" (the place may be empty).

    >>> fmt_place_date("Tam Kỳ", "2026-01-05")
    'Tam Kỳ, ngày 05 tháng 01 năm 2026'
    """
    place = nfc(place).strip()
    return f"{place}, {fmt_date(value)}" if place else fmt_date(value)


def fmt_date_short(value: Any, *, empty: str = "") -> str:
    """dd/mm/yyyy.

    >>> fmt_date_short(dt.date(2026, 1, 5))
    '05/01/2026'
    """
    d = _as_date(value)
    return d.strftime("%d/%m/%Y") if d else empty


# ---- money ---------------------------------------------------------------------
def fmt_money(value: Any, *, unit: str = "đồng", words: bool = False, empty: str = "", nbsp: bool = False) -> str:
    """An amount of money in whole đồng, optionally followed by the amount in words.

    ``nbsp=True`` joins the figure and its unit with a no-break space, so a
    document never wraps "18.720.000" away from "đồng".

    >>> fmt_money(18720000, words=True)
    '18.720.000 đồng (Bằng chữ: Mười tám triệu bảy trăm hai mươi nghìn đồng)'
    >>> fmt_money(702000, nbsp=True) == "702.000\u00a0đồng"
    True
    """
    d = round_half_up(value, 0)
    if d is None:
        return empty
    text = f"{fmt_number(d, 0)}{NBSP if nbsp else ' '}{unit}".rstrip()
    if words:
        text += f" (Bằng chữ: {amount_in_words(int(d))})"
    return text


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _triple(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000.  ``full`` reads the hundreds even when zero
    ("không trăm"), as for a group that follows a higher one."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if h or full:
        out += [_DIGITS[h], "trăm"]
    if t == 0:
        if u:
            if out:
                out.append("linh")
            out.append(_DIGITS[u])
        return out
    out += ["mười"] if t == 1 else [_DIGITS[t], "mươi"]
    if u == 1 and t >= 2:
        out.append("mốt")
    elif u == 5:
        out.append("lăm")
    elif u:
        out.append(_DIGITS[u])
    return out


def _words(n: int, full: bool) -> list[str]:
    """Words for n > 0; ``full`` when a higher group was already read."""
    if n >= 1_000_000_000:
        high, low = divmod(n, 1_000_000_000)
        out = _words(high, full) + ["tỷ"]
        return out + (_words(low, True) if low else [])
    out: list[str] = []
    for scale, name in ((1_000_000, "triệu"), (1_000, "nghìn")):
        g = n // scale % 1000
        if g:
            out += _triple(g, full or bool(out)) + [name]
    last = n % 1000
    if last:
        out += _triple(last, full or bool(out))
    return out


def number_in_words(n: int) -> str:
    """A whole number in Vietnamese words, lower case.

    >>> number_in_words(28080000)
    'hai mươi tám triệu không trăm tám mươi nghìn'
    >>> number_in_words(1005), number_in_words(21), number_in_words(115)
    ('một nghìn không trăm linh năm', 'hai mươi mốt', 'một trăm mười lăm')
    >>> number_in_words(2_000_000_000_005)
    'hai nghìn tỷ không trăm linh năm'
    """
    n = int(n)
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_in_words(-n)
    return " ".join(_words(n, False))


def amount_in_words(n: int, unit: str = "đồng") -> str:
    """An amount of money in words, capitalised, with its unit ("… đồng").

    >>> amount_in_words(3510000)
    'Ba triệu năm trăm mười nghìn đồng'
    >>> amount_in_words(0)
    'Không đồng'
    """
    text = number_in_words(int(n))
    if unit:
        text = f"{text} {unit}"
    return text[:1].upper() + text[1:]
