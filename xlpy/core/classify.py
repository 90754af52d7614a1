"""Classification bands → Vietnamese class names (Hoàn thành xuất sắc nhiệm vụ, …)."""

from __future__ import annotations

import numpy as np

from .model import ClassBand
from .rounding import excel_round


def classify(total, maximum, classes: tuple[ClassBand, ...]) -> np.ndarray:
    """Class name for each total: the first band (highest ``min_pct`` first) with
    ``total ≥ min_pct % × maximum``.  Both sides are compared after Excel rounding
    at 9 decimals so that 0.9 × 100 is exactly 90.  Totals below every band get "".
    ``maximum`` may be a scalar or one value per total."""
    t = np.asarray(total, dtype=float)
    mx = np.broadcast_to(np.asarray(maximum, dtype=float), t.shape)
    lhs = excel_round(t * 100.0, 9)
    bands = sorted(classes, key=lambda b: -b.min_pct)
    conds = [lhs >= excel_round(b.min_pct * mx, 9) for b in bands]
    names = np.array([b.name for b in bands] + [""], dtype=object)
    choice = np.select(conds, list(range(len(bands))), default=len(bands))
    return names[choice]
