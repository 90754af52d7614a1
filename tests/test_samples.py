"""Each sample workbook gives its documented results; re-runs are idempotent; inputs stay untouched."""

import json
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT, SAMPLE_NAMES, SAMPLES, input_values
from xlpy import actions
from xlpy.schema import core as L

sys.path.insert(0, str(SAMPLES))
import oracle  # noqa: E402

from xlpy.samples import sample_data  # noqa: E402

FIELDS = ("code", "points", "content", "bonus", "deduction", "total", "rank", "place", "class")


def expected(name):
    return json.loads((SAMPLES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_expected_files_are_what_the_oracle_computes(name):
    assert oracle.to_json(oracle.compute(sample_data(name))) == expected(name)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_compute_json_matches_documented_results(name, sample_copy):
    path = sample_copy(name)
    out = subprocess.run(
        [sys.executable, "-P", "-m", "xlpy.cli", "compute", str(path), "--json"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)["data"]
    got = [{k: u[k] for k in FIELDS} for u in data["units"]]
    assert got == expected(name)["units"]
    assert data["block"]["max_total"] == expected(name)["max_total"]


def test_documented_highlights():
    """Hand-checked figures quoted in samples/README.md."""
    units = {u["code"]: u for u in expected("ty-le-bac-thuong")["units"]}
    assert units["P01"]["total"] == 93.67  # reference §7 case 6
    assert (units["P05"]["rank"], units["P06"]["rank"]) == (4, 3)  # equal on 104,4, 2 and 3: votes decide
    cum = {u["code"]: u for u in expected("thang-1000")["units"]}
    assert (cum["TPH"]["rank"], cum["HTN"]["rank"], cum["PQY"]["rank"]) == (3, 3, 5)  # đồng hạng Ba
    assert cum["PTH"]["total"] == 921 and cum["PQY"]["total"] == 760.22
    tm = {u["code"]: u for u in expected("so-nganh-100")["units"]}
    assert tm["SKHCN"]["total"] == 105.5 and tm["SDTTG"]["deduction"] == 10


def test_unresolved_and_broken_ties_are_reported(sample_copy):
    r = actions.run("compute", sample_copy("thang-1000"))
    (tie,) = r.data["ties"]
    assert tie["units"] == ["TPH", "HTN"] and not tie["resolved"]
    tph = next(u for u in r.data["units"] if u["code"] == "TPH")
    assert tph["tie"] == {"tied_with": ["HTN"], "still_tied_with": ["HTN"], "broken_by": None, "unresolved": True}
    r = actions.run("compute", sample_copy("so-nganh-100"))
    by = {t["units"][0]: t for t in r.data["ties"]}
    assert by["VPUB"]["broken_by"] == ["07"] and by["SNGV"]["broken_by"] == ["TY_LE_NU"]


def test_rerun_is_idempotent_and_inputs_unchanged(sample_copy):
    path = sample_copy("so-nganh-100")
    before = input_values(path)
    assert actions.run("compute", path).ok
    first = _outputs(path)
    assert actions.run("compute", path).ok
    assert _outputs(path) == first
    assert input_values(path) == before
    assert path.with_name("so-nganh-100.bak.xlsx").exists()


def test_results_sheet_is_plain_values_readable_without_xlpy(sample_copy):
    path = sample_copy("so-nganh-100")
    actions.run("compute", path)
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(L.RESULTS).to_python()
    header = rows[2]
    assert header[:4] == ["Hạng", "Xếp thứ", "Mã đơn vị", "Tên đơn vị"]
    first = dict(zip(header, rows[3]))
    assert (first["Mã đơn vị"], first["Tổng điểm"], first["Xếp thứ"]) == ("SKHCN", 105.5, "Nhất")
    wb = openpyxl.load_workbook(path)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in wb[L.RESULTS].iter_rows() for c in row)


def _outputs(path):
    wb = openpyxl.load_workbook(path)
    return {name: [[c.value for c in row] for row in wb[name].iter_rows()] for name in (L.RESULTS, L.DIFFS, L.CHECKS)}
