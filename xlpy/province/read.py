"""Finding the blocks' workbooks and reading them, one file at a time or across cores.

Each file is read with :func:`xlpy.round.load_round` exactly as ``xlpy validate``
reads it (the scoring sheets, then the award sheets), its block is scored and its own
award check run as ``xlpy check`` would, and the whole is reduced to a
:class:`~xlpy.province.model.BlockFile`: its settings, its units ranked, its
proposals with the block's verdicts, and every problem naming the file.  A file that
cannot be read at all gives a ``BlockFile`` with that one problem; nothing a file
holds can stop the others.

Reading runs in a ``ProcessPoolExecutor`` when there are enough files for it to pay
(starting a process and sending results back costs more than reading a few files);
on systems that fork, the reading processes start with xlpy already imported.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..core.problems import Problem, Problems, Severity, UserError
from ..schema import core as S
from .model import BlockFile, BlockProposal, Unit

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")  # .xls/.ods are read to say what they are
PARALLEL_FROM = 24  # fewer files than this are read in this process


def is_side_file(p: Path) -> bool:
    """Files xlpy or Excel keep beside a workbook: lock files, backups, error lists."""
    n = p.name.lower()
    return n.startswith(("~$", ".")) or n.endswith((".bak.xlsx", ".loi.xlsx")) or ".xlpy-tmp" in n


def block_files(sources: Iterable[Path | str], exclude: Iterable[Path | str] = ()) -> tuple[list[Path], list[str]]:
    """The block workbooks named by ``sources`` (folders are listed, not recursively) and
    what could not be found; ``exclude`` (the province workbook) is never a block."""
    skip = {_key(Path(x)) for x in exclude}
    skip_names = {Path(x).name.casefold() for x in exclude}
    out: list[Path] = []
    missing: list[str] = []
    seen: set[str] = set()
    for s in sources:
        p = Path(s)
        if p.is_dir():
            found = sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() in EXTENSIONS and not is_side_file(f)),
                           key=lambda f: f.name.casefold())
        elif p.exists():
            found = [p]
        else:
            missing.append(str(p))
            continue
        for f in found:
            k = os.path.normcase(os.path.abspath(f))
            if k in seen or (f.name.casefold() in skip_names and _key(f) in skip):  # resolved only when it may be the province book
                continue
            seen.add(k)
            out.append(f)
    return out, missing


def _key(p: Path) -> str:
    try:
        return os.path.normcase(str(p.resolve()))
    except OSError:
        return os.path.normcase(str(p.absolute()))


# ---------------------------------------------------------------------------------------
# one file


def read_block(path: str | Path) -> tuple[BlockFile, Any, Any]:
    """Read one block workbook: (its BlockFile, its core ``Block`` or None, (RulesInput,
    RuleSettings) or None); the block is scored by :func:`read_and_check`. Never raises."""
    from ..book.package import BookFileError
    from ..round import load_round
    from ..schema import core as S
    from ..schema import province as P

    path = Path(path)
    name = path.name
    out = BlockFile(str(path), name)
    block = rules = None
    try:
        out.mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        pass
    problems = Problems()
    try:
        rnd, problems = load_round(path)
        if P.SETTINGS in rnd.book.sheet_names():
            out.province_book = True
            out.problems = [Problem("province_book_skipped", "", "", name, "sổ tính của một khối",
                                    f"Tệp “{name}” là sổ tính cấp tỉnh, không phải sổ tính của một khối: không tổng hợp.",
                                    Severity.WARNING, name)]
            return out, None, None
        st = rnd.settings
        out.block_name = st.get("block_name") or ""
        out.round_date = st.get("round_date")
        year = st.get("year")
        out.year = int(year) if year is not None else (out.round_date.year if out.round_date else None)
        out.period = st.get("period") or ""
        block = rnd.block
        if rnd.units_table is not None:
            out.unit_cells = {r.get("code"): f"{S.UNITS}!{r.addr('code')}" for r in rnd.units_table.rows if r.get("code")}
        if rnd.block is not None:
            rules = rnd.rules_for(None)  # the places come from scoring, afterwards
    except BookFileError as e:
        problems.add(e.code, "", "", name, "sổ tính .xlsx đọc được", e.message)
    except UserError as e:
        problems.add(e.code, "", "", name, "sổ tính đọc được", e.message)
    except Exception as e:  # noqa: BLE001 - one file never stops the others
        problems.add("block_unexpected", "", "", f"{type(e).__name__}: {e}"[:200], "sổ tính đọc được",
                     f"Lỗi không lường trước khi đọc tệp “{name}” ({type(e).__name__}). Các khối khác vẫn được tổng hợp; "
                     "mở tệp trong Excel, lưu lại rồi chạy lại, hoặc gửi tệp cho người quản trị.")
    out.problems = [p.in_file(name) for p in problems]
    if block is None and not out.errors:  # nothing to score and no error said why
        out.problems.append(Problem("block_has_errors", "", "", name, "các trang chấm điểm",
                                    f"Tệp “{name}”: chưa đọc được bảng chấm điểm của khối.", file=name))
    return out, block, rules


def read_and_check(paths: Sequence[str]) -> list[BlockFile]:
    """Read ``paths``, score every block without errors (in one
    :func:`~xlpy.core.engine.score_many` pass) and run its own award check, as ``xlpy check``
    would on its workbook.  What the province keeps of each (:func:`compact`, :func:`ranked_units`)
    is all that goes back to the consolidating process: the province is scored once, here."""
    from ..core.engine import score_many
    from ..round import with_ranks

    read = [read_block(p) for p in paths]
    todo = [(b, block, rules) for b, block, rules in read if block is not None and not b.errors]  # a province book has no block
    results = score_many([block for _b, block, _r in todo]) if todo else []
    for (b, block, (inp, rs)), result in zip(todo, results):
        if inp is not None:
            report, probs = check_block(with_ranks(inp, result), rs)
            b.problems.extend(p.in_file(b.file) for p in probs)
            compact(b, inp, report)
        b.units = ranked_units(block, result, b.members)
    return [b for b, _block, _r in read]


def ranked_units(block: Any, result: Any, members: dict[str, int | None]) -> list[Unit]:
    """A scored block's units in rank order, as the province sheets show them (block index -1:
    :func:`~xlpy.province.consolidate.consolidate` numbers the blocks)."""
    from ..core.explain import TieNotes
    from ..core.ranking import place_name

    if result.tie_groups:  # the engine's per-unit view, with its tie notes
        notes = TieNotes.of(result)
        women = {u.code: u.women_share for u in block.units}
        return [Unit(-1, u.code, u.name, u.rank, u.place, u.total, u.klass, u.unresolved, u.tied_with, notes.unit(u.code),
                     members.get(u.code), women.get(u.code)) for u in result.units]
    # no equal totals: straight from the result's arrays (no per-unit objects twice)
    bu = block.units
    rank, total, klass = result.rank.tolist(), result.total.tolist(), result.classes.tolist()
    out = []
    for k in result.order.tolist():
        u = bu[k]
        out.append(Unit(-1, u.code, u.name, rank[k], place_name(rank[k]), total[k], str(klass[k]), False, (), "",
                        members.get(u.code), u.women_share))
    return out


def check_block(inp: Any, rs: Any) -> tuple[Any, list[Problem]]:
    """A block's award check (what ``Round.check`` does), or None with the problem why."""
    from ..rules.engine import NoRuleSet, check

    probs = Problems()
    try:
        return check(inp, rs), []
    except NoRuleSet as e:  # the results still count; the proposals stay unchecked (said on their rows)
        probs.warn("no_rule_set", S.SETTINGS, "", inp.round_date.strftime("%d/%m/%Y"), "Ngày xét từ 01/01/2024",
                   f"{e} Các đề nghị của khối chưa được kiểm tra.")
        return None, list(probs)


def compact(b: BlockFile, inp: Any, report: Any) -> None:
    """What the province keeps of a block's award sheets and check (sent back between processes)."""
    from ..rules.model import TT

    outcome = {o.proposal.row: o for o in report.outcomes} if report is not None else {}
    b.checked = report is not None
    props = []
    for p in inp.proposals:
        o = outcome.get(p.row)
        person = inp.people.get(p.code) if p.subject != TT else None
        reason = ("; ".join(o.reasons) if o.reasons else (o.fix or "")) if o is not None else ""
        props.append(BlockProposal(p.row, p.subject, p.code, inp.name_of(p.subject, p.code), inp.unit_of(p.subject, p.code), p.title,
                                   p.kind, p.votes, bool(person and person.female), o.verdict if o is not None else "", reason))
    b.proposals = props
    b.members = {code: c.members for code, c in inp.collectives.items()}
    b.co_tinh_held = tuple(sorted({h.code for h in inp.history if h.title == "CO_TINH" and h.subject == TT and h.year == inp.year
                                   and h.kind == "cong_trang"}))


# ---------------------------------------------------------------------------------------
# many files


def workers(n_files: int, jobs: int | None) -> int:
    """How many processes to read ``n_files`` with: ``jobs`` when given (1 = this process),
    else one per core once there are enough files for it to pay."""
    if jobs is not None and jobs > 0:
        return max(1, min(jobs, n_files))
    cores = os.cpu_count() or 1
    if n_files < PARALLEL_FROM or cores < 2:
        return 1
    return min(cores, n_files)


def start_method() -> str:
    """Forked where xlpy forks (:func:`xlpy.procs.forks`: the workers start with xlpy imported);
    spawned elsewhere (Windows, macOS), where each worker imports what it runs."""
    from ..procs import forks

    return "fork" if forks() else "spawn"


def pool(k: int) -> ProcessPoolExecutor:
    """A pool of ``k`` reading processes; forked ones start with the reading modules imported
    (imported once here, not once in each process)."""
    method = start_method()
    if method == "fork":
        from .. import round  # noqa: F401
        from ..core import engine  # noqa: F401
        from ..rules import engine as _rules  # noqa: F401
        import python_calamine  # noqa: F401
    return ProcessPoolExecutor(k, mp_context=multiprocessing.get_context(method))


def chunks(items: Sequence[Any], k: int, per: int) -> list[Sequence[Any]]:
    """``items`` in contiguous chunks of about ``per``, at least ``k`` of them (when there are enough items)."""
    size = max(1, min(per, -(-len(items) // k)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def read_blocks(paths: Sequence[Path], jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                meanwhile: Callable[[], Any] | None = None) -> list[BlockFile]:
    """Every file read and its block checked, in the order given; in ``workers()`` processes.
    ``meanwhile`` runs in this process while they read (work that does not need the blocks)."""
    names = [str(p) for p in paths]
    k = workers(len(names), jobs)
    parts = chunks(names, k, 10)  # small enough that no process waits long for the last one
    out: list[BlockFile] = []
    if k == 1:
        for part in parts:
            out += read_and_check(part)
            if progress:
                progress(len(out), len(names))
        if meanwhile:
            meanwhile()
        return out
    with pool(k) as ex:
        results = ex.map(read_and_check, parts)  # every reading process is started (forked) here
        if meanwhile:
            meanwhile()
        for part in results:
            out += part
            if progress:
                progress(len(out), len(names))
    return out
