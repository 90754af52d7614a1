"""The consolidation itself: files in, a :class:`~xlpy.province.model.Province` out.

1. read every block file and run its block's own award check (:func:`.read.read_blocks`,
   across cores where it pays);
2. score every consolidated block in ONE vectorised pass (:func:`xlpy.core.engine.score_many`):
   the province's results;
3. run the province's checks (:func:`.checks.run`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

from ..rules.model import TT
from .model import UNCHECKED, BlockFile, Expected, Proposal, Province, ProvinceSettings, Unit


def consolidate(paths: Sequence[Path], settings: ProvinceSettings, expected: list[Expected] | None = None, *,
                jobs: int | None = None, progress: Callable[[str], None] | None = None) -> Province:
    from ..core.engine import score_many
    from ..core.explain import TieNotes
    from ..core.ranking import place_name
    from . import checks
    from .read import read_blocks

    say = progress or (lambda _t: None)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    files = read_blocks(paths, jobs, lambda i, n: say(f"đã đọc {i}/{n} sổ tính"))
    times["read"] = time.perf_counter() - t0
    blocks = [f for f in files if f.ok]
    t0 = time.perf_counter()
    results = score_many([b.block for b in blocks]) if blocks else []
    times["score"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    units: list[Unit] = []
    proposals: list[Proposal] = []
    threshold = float(settings.women_threshold)
    for i, (b, r) in enumerate(zip(blocks, results)):
        women = {u.code: u.women_share for u in b.block.units}
        names = {u.code: u.name for u in b.block.units}
        ranks = {}
        if r.tie_groups:  # the engine's per-unit view, with its tie notes
            notes = TieNotes.of(r)
            for u in r.units:
                units.append(Unit(i, u.code, u.name, u.rank, u.place, u.total, u.klass, u.unresolved, u.tied_with,
                                  notes.unit(u.code), b.members.get(u.code), women.get(u.code)))
                ranks[u.code] = u.rank
        else:  # no equal totals: straight from the result's arrays (30,000 units: no per-unit objects twice)
            bu = b.block.units
            rank, total, klass = r.rank.tolist(), r.total.tolist(), r.classes.tolist()
            for k in r.order.tolist():
                u = bu[k]
                units.append(Unit(i, u.code, u.name, rank[k], place_name(rank[k]), total[k], str(klass[k]), False, (), "",
                                  b.members.get(u.code), u.women_share))
                ranks[u.code] = rank[k]
        for p in b.proposals:
            if p.subject == TT:
                pref = women.get(p.code) is not None and women[p.code] * 100 >= threshold - 1e-9
            else:
                pref = p.female
            proposals.append(Proposal(
                len(proposals), i, p.row, p.subject, p.code, p.name or names.get(p.code, ""), p.unit, names.get(p.unit, ""),
                p.title, p.kind, p.votes, (p.verdict or UNCHECKED) if b.checked else UNCHECKED, p.reason,
                rank=ranks.get(p.code) if p.subject == TT else None, women=pref))
    prov = Province(settings, files, blocks, results, units, proposals, expected=list(expected or []))
    times["assemble"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    prov.rows = checks.run(prov)
    times["province_checks"] = time.perf_counter() - t0
    prov.seconds = times
    return prov


def summary(prov: Province) -> str:
    n_bad = sum(1 for f in prov.files if not f.ok and not f.province_book)
    msg = (f"Đã tổng hợp {len(prov.blocks)} khối, {len(prov.units)} đơn vị, {len(prov.proposals)} đề nghị"
           + (f"; {n_bad} tệp có lỗi chưa tổng hợp (trang Lỗi các khối)" if n_bad else "")
           + (f"; {len(prov.missing)} khối chưa nộp" if prov.missing else "")
           + (f"; {len(prov.late)} khối nộp muộn" if prov.late else "")
           + (f"; {len(prov.duplicates)} đơn vị có ở hai khối" if prov.duplicates else "") + ".")
    return msg


__all__ = ["BlockFile", "consolidate", "summary"]
