"""The xlpy command: demo, compute, exit codes, help."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, edit_cells
from xlpy.schema import core as L


def xlpy(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-P", "-m", "xlpy.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_help_lists_every_registered_action():
    from xlpy import actions

    out = xlpy("--help")
    assert out.returncode == 0 and "Thi đua" in out.stdout
    top = {a.name.split(" ")[0] for a in actions.all_actions()}
    for name in top:
        assert name in out.stdout


def test_command_help_and_usage_errors_say_cach_dung_once():
    sub = xlpy("compute", "--help")
    assert sub.returncode == 0 and sub.stdout.startswith("Cách dùng: xlpy compute [-h]"), sub.stdout[:80]
    nested = xlpy("history", "import", "--help")
    assert nested.stdout.startswith("Cách dùng: xlpy history import [-h]"), nested.stdout[:80]
    wrong = xlpy("compute")
    assert wrong.returncode == 2 and wrong.stderr.count("Cách dùng:") == 1
    assert "xlpy compute: lỗi: thiếu đối số: book" in wrong.stderr


def test_command_groups_are_described_by_their_commands():
    """A group's help names each of its commands with its label (it said "Nhóm lệnh history")."""
    from xlpy.features import actions

    groups: dict[str, list] = {}
    for a in actions():
        if " " in a.name:
            groups.setdefault(a.name.split(" ")[0], []).append(a)
    assert groups
    top = xlpy("--help").stdout
    for group, members in groups.items():
        own = xlpy(group, "--help").stdout
        for a in members:
            said = f"{a.name}: {a.label.lower()}"
            assert said in own, own
            assert said in " ".join(top.split()), top
    assert "Nhóm lệnh" not in top


def test_demo_runs_into_a_fresh_folder_and_prints_ranking(tmp_path):
    out = xlpy("demo", "--out", tmp_path / "demo")
    assert out.returncode == 0, out.stderr + out.stdout
    assert "Sở Khoa học và Công nghệ" in out.stdout and "Nhất" in out.stdout
    assert (tmp_path / "demo" / "so-nganh-100.xlsx").exists()
    again = xlpy("demo", "--out", tmp_path / "demo")  # never overwrites: a new folder
    assert again.returncode == 0 and (tmp_path / "demo-2" / "so-nganh-100.xlsx").exists()


def test_compute_errors_exit_1_and_json_lists_problems(sample_copy):
    path = sample_copy("so-nganh-100")
    edit_cells(path, {(L.SELF, "C2"): 12})
    out = xlpy("compute", path, "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert not data["ok"] and data["problems"][0]["cell"] == "C2" and data["problems"][0]["sheet"] == L.SELF
    human = xlpy("compute", path)
    assert human.returncode == 1 and "C2" in human.stdout and "Sổ tính không bị thay đổi" in human.stdout


def test_missing_file_exits_2(tmp_path):
    out = xlpy("compute", tmp_path / "khong-co.xlsx")
    assert out.returncode == 2 and "Không tìm thấy" in out.stdout


def test_new_then_prepare_builds_score_sheets(tmp_path):
    import openpyxl

    path = tmp_path / "khoi.xlsx"
    assert xlpy("new", path, "--block-name", "Khối Văn hóa – Xã hội", "--year", 2026).returncode == 0
    assert xlpy("new", path).returncode == 1  # refuses to overwrite
    wb = openpyxl.load_workbook(path)
    assert wb[L.SETTINGS]["B2"].value == "Khối Văn hóa – Xã hội"
    from xlpy.features import input_sheets

    assert all(s in wb.sheetnames for s in input_sheets())
    wb[L.UNITS]["A2"], wb[L.UNITS]["B2"] = "SYT", "Sở Y tế"
    wb[L.UNITS]["A3"], wb[L.UNITS]["B3"] = "SGD", "Sở Giáo dục và Đào tạo"
    for col, v in zip("ABCDE", ("1", None, "Kế hoạch thi đua", "Điểm", 60)):
        wb[L.CRITERIA][f"{col}2"] = v
    for col, v in zip("ABCDE", ("2", None, "Tỷ lệ hồ sơ đúng hạn", "Tỷ lệ", 40)):
        wb[L.CRITERIA][f"{col}3"] = v
    wb.save(path)
    out = xlpy("prepare", path)
    assert out.returncode == 0, out.stdout
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb[L.SELF][1]][:4] == ["Mã đơn vị", "Tên đơn vị", "1", "2"]
    assert [wb[L.SELF][f"A{i}"].value for i in (2, 3)] == ["SYT", "SGD"]
    assert [c.value for c in wb[L.TARGETS][1]][:3] == ["Mã đơn vị", "Tên đơn vị", "2"]
    wb[L.SELF]["C2"], wb[L.SELF]["D2"], wb[L.SELF]["C3"], wb[L.SELF]["D3"] = 55, 45, 60, 38
    wb[L.TARGETS]["C2"], wb[L.TARGETS]["C3"] = 50, 40
    wb.save(path)
    out = xlpy("prepare", path)  # nothing missing, nothing typed is touched
    assert out.returncode == 0 and openpyxl.load_workbook(path)[L.SELF]["C2"].value == 55
    res = json.loads(xlpy("compute", path, "--json").stdout)
    assert [(u["code"], u["total"], u["rank"]) for u in res["data"]["units"]] == [("SGD", 98, 1), ("SYT", 91, 2)]


# numpy's OpenBLAS starts a thread per core at import; xlpy makes no linear-algebra calls
THREADS_AFTER_NUMPY = r"""
import os, sys
import xlpy.cli as cli
def main(argv=None):
    import numpy  # noqa: F401
    print(len(os.listdir("/proc/self/task")))
    return 0
cli.main = main
if sys.argv[1] == "entry":
    cli.entry()
else:
    main()
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2, reason="threads counted in /proc, on 2+ cores")
def test_the_command_leaves_numpy_one_thread():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}

    def threads(how: str) -> int:
        out = subprocess.run([sys.executable, "-P", "-c", THREADS_AFTER_NUMPY, how], capture_output=True, text=True, env=env, check=True)
        return int(out.stdout.split()[-1])

    assert threads("entry") == 1  # the xlpy command: no OpenBLAS threads
    assert threads("plain") > 1  # the same import without it starts them (so the check above can fail)
    env["OPENBLAS_NUM_THREADS"] = "2"  # a setting the user made is kept
    assert threads("entry") == 2
