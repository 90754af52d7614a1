"""Shared fixtures: fresh copies of the sample workbooks and a cell editor."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_NAMES = ["so-nganh-100", "thang-1000", "ty-le-bac-thuong"]


@pytest.fixture
def sample_copy(tmp_path):
    """Return a function that copies a sample workbook into tmp_path."""

    def copy(name: str = "so-nganh-100") -> Path:
        dst = tmp_path / f"{name}.xlsx"
        shutil.copy(SAMPLES / f"{name}.xlsx", dst)
        return dst

    return copy


def edit_cells(path: Path, edits: dict[tuple[str, str], object]) -> None:
    """Write raw values into cells (as an officer typing would), e.g. {("Tự chấm", "C2"): "tám"}."""
    wb = openpyxl.load_workbook(path)
    for (sheet, addr), value in edits.items():
        c = wb[sheet][addr]
        if isinstance(value, str) and value.startswith("#") and value.endswith(("!", "?", "A")):
            c.value = value
            c.data_type = "e"
        else:
            c.value = value
    wb.save(path)


def input_values(path: Path, sheets: list[str] | None = None) -> dict[tuple[str, str], object]:
    """Every non-empty cell value of the input sheets."""
    from xlpy.book import layout as L

    wb = openpyxl.load_workbook(path)
    out = {}
    for name in sheets or L.INPUT_SHEETS:
        if name not in wb.sheetnames:
            continue
        for row in wb[name].iter_rows():
            for c in row:
                if c.value is not None:
                    out[(name, c.coordinate)] = c.value
    return out
