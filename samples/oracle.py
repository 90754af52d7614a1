"""An independent, deliberately plain re-computation of the sample blocks.

It reads the samples' plain data (not the workbooks), applies the scoring rules
of the reference with ``decimal.Decimal`` one unit and one criterion at a time,
and shares no code with ``xlpy.core``.  ``build_samples.py`` writes its output
to ``samples/expected/*.json``; the tests check that the engine, reading the
.xlsx workbooks, reproduces those files exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

D = Decimal


def r2(x: Decimal, places: int = 2) -> Decimal:
    return x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def dec(v) -> Decimal | None:
    if v is None or v == "":
        return None
    return D(str(v))


def points_for(crit: dict, value, target, leader) -> Decimal | None:
    kind = crit["kind"]
    mx = dec(crit["max_points"])
    v = dec(value)
    if v is None:
        return None
    if kind in ("Điểm", "Điểm thưởng"):
        return v
    if kind == "Điểm trừ":
        pe = dec(crit.get("per_event"))
        return min(v * pe, mx) if pe is not None else v
    if kind == "Số lần":
        return min(v * dec(crit["per_event"]), mx)
    if kind == "Tỷ lệ":
        return min(v / dec(target) * mx, mx)
    if kind == "Chỉ tiêu":
        t = dec(target)
        half = mx / 2
        if v < t:
            return half * v / t
        if v == t:
            return half
        if v == leader:
            return mx
        return min(half + half * (v - t) / (leader - t), mx)
    raise ValueError(kind)


def band_points(bands: list[dict], value) -> Decimal | None:
    v = dec(value)
    if v is None:
        return None
    for b in bands:
        lo_ok = v >= dec(b["low"]) if b["low_inclusive"] == "Có" else v > dec(b["low"])
        hi_ok = v <= dec(b["high"]) if b["high_inclusive"] == "Có" else v < dec(b["high"])
        if lo_ok and hi_ok:
            return dec(b["points"])
    return D(0)


def part_of(c: dict) -> str:
    declared = {"Nội dung": "content", "Thưởng": "bonus", "Trừ": "deduction"}.get(c.get("part") or "")
    return declared or {"Điểm thưởng": "bonus", "Bậc thưởng": "bonus", "Điểm trừ": "deduction"}.get(c["kind"], "content")


def compute(data: dict) -> dict:
    s = data["settings"]
    places = int(s.get("Số chữ số thập phân", 2))
    crits = [c for c in data["criteria"] if c["kind"] != "Nhóm"]
    groups = {c["code"]: dec(c["max_points"]) for c in data["criteria"] if c["kind"] == "Nhóm"}
    units = [u["code"] for u in data["units"]]
    stages = data["stages"]
    targets = data.get("targets", {})

    def stage_points(stage: str) -> dict:
        entries = stages.get(stage, {})
        out = {}
        for c in crits:
            code = c["code"]
            vals = [dec(entries.get(u, {}).get(code)) for u in units]
            present = [v for v in vals if v is not None]
            leader = max(present) if present else None
            for u in units:
                raw = entries.get(u, {}).get(code)
                t = targets.get(u, {}).get(code, c.get("target"))
                if c["kind"] == "Bậc thưởng":
                    p = band_points([b for b in data["bands"] if b["code"] == code], raw)
                else:
                    p = points_for(c, raw, t, leader)
                out[(u, code)] = None if p is None else r2(p, places)
        return out

    per_stage = {st: stage_points(st) for st in ("self", "block", "office") if st in stages}
    final = {}
    for u in units:
        for c in crits:
            key = (u, c["code"])
            val = per_stage["self"].get(key)
            if "block" in per_stage and per_stage["block"].get(key) is not None:
                val = per_stage["block"][key]
            if "office" in per_stage and per_stage["office"].get(key) is not None:
                val = per_stage["office"][key]
            final[key] = val

    rows = []
    for u in units:
        sums: dict[tuple[str, str | None], Decimal] = {}
        for c in crits:
            part = part_of(c)
            w = dec(c.get("weight")) or D(1)
            p = final[(u, c["code"])] or D(0)
            sums[(part, c.get("group"))] = sums.get((part, c.get("group")), D(0)) + p * w
        parts = {"content": D(0), "bonus": D(0), "deduction": D(0)}
        for (part, g), v in sums.items():
            if g is not None and groups.get(g) is not None:
                v = min(v, groups[g])
            parts[part] += v
        if s.get("Trần điểm nội dung") is not None:
            parts["content"] = min(parts["content"], dec(s["Trần điểm nội dung"]))
        if s.get("Trần điểm thưởng") is not None:
            parts["bonus"] = min(parts["bonus"], dec(s["Trần điểm thưởng"]))
        parts = {k: r2(v, places) for k, v in parts.items()}
        total = r2(parts["content"] + parts["bonus"] - parts["deduction"], places)
        rows.append({"code": u, "points": {c["code"]: final[(u, c["code"])] for c in crits}, **parts, "total": total})

    # maximum for classes
    if s.get("Điểm tối đa") is not None:
        mx = dec(s["Điểm tối đa"])
    else:
        content = sum((dec(c["max_points"]) * (dec(c.get("weight")) or D(1)) for c in crits if part_of(c) == "content"), D(0))
        bonus = sum((dec(c["max_points"]) * (dec(c.get("weight")) or D(1)) for c in crits if part_of(c) == "bonus"), D(0))
        if s.get("Trần điểm nội dung") is not None:
            content = min(content, dec(s["Trần điểm nội dung"]))
        if s.get("Trần điểm thưởng") is not None:
            bonus = min(bonus, dec(s["Trần điểm thưởng"]))
        mx = content + bonus
    bands = [("Hoàn thành xuất sắc nhiệm vụ", 90), ("Hoàn thành tốt nhiệm vụ", 70), ("Hoàn thành nhiệm vụ", 50), ("Không hoàn thành nhiệm vụ", 0)]
    for r in rows:
        r["class"] = next(n for n, p in bands if r["total"] * 100 >= D(p) * mx)

    # competition ranking with the tie-break chain
    chain = [t.strip() for t in str(s.get("Thứ tự phá hòa") or "").split(";") if t.strip()]
    unit_info = {u["code"]: u for u in data["units"]}
    thr = D(str(s.get("Ngưỡng tỷ lệ nữ (%)", 70)))

    def key_value(r: dict, token: str):
        if token == "TY_LE_NU":
            w = unit_info[r["code"]].get("women_share")
            return D(1) if w is not None and D(str(w)) >= thr else D(0)
        if token == "PHIEU_BAU":
            v = unit_info[r["code"]].get("votes")
            return None if v is None else D(str(v))
        return r["points"].get(token) or D(0)

    def better(a: dict, b: dict) -> bool:
        """True when a ranks strictly above b."""
        if a["total"] != b["total"]:
            return a["total"] > b["total"]
        for token in chain:
            va, vb = key_value(a, token), key_value(b, token)
            if va is None or vb is None:
                continue
            if va != vb:
                return va > vb
        return False

    for r in rows:
        r["rank"] = 1 + sum(1 for o in rows if better(o, r))
        r["place"] = {1: "Nhất", 2: "Nhì", 3: "Ba"}.get(r["rank"], "")
    rows.sort(key=lambda r: (r["rank"], units.index(r["code"])))
    return {
        "max_total": mx,
        "units": rows,
    }


def to_json(result: dict) -> dict:
    def num(x):
        if x is None:
            return None
        f = float(x)
        return int(f) if f.is_integer() else f

    return {
        "max_total": num(result["max_total"]),
        "units": [
            {
                "code": r["code"],
                "points": {k: num(v) for k, v in r["points"].items()},
                "content": num(r["content"]),
                "bonus": num(r["bonus"]),
                "deduction": num(r["deduction"]),
                "total": num(r["total"]),
                "rank": r["rank"],
                "place": r["place"],
                "class": r["class"],
            }
            for r in result["units"]
        ],
    }
