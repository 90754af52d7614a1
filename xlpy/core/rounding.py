"""Excel-compatible rounding.

Excel's ROUND works on the value as Excel displays it — taken to 15 significant
digits — and rounds half away from zero.  ``round`` and ``np.round`` round the
binary value half-to-even, so a float sum such as 92.19499999999999 becomes
92.19 in Python and 92.20 in Excel.  Wherever a total, a rank or a class is
decided, xlpy uses :func:`excel_round`.

The vectorised path handles the clear-cut values with plain float arithmetic and
sends only the values lying on (or within float noise of) a half boundary
through :mod:`decimal`, which is exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = ["excel_round", "excel_round_scalar"]

# A value whose scaled fractional part lies this close to .5 (relative to its
# size) is decided by the exact decimal path.  Excel's 15-digit snapping moves a
# value by at most 5e-16 of itself and float sums err by a few ulps, so 64 ulps
# (1.4e-14) covers both; values farther from the boundary round the same either way.
_NEAR_HALF = 64 * np.finfo(float).eps


def excel_round_scalar(x: float, digits: int = 0) -> float:
    """Round one number exactly as Excel's ``ROUND(x, digits)`` does."""
    if x is None or not np.isfinite(x):
        return x
    d = Decimal(format(float(x), ".15g"))
    q = Decimal(1).scaleb(-digits)
    out = float(d.quantize(q, rounding=ROUND_HALF_UP)) if digits >= 0 else float(
        (d / q).quantize(Decimal(1), rounding=ROUND_HALF_UP) * q
    )
    return out + 0.0  # no negative zero


def excel_round(x, digits: int = 0):
    """Vectorised :func:`excel_round_scalar` for scalars, arrays and pandas objects.

    NaN stays NaN.  Returns the same container kind as given (ndarray for array
    input, a pandas object for pandas input, a float for a scalar).
    """
    if hasattr(x, "to_numpy") and hasattr(x, "index"):  # pandas objects keep their index/columns
        values = excel_round(x.to_numpy(dtype=float), digits)
        if hasattr(x, "columns"):
            return x.__class__(values, index=x.index, columns=x.columns)
        return x.__class__(values, index=x.index, name=x.name)
    if np.isscalar(x) or x is None:
        return excel_round_scalar(float(x), digits) if x is not None else None
    a = np.asarray(x, dtype=float)
    scale = 10.0 ** digits
    y = np.abs(a) * scale
    frac = y - np.floor(y)
    out = np.sign(a) * np.floor(y + 0.5) / scale
    with np.errstate(invalid="ignore"):
        near = np.isfinite(a) & (np.abs(frac - 0.5) <= _NEAR_HALF * np.maximum(1.0, y))
    if near.any():
        idx = np.flatnonzero(near)
        flat = out.reshape(-1)
        src = a.reshape(-1)
        for i in idx:
            flat[i] = excel_round_scalar(src[i], digits)
    return out + 0.0
