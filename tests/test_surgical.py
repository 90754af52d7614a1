"""Touch only what xlpy owns: every part of the package that xlpy does not own comes out of
every action byte for byte, whatever Excel put there; writes are safe against other programs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from excel_content import add_excel_content, parts
from xlpy import actions
from xlpy.fsio import backup_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "so-nganh-100.xlsx"
# parts that xlpy may change to add or replace its output sheets; everything else is the officer's
SHARED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/calcChain.xml"}
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def output_parts(path: Path) -> set[str]:
    """The parts of xlpy's output sheets (the sheets and everything only they refer to)."""
    from xlpy.book.package import open_package
    from xlpy.features import output_sheets

    pkg = open_package(path)
    owned = {s.part for s in pkg.sheets if s.name in output_sheets()}
    todo = list(owned)
    while todo:
        p = todo.pop()
        d, _, f = p.rpartition("/")
        rels = f"{d}/_rels/{f}.rels"
        if rels in pkg.infos:
            owned.add(rels)
        for t in pkg.rels(p).values():
            if t not in owned and t in pkg.infos:
                owned.add(t)
                todo.append(t)
    return owned


def assert_only_owned_changed(before: dict[str, bytes], after_path: Path) -> None:
    after = parts(after_path)
    owned = output_parts(after_path) | SHARED
    for name, data in before.items():
        if name in owned:
            continue
        assert name in after, f"{name} was removed"
        assert after[name] == data, f"{name} changed"
    # styles are only ever appended to
    old, new = ET.fromstring(before["xl/styles.xml"]), ET.fromstring(after["xl/styles.xml"])
    for coll in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
        o, n = old.find(NS + coll), new.find(NS + coll)
        if o is None:
            continue
        assert [ET.tostring(x) for x in list(n)[: len(o)]] == [ET.tostring(x) for x in o], coll


@pytest.fixture
def excel_book(tmp_path):
    path = tmp_path / "khoi-excel.xlsx"
    added = add_excel_content(SAMPLE, path)
    return path, added


def test_every_action_keeps_what_excel_wrote(excel_book, tmp_path):
    path, added = excel_book
    before = parts(path)
    for name, opts in (("compute", {}), ("check", {}), ("rank", {}), ("report", {"format": "docx", "out": tmp_path / "bc"}),
                       ("send", {"outbox": tmp_path / "hop-thu"}), ("compute", {})):
        r = actions.run(name, path, **opts)
        assert r.ok, (name, r.message, [str(p) for p in r.problems.errors])
        assert_only_owned_changed(before, path)
    after = parts(path)
    for name in added:
        assert after[name] == before[name]
    # the output sheets are right: computed from the cached value of the formula input (C2 = 10)
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kết quả").to_python()
    assert rows[3][:3] == [1.0, "Nhất", "SKHCN"] and rows[3][rows[2].index("Tổng điểm")] == 105.5


def test_cached_values_of_formula_inputs_give_the_same_total_every_time(excel_book):
    path, _ = excel_book
    first = actions.run("compute", path).data["units"]
    second = actions.run("compute", path).data["units"]
    assert [u["total"] for u in first] == [u["total"] for u in second]
    assert next(u for u in first if u["code"] == "SKHCN")["total"] == 105.5


def test_xlsm_keeps_its_macros(tmp_path):
    with zipfile.ZipFile(ROOT / "workbook" / "xlpy.xlam") as z:
        vba = z.read("xl/vbaProject.bin")
    path = tmp_path / "khoi.xlsm"
    add_excel_content(SAMPLE, path, xlsm=True, vba=vba)
    before = parts(path)
    assert actions.run("compute", path).ok and actions.run("check", path).ok
    assert_only_owned_changed(before, path)
    after = parts(path)
    assert after["xl/vbaProject.bin"] == vba
    assert "macroEnabled" in after["[Content_Types].xml"].decode()


def test_styles_are_appended_once(excel_book):
    path, _ = excel_book
    actions.run("compute", path)
    once = parts(path)["xl/styles.xml"]
    actions.run("compute", path)
    actions.run("compute", path)
    assert parts(path)["xl/styles.xml"] == once


def test_errors_leave_the_file_byte_identical(excel_book):

    path, _ = excel_book
    edit_cells_raw(path, "Tự chấm", "D3", "<is><t>mười</t></is>", inline=True)
    before = path.read_bytes()
    r = actions.run("compute", path)
    assert not r.ok and path.read_bytes() == before
    assert any(p.cell == "D3" for p in r.problems.errors)


def edit_cells_raw(path: Path, sheet: str, ref: str, inner: str, inline: bool = False) -> None:
    """Replace one cell's content in the sheet XML (as another program would), keeping everything else."""
    files = parts(path)
    from excel_content import _sheet_part

    part = _sheet_part(files, sheet)
    xml = files[part].decode()
    m = re.search(rf'<c r="{ref}"([^>]*?)(?:/>|>(.*?)</c>)', xml, re.S)
    attrs = re.sub(r'\st="[^"]*"', "", m.group(1))
    t = ' t="inlineStr"' if inline else ""
    files[part] = xml.replace(m.group(0), f'<c r="{ref}"{attrs}{t}>{inner}</c>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            z.writestr(n, d)


# ---- safety of the write ----------------------------------------------------------------


def test_permissions_are_kept_and_new_files_get_the_users_normal_ones(tmp_path):
    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    os.chmod(path, 0o664)
    assert actions.run("compute", path).ok
    assert path.stat().st_mode & 0o777 == 0o664
    assert backup_path(path).stat().st_mode & 0o777 == 0o664
    old = os.umask(0o022)
    try:
        r = actions.run("report", path, format="html", out=tmp_path / "bc")
    finally:
        os.umask(old)
    assert r.ok and all(Path(f).stat().st_mode & 0o777 == 0o644 for f in r.files)


def test_a_read_only_workbook_is_not_written(tmp_path):
    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    r = actions.run("compute", path)
    if os.geteuid() == 0:  # root may write anything: the read-only attribute is still respected
        assert not r.ok
    assert not r.ok and "chỉ được đọc" in r.message and path.read_bytes() == before


def test_a_workbook_open_in_excel_is_not_written(tmp_path):
    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    (tmp_path / "~$khoi.xlsx").write_bytes(b"\x0bNguyen Van An")
    before = path.read_bytes()
    r = actions.run("compute", path)
    assert not r.ok and "đang mở trong Excel" in r.message and path.read_bytes() == before
    assert [p.code for p in r.problems] == ["book_open_elsewhere"]


def test_writes_go_through_a_symbolic_link(tmp_path):
    real = tmp_path / "that" / "khoi.xlsx"
    real.parent.mkdir()
    shutil.copy(SAMPLE, real)
    link = tmp_path / "khoi-link.xlsx"
    link.symlink_to(real)
    assert actions.run("compute", link).ok
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Kết quả" in parts(real)["xl/workbook.xml"].decode()


def test_leftovers_of_an_interrupted_write_are_cleaned(tmp_path):
    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    leftover = tmp_path / ".~xlpy-khoi-abc123.tmp"
    leftover.write_bytes(b"PK\x03\x04 half")
    assert actions.run("compute", path).ok
    assert not leftover.exists()


def test_a_save_by_another_program_during_a_compute_is_never_lost(tmp_path, monkeypatch):
    """Excel (or a colleague) saves while xlpy computes: xlpy writes nothing and says so."""
    from xlpy.book import surgery

    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    theirs = add_excel_content(SAMPLE, tmp_path / "theirs.xlsx") and (tmp_path / "theirs.xlsx").read_bytes()
    real_plan = surgery.plan

    def slow_plan(pkg, outputs):
        out = real_plan(pkg, outputs)
        path.write_bytes(theirs)  # the other program's save lands between xlpy's read and write
        return out

    monkeypatch.setattr(surgery, "plan", slow_plan)
    r = actions.run("compute", path)
    assert not r.ok and "chương trình khác" in r.message
    assert path.read_bytes() == theirs  # their save is kept whole


@pytest.mark.slow
def test_two_xlpy_actions_at_once_take_turns_and_both_results_stay(tmp_path):
    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    cmds = [[sys.executable, "-P", "-m", "xlpy.cli", name, str(path)] for name in ("compute", "check")]
    for _ in range(3):
        procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in cmds]
        outs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        names = parts(path)["xl/workbook.xml"].decode()
        assert "Kết quả" in names and "Tuân thủ" in names  # neither action's write was lost


@pytest.mark.slow
def test_a_kill_mid_write_loses_nothing(tmp_path):
    """Kill compute at random moments: the workbook is always either the old file or the new one, whole."""
    import time

    from xlpy.book.package import open_package

    path = tmp_path / "khoi.xlsx"
    shutil.copy(SAMPLE, path)
    original = path.read_bytes()
    for delay in (0.15, 0.25, 0.35, 0.45, 0.6):
        p = subprocess.Popen([sys.executable, "-P", "-m", "xlpy.cli", "compute", str(path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.kill()
        p.wait()
        data = path.read_bytes()
        pkg = open_package(path)  # readable: never half a file
        assert data == original or "Kết quả" in [s.name for s in pkg.sheets]
    assert actions.run("compute", path).ok
    assert not [q for q in tmp_path.iterdir() if q.name.startswith(".~xlpy-")]  # leftovers cleaned


def _sheets_to_render():
    """Three output sheets: two large (a wrapped column, numbers, a title) and a small one whose
    form heading carries a style no other sheet uses."""
    from xlpy.book import styles as S
    from xlpy.book.sheet import OutputSheet, Styled

    big = OutputSheet("Kết quả các khối", ["Khối", "Mã", "Tên", "Điểm", "Ghi chú"],
                      [[f"Khối {i % 40}", f"K{i:05d}", f"Đơn vị <{i}> & “số” {i}", i * 0.25, "x " * (i % 30)] for i in range(3000)],
                      widths={4: 20}, wrap={4}, title="Kết quả")
    other = OutputSheet("Đề nghị các khối", ["Mã", "Danh hiệu", "Số phiếu"],
                        [[f"K{i:05d}", "Cờ thi đua cấp tỉnh" if i % 7 else "Bằng khen", i % 12 or None] for i in range(4000)],
                        preamble=[[Styled("Biểu số: 0603.N", S.Style(bold=True, italic=True, size=13))]])
    small = OutputSheet("Kiểm tra cấp tỉnh", ["Mã", "Kết luận"], [["T-01", "Đạt"]])
    return [big, other, small]


def test_large_sheets_rendered_in_a_forked_process_match_one_process(monkeypatch):
    """render_sheets splits large sheets between this process and a forked one: the parts are
    byte for byte those one process writes, style numbers included, and this process renders
    only its share (the forked process's work is used, not redone)."""
    from xlpy.book import sheet as W
    from xlpy.book.package import open_package
    from xlpy.book.styles import StyleSheet

    from xlpy.procs import forks

    if not forks():
        pytest.skip("xlpy forks only on POSIX systems other than macOS; elsewhere every sheet is rendered in one process")
    styles_xml = open_package(SAMPLE).text("xl/styles.xml")
    jobs = [(out, {}) for out in _sheets_to_render()]
    one = StyleSheet(styles_xml)
    monkeypatch.setattr(W, "FORK_FROM", 10**9)
    alone = W.render_sheets(jobs, one)
    here: list[str] = []
    real = W.worksheet_xml
    monkeypatch.setattr(W, "worksheet_xml", lambda out, styles, **kw: here.append(out.name) or real(out, styles, **kw))
    monkeypatch.setattr(W, "FORK_FROM", 10_000)
    two = StyleSheet(styles_xml)
    split = W.render_sheets(jobs, two)
    assert split == alone and two.render() == one.render()
    assert here == ["Kết quả các khối"]  # the largest here; the other two (as many cells) in the forked process
    assert all(isinstance(w.xml, bytes) for w in split)


def test_a_forked_process_that_fails_leaves_its_sheets_to_this_one(monkeypatch):
    from xlpy.book import sheet as W
    from xlpy.book.package import open_package
    from xlpy.book.styles import StyleSheet

    from xlpy.procs import forks

    if not forks():
        pytest.skip("xlpy forks only on POSIX systems other than macOS")
    styles_xml = open_package(SAMPLE).text("xl/styles.xml")
    jobs = [(out, {}) for out in _sheets_to_render()]
    monkeypatch.setattr(W, "FORK_FROM", 10**9)
    alone = W.render_sheets(jobs, StyleSheet(styles_xml))
    parent = os.getpid()
    real = W.worksheet_xml

    def fails_in_the_fork(out, styles, **kw):
        if os.getpid() != parent:
            raise MemoryError("the forked process ran out of memory")
        return real(out, styles, **kw)

    monkeypatch.setattr(W, "worksheet_xml", fails_in_the_fork)
    monkeypatch.setattr(W, "FORK_FROM", 10_000)
    assert W.render_sheets(jobs, StyleSheet(styles_xml)) == alone


def test_a_failure_here_leaves_no_forked_process_behind(monkeypatch):
    """When this process fails to render its share, the forked process is still waited for."""
    from xlpy.book import sheet as W
    from xlpy.book.package import open_package
    from xlpy.book.styles import StyleSheet
    from xlpy.procs import forks

    if not forks():
        pytest.skip("xlpy forks only on POSIX systems other than macOS")
    jobs = [(out, {}) for out in _sheets_to_render()]
    parent, real, forked = os.getpid(), W.worksheet_xml, []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    def fails_here(out, styles, **kw):
        if os.getpid() == parent:
            raise RuntimeError("hết bộ nhớ")
        return real(out, styles, **kw)

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(W, "worksheet_xml", fails_here)
    monkeypatch.setattr(W, "FORK_FROM", 10_000)
    with pytest.raises(RuntimeError):
        W.render_sheets(jobs, StyleSheet(open_package(SAMPLE).text("xl/styles.xml")))
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # already reaped
        os.waitpid(forked[0], os.WNOHANG)
