"""Excel-compatible rounding: worked cases and agreement with an exact decimal model."""

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xlpy.core.rounding import excel_round, excel_round_scalar


def test_half_cent_float_sum_rounds_up_like_excel():
    x = 92.19499999999999  # the float that a sum of half-cent values produces
    assert round(x, 2) == 92.19  # Python's round disagrees with Excel here
    assert excel_round_scalar(x, 2) == 92.2
    assert excel_round(np.array([x]), 2)[0] == 92.2


def test_half_away_from_zero():
    assert excel_round_scalar(2.5, 0) == 3.0
    assert excel_round_scalar(-2.5, 0) == -3.0
    assert excel_round_scalar(0.125, 2) == 0.13
    assert excel_round_scalar(2.675, 2) == 2.68  # binary 2.67499999... but 15 digits say 2.675
    assert excel_round_scalar(1.005, 2) == 1.01
    assert excel_round_scalar(1234.5, -1) == 1230.0
    assert excel_round_scalar(-0.0001, 2) == 0.0 and str(excel_round_scalar(-0.0001, 2)) == "0.0"


def test_nan_and_containers():
    a = excel_round(np.array([1.005, np.nan]), 2)
    assert a[0] == 1.01 and np.isnan(a[1])
    s = excel_round(pd.Series([0.125, 0.135], index=["a", "b"]), 2)
    assert list(s.index) == ["a", "b"] and list(s) == [0.13, 0.14]


def _reference(x: float, d: int) -> float:
    return float(Decimal(format(x, ".15g")).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)) + 0.0


@settings(max_examples=400, deadline=None)
@given(st.integers(-10**9, 10**9), st.integers(0, 4))
def test_vectorised_equals_decimal_on_decimal_inputs(n, d):
    # values with one more decimal than kept: every one of them is a half case when it ends in 5
    x = n / 10 ** (d + 1)
    assert excel_round(np.array([x]), d)[0] == _reference(x, d)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2000), min_size=1, max_size=30), st.integers(0, 3))
def test_vectorised_equals_decimal_on_float_sums(cents, d):
    # sums of half-cent item scores, the case where float noise meets a half boundary
    x = float(sum(c * 0.005 for c in cents))
    assert excel_round(np.array([x]), d)[0] == _reference(x, d)
