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
    from xlpy.features import input_sheets

    wb = openpyxl.load_workbook(path)
    out = {}
    for name in sheets or input_sheets():
        if name not in wb.sheetnames:
            continue
        for row in wb[name].iter_rows():
            for c in row:
                if c.value is not None:
                    out[(name, c.coordinate)] = c.value
    return out


def set_settings(wb, values: dict) -> None:
    """Type settings (by attribute name) into an openpyxl workbook's settings sheet, adding rows as needed."""
    from xlpy.features import settings
    from xlpy.schema import core as S

    labels = {s.attr: s.key for s in settings()}
    ws = wb[S.SETTINGS]
    rows = {ws.cell(row=i, column=1).value: i for i in range(2, ws.max_row + 1)}
    for attr, v in values.items():
        label = labels[attr]
        i = rows.get(label)
        if i is None:
            i = ws.max_row + 1
            ws.cell(row=i, column=1, value=label)
            rows[label] = i
        ws.cell(row=i, column=2, value=v)
