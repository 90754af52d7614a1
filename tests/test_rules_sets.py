"""The shipped rule sets: format, effective dates, citations."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest

from xlpy.rules.ruleset import RuleSetError, _overlap, load_rule_set, load_rule_sets, regimes, select_rule_set
from xlpy.rules.titles import TITLES

SETS = load_rule_sets()


def test_shipped_sets():
    ids = {s.id for s in SETS}
    assert ids == {"ND152-2025", "ND98-2023", "ND91-2017"}
    assert [s.id for s in SETS if s.preset] == ["ND91-2017"]


@pytest.mark.parametrize("rs", SETS, ids=lambda s: s.id)
def test_same_rule_never_has_overlapping_dates_within_a_set(rs):
    by_id: dict[str, list] = {}
    for r in rs.rules:
        by_id.setdefault(r.id, []).append(r)
    for rid, versions in by_id.items():
        for a, b in combinations(versions, 2):
            assert not _overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to), rid


def test_same_rule_never_in_force_twice_across_regimes():
    seen: dict[str, list] = {}
    for rs in regimes():
        for r in rs.rules:
            seen.setdefault(r.id, []).append(r)
    for rid, versions in seen.items():
        for a, b in combinations(versions, 2):
            assert not _overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to), rid


def test_regimes_tile_the_calendar_from_2024():
    rs = sorted(regimes(), key=lambda s: s.valid_from)
    assert rs[0].valid_from == dt.date(2024, 1, 1)
    for a, b in zip(rs, rs[1:]):
        assert a.valid_to + dt.timedelta(days=1) == b.valid_from
    assert rs[-1].valid_to is None
    assert select_rule_set(dt.date(2025, 6, 30)).id == "ND98-2023"
    assert select_rule_set(dt.date(2025, 7, 1)).id == "ND152-2025"
    assert select_rule_set(dt.date(2023, 12, 31)) is None


@pytest.mark.parametrize("rs", SETS, ids=lambda s: s.id)
def test_every_rule_has_a_source_and_known_titles(rs):
    for r in rs.rules:
        assert r.source and r.verification in ("V", "V-2nd", "UNVERIFIED")
        assert all(t in TITLES for t in r.titles), r.id
        assert r.citation.endswith("]")


def test_every_title_has_a_standard_in_each_regime():
    for rs in regimes():
        for t in TITLES.values():
            for subject in t.subjects:
                assert rs.standard_for(t.code, subject) is not None, (rs.id, t.code, subject)


def test_unverified_values_are_settings():
    # the reference marks these UNVERIFIED: each must be overridable by a setting
    nd152 = next(s for s in SETS if s.id == "ND152-2025")
    for rid in ("R-20a", "R-20b"):
        r = nd152.rule(rid)
        assert r.verification == "UNVERIFIED" and r.params.get("pct_setting")
    r06 = nd152.rule("R-06")
    share = next(c for c in r06.check["all"] if c.get("metric") == "share_ldtt")
    assert share["setting"] == "ttldtt_min_ldtt_pct"
    assert nd152.rule("Q-02").params["count_setting"] == "co_tinh_per_block"


def test_money_table_of_nd152_art_50():
    nd152 = next(s for s in SETS if s.id == "ND152-2025")
    m = nd152.money["multiples"]
    assert (m["CSTD_TINH"], m["CSTDCS"], m["LDTT"], m["TTLDXS"], m["TTLDTT"], m["CO_CP"], m["CO_TINH"]) == (3.0, 1.0, 0.3, 1.5, 0.8, 12.0, 8.0)
    assert nd152.money["article"] == "Điều 50"


def test_loader_rejects_overlapping_versions(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(
        '[set]\nid="X"\nvalid_from=2024-01-01\n'
        '[[rules]]\nid="R-1"\nkind="procedure"\ncheck="discipline"\nsubject="CN"\nname="a"\nsource="s"\nverification="V"\nvalid_to=2024-12-31\n'
        '[[rules]]\nid="R-1"\nkind="procedure"\ncheck="discipline"\nsubject="CN"\nname="b"\nsource="s"\nverification="V"\nvalid_from=2024-06-01\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError, match="Bộ quy định bad.toml, quy định R-1: xuất hiện hai lần với thời gian hiệu lực chồng nhau"):
        load_rule_set(p)


def test_loader_rejects_rules_outside_their_set(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(
        '[set]\nid="X"\nvalid_from=2024-01-01\n'
        '[[rules]]\nid="R-1"\nkind="procedure"\ncheck="discipline"\nsubject="CN"\nname="a"\nsource="s"\nverification="V"\nvalid_from=2023-06-01\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError, match=r"bad.toml, quy định R-1: bắt đầu hiệu lực \(01/06/2023\) trước bộ quy định của nó"):
        load_rule_set(p)
