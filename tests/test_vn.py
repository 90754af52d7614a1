"""Vietnamese formatting (xlpy.vn)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlpy import vn


@pytest.mark.parametrize(
    "value, decimals, fixed, expected",
    [
        (1234.5, None, False, "1.234,5"),
        (1234567.891, 2, False, "1.234.567,89"),
        (0.125, 2, False, "0,13"),  # half away from zero, not Babel's half-even
        (2.675, 2, False, "2,68"),
        (-2.5, 0, False, "-3"),
        (95, 2, True, "95,00"),
        (95.0, 2, False, "95"),
        (1000, 0, False, "1.000"),
        (-0.001, 2, False, "0"),
        (float("nan"), 2, False, ""),
        (None, 2, False, ""),
        ("93.67", 2, False, "93,67"),
    ],
)
def test_fmt_number(value, decimals, fixed, expected):
    assert vn.fmt_number(value, decimals, fixed=fixed) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (dt.date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
        (dt.datetime(2025, 7, 25, 14, 30), "ngày 25 tháng 7 năm 2025"),
        ("2025-07-25", "ngày 25 tháng 7 năm 2025"),
        ("25/07/2025", "ngày 25 tháng 7 năm 2025"),
    ],
)
def test_fmt_date_nd30(value, expected):
    assert vn.fmt_date(value) == expected


def test_fmt_date_missing_leaves_blanks_to_fill_by_hand():
    assert vn.fmt_date(None) == "ngày … tháng … năm …"
    assert vn.fmt_place_date("Quảng Nam", None) == "Quảng Nam, ngày … tháng … năm …"
    assert vn.fmt_place_date("", "2026-01-05") == "ngày 05 tháng 01 năm 2026"
    assert vn.fmt_date_short("2026-01-05") == "05/01/2026"


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (101, "một trăm linh một"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm linh năm"),
        (1000001, "một triệu không trăm linh một"),
        (702000, "bảy trăm linh hai nghìn"),
        (1872000, "một triệu tám trăm bảy mươi hai nghìn"),
        (2340000, "hai triệu ba trăm bốn mươi nghìn"),
        (28080000, "hai mươi tám triệu không trăm tám mươi nghìn"),
        (1_005_000_000, "một tỷ không trăm linh năm triệu"),
        (2_000_000_000_000, "hai nghìn tỷ"),
        (-15, "âm mười lăm"),
    ],
)
def test_number_in_words(n, words):
    assert vn.number_in_words(n) == words


def test_amount_in_words_reward_money_table():
    # reference §2.4: ND 152/2025 Art. 50 amounts at lương cơ sở 2.340.000 đ
    assert vn.amount_in_words(1872000) == "Một triệu tám trăm bảy mươi hai nghìn đồng"
    assert vn.amount_in_words(10530000) == "Mười triệu năm trăm ba mươi nghìn đồng"
    assert vn.amount_in_words(18720000) == "Mười tám triệu bảy trăm hai mươi nghìn đồng"
    assert vn.amount_in_words(0) == "Không đồng"
    assert vn.fmt_money(3510000, words=True) == "3.510.000 đồng (Bằng chữ: Ba triệu năm trăm mười nghìn đồng)"


@given(st.integers(min_value=0, max_value=10**15))
def test_words_are_well_formed(n):
    w = vn.number_in_words(n)
    assert unicodedata.is_normalized("NFC", w)
    assert "  " not in w and w == w.strip()
    # "linh" only before a single digit; "mươi" never after "mười"
    assert "mười mươi" not in w
    toks = w.split()
    for a, b in zip(toks, toks[1:]):
        if a == "linh":
            assert b in vn._DIGITS[1:]
    if n % 1000 == 0 and n:
        assert toks[-1] in ("nghìn", "triệu", "tỷ")


def _parse(words: str) -> int:
    """Read our own words back (a test oracle independent of the writer's structure)."""
    digits = {w: i for i, w in enumerate(vn._DIGITS)} | {"mốt": 1, "lăm": 5}
    total = 0  # finished billions
    current = 0  # below a billion
    group = 0  # below a thousand
    for tok in words.split():
        if tok in digits:
            group += digits[tok]
        elif tok == "mười":
            group += 10
        elif tok == "mươi":
            group = group - group % 10 + (group % 10) * 10
        elif tok == "trăm":
            group = group - group % 10 + (group % 10) * 100
        elif tok == "linh":
            pass
        elif tok == "nghìn":
            current += group * 1000
            group = 0
        elif tok == "triệu":
            current += group * 1_000_000
            group = 0
        elif tok == "tỷ":
            total = (total + current + group) * 1_000_000_000
            current = group = 0
    return total + current + group


@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_words_read_back(n):
    assert _parse(vn.number_in_words(n)) == n


def test_upper_and_nfc_keep_diacritics():
    decomposed = unicodedata.normalize("NFD", "Sở Nội vụ tỉnh Quảng Nam")
    assert vn.nfc(decomposed) == "Sở Nội vụ tỉnh Quảng Nam"
    assert vn.upper_vi(decomposed) == "SỞ NỘI VỤ TỈNH QUẢNG NAM"
    assert vn.fmt_percent(0.7) == "70%"
