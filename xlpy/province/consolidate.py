"""The consolidation itself: files in, a :class:`~xlpy.province.model.Province` out.

1. read every block file, score its block and run its own award check
   (:func:`.read.read_blocks`, across cores where it pays; each process scores its blocks in
   one vectorised :func:`xlpy.core.engine.score_many` pass);
2. put the blocks' units and proposals together, numbered by block;
3. run the province's checks (:func:`.checks.run`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ..rules.model import TT
from .model import UNCHECKED, BlockFile, Expected, Proposal, Province, ProvinceSettings, Unit


def consolidate(paths: Sequence[Path], settings: ProvinceSettings, expected: list[Expected] | None = None, *,
                jobs: int | None = None, progress: Callable[[str], None] | None = None,
                meanwhile: Callable[[], Any] | None = None) -> Province:
    """The province from the block files ``paths``; ``meanwhile`` runs while they are read."""
    from . import checks
    from .read import read_blocks

    say = progress or (lambda _t: None)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    files = read_blocks(paths, jobs, lambda i, n: say(f"đã đọc {i}/{n} sổ tính"), meanwhile)  # read, scored and checked
    times["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    blocks = [f for f in files if f.ok]
    units: list[Unit] = []
    proposals: list[Proposal] = []
    threshold = float(settings.women_threshold)
    for i, b in enumerate(blocks):
        women, names, ranks = {}, {}, {}
        for u in b.units:
            u.block = i
            women[u.code], names[u.code], ranks[u.code] = u.women_share, u.name, u.rank
        units += b.units
        for p in b.proposals:
            if p.subject == TT:
                pref = women.get(p.code) is not None and women[p.code] * 100 >= threshold - 1e-9
            else:
                pref = p.female
            proposals.append(Proposal(
                len(proposals), i, p.row, p.subject, p.code, p.name or names.get(p.code, ""), p.unit, names.get(p.unit, ""),
                p.title, p.kind, p.votes, (p.verdict or UNCHECKED) if b.checked else UNCHECKED, p.reason,
                rank=ranks.get(p.code) if p.subject == TT else None, women=pref))
    prov = Province(settings, files, blocks, units, proposals, expected=list(expected or []))
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
           + (f"; {len(twice)} khối có hai tệp" if (twice := {r.block for r in prov.rows if r.rule_id == "T-12"}) else "")
           + (f"; {len(prov.duplicates)} đơn vị có ở hai khối" if prov.duplicates else "") + ".")
    return msg


__all__ = ["BlockFile", "consolidate", "summary"]
