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


# ---- a misspelt rule set fails when it loads, in Vietnamese, naming file and rule ------------------------------

HEAD = '[set]\nid = "X"\nvalid_from = 2024-01-01\n\n'


def standard(cond: str, subject: str = "TT", titles: str = '["TTLDXS"]') -> str:
    return (f'[[rules]]\nid = "R-05"\nkind = "standard"\nsubject = "{subject}"\ntitles = {titles}\nname = "n"\nsource = "s"\n'
            f'verification = "V"\ncheck.all = [\n  {cond},\n]\n')


def quota(**kw: str) -> str:
    base = dict(scope='"block"', counted='"proposals"', base='"block_units"', pct_setting='"bk_block_pct"')
    base.update(kw)
    body = "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)
    return f'[[rules]]\nid = "Q-03"\nkind = "quota"\nsubject = "TT"\ntitles = ["BK_TINH"]\nname = "n"\nsource = "s"\nverification = "V"\n{body}'


@pytest.mark.parametrize("body, message", [
    (standard('{ metric = "share_ldt", op = ">=", value = 70 }'),
     "Bộ quy định bad.toml, quy định R-05: chỉ tiêu “share_ldt” không có; dùng một trong “grade”, “unit_grade”"),
    (standard('{ metric = "share_ldtt", op = "=>", value = 70 }'),
     "Bộ quy định bad.toml, quy định R-05: phép so sánh “=>” của chỉ tiêu “share_ldtt” không hợp lệ"),
    (standard('{ metric = "share_ldtt", op = ">=", vaule = 70 }'),
     "Bộ quy định bad.toml, quy định R-05: khóa “vaule” trong điều kiện “share_ldtt” không có"),
    (standard('{ metric = "share_ldtt", op = ">=", value = 70, setting = "ttldtt_min_pct" }'),
     "Bộ quy định bad.toml, quy định R-05: thiết lập “ttldtt_min_pct” (khóa “setting”) không có"),
    (standard('{ metric = "count_disciplined", op = "==", value = 0, when_setting = "htxs_pct" }'),
     "Bộ quy định bad.toml, quy định R-05: thiết lập “htxs_pct” (khóa “when_setting”) không phải thiết lập Có/Không"),
    (standard('{ metric = "has_title", title = "LDT", op = "==", value = true }'),
     "Bộ quy định bad.toml, quy định R-05: mã danh hiệu “LDT” không có"),
    (standard('{ metric = "unit_grade", op = "==", value = "HTX" }'),
     "Bộ quy định bad.toml, quy định R-05: giá trị 'HTX' của chỉ tiêu “unit_grade” không hợp lệ; cần “HTXS”, “HTT”, “HT”, “KHT”"),
    (standard('{ metric = "grade", op = ">=", value = "HTT" }'),
     "Bộ quy định bad.toml, quy định R-05: chỉ tiêu “grade” không áp dụng cho đối tượng Tập thể"),
    (standard('{ metric = "share_ldtt", op = ">=", value = 70 }', titles='["TTLDX"]'),
     "Bộ quy định bad.toml, quy định R-05: mã danh hiệu “TTLDX” không có"),
    (quota(scope='"blok"'), "Bộ quy định bad.toml, quy định Q-03: phạm vi “blok” không có; dùng một trong “block”, “unit”, “movement”"),
    (quota(base='"block_unit"'), "Bộ quy định bad.toml, quy định Q-03: số cơ sở “block_unit” không có"),
    (quota(pct_setting='"bk_blok_pct"'), "Bộ quy định bad.toml, quy định Q-03: thiết lập “bk_blok_pct” (khóa “pct_setting”) không có"),
    (quota(kinds='["cong_trag"]'), "Bộ quy định bad.toml, quy định Q-03: loại khen thưởng “cong_trag” trong “kinds” không có"),
    (quota(cout="2"), "Bộ quy định bad.toml, quy định Q-03: khóa “cout” không dùng cho quy định loại tỷ lệ khen thưởng"),
    (quota(counted='"unit_htx"'), "Bộ quy định bad.toml, quy định Q-03: cách đếm “unit_htx” không có"),
    ('[[rules]]\nid = "R-16"\nkind = "procedure"\ncheck = "disciplne"\nsubject = "CN"\nname = "n"\nsource = "s"\nverification = "V"\n',
     "Bộ quy định bad.toml, quy định R-16: thủ tục “disciplne” không có"),
    ('[[rules]]\nid = "R-20"\nkind = "vote"\nsubject = "CN"\ntitles = ["CSTDCS"]\nname = "n"\nsource = "s"\nverification = "V"\npct_setting = "vote_pct_lo"\n',
     "Bộ quy định bad.toml, quy định R-20: thiết lập “vote_pct_lo” (khóa “pct_setting”) không có"),
    ('[[rules]]\nid = "R-99"\nkind = "standrd"\nsubject = "CN"\nname = "n"\nsource = "s"\nverification = "V"\n',
     "Bộ quy định bad.toml, quy định R-99: loại “standrd” không có"),
])
def test_loader_refuses_misspellings_naming_file_and_rule(tmp_path, body, message):
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(RuleSetError) as e:
        load_rule_set(p)
    assert any(m.startswith(message) for m in e.value.problems), e.value.problems
    with pytest.raises(RuleSetError):  # also through the directory loader used by check
        load_rule_sets(tmp_path)


def test_loader_accepts_the_same_rules_spelt_right(tmp_path):
    p = tmp_path / "good.toml"
    p.write_text(HEAD + standard('{ metric = "share_ldtt", op = ">=", value = 70, setting = "ttldtt_min_ldtt_pct" }') + quota(), encoding="utf-8")
    rs = load_rule_set(p)
    assert [r.id for r in rs.rules] == ["R-05", "Q-03"]


def test_loader_lists_every_problem_of_a_file(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + standard('{ metric = "share_ldt", op = ">=", value = 70 }') + quota(scope='"blok"', base='"block_unit"'),
                 encoding="utf-8")
    with pytest.raises(RuleSetError) as e:
        load_rule_set(p)
    assert len(e.value.problems) == 3
    assert str(e.value).count("Bộ quy định bad.toml") == 3


def test_loader_reports_toml_syntax_in_vietnamese(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + '[[rules]]\nid = "R-1\n', encoding="utf-8")
    with pytest.raises(RuleSetError, match="Bộ quy định bad.toml: tệp bad.toml không đúng cú pháp TOML"):
        load_rule_set(p)


def test_engine_has_a_method_for_every_declared_metric():
    from xlpy.rules.conditions import METRICS, Evaluator

    assert all(callable(getattr(Evaluator, f"m_{m}", None)) for m in METRICS)
    assert {n[2:] for n in dir(Evaluator) if n.startswith("m_")} == set(METRICS)


# ---- successive versions: the round's date picks one, never the file's order ----------------------------------


def version(rid: str, pct: int, dates: str) -> str:
    return (f'[[rules]]\nid = "{rid}"\nkind = "standard"\nsubject = "TT"\ntitles = ["TTLDTT"]\nname = "n"\nsource = "s"\n'
            f'article = "Điều 28"\nverification = "V"\n{dates}\ncheck.all = [ {{ metric = "share_ldtt", op = ">=", value = {pct} }} ]\n')


def test_the_round_date_picks_the_version_in_force(tmp_path):
    import datetime as dt

    from xlpy.rules import DAT, KHONG_DAT, Collective, Proposal, RulesInput, check

    p = tmp_path / "versions.toml"  # the later version first in the file
    p.write_text(HEAD + version("R-06", 80, "valid_from = 2025-01-01") + version("R-06", 70, "valid_to = 2024-12-31"), encoding="utf-8")
    rs = load_rule_set(p)

    def verdict(day: dt.date) -> str:
        inp = RulesInput(year=day.year, round_date=day, units=("U",), collectives={"U": Collective("U", grade="HTT", members=10, ldtt=7)},
                         proposals=(Proposal("TT", "U", "TTLDTT", row=2),))
        return check(inp, rule_set=rs).outcomes[0].verdict

    assert (verdict(dt.date(2024, 12, 31)), verdict(dt.date(2025, 1, 1))) == (DAT, KHONG_DAT)


def test_loader_refuses_two_standards_of_one_title_in_force_together(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + version("R-06", 80, "") + version("R-06x", 70, "valid_from = 2025-01-01"), encoding="utf-8")
    with pytest.raises(RuleSetError, match="quy định R-06x: cùng là tiêu chuẩn của TTLDTT với quy định R-06 trong cùng thời gian hiệu lực"):
        load_rule_set(p)


def test_no_name_is_parsed_to_two_codes():
    """A name typed by an officer must never depend on which vocabulary entry comes first."""
    from xlpy.rules import titles as T

    vocabularies = [
        {t.code: (t.code, t.name, *t.aliases) for t in T.TITLES.values()},
        {k: (k, v) for k, v in T.GRADES.items()},
        T._INITIATIVE_ALIASES,
        {k: (k, *v) for k, v in T._KIND_ALIASES.items()},
        {i: (d,) for i, d in enumerate(T.DISCIPLINE)},
    ]
    for vocab in vocabularies:
        seen: dict[str, object] = {}
        for value, names in vocab.items():
            for n in names:
                assert seen.setdefault(T.fold(n), value) == value, n


def test_directory_refuses_two_regimes_on_one_day(tmp_path):
    (tmp_path / "a.toml").write_text('[set]\nid = "A"\nvalid_from = 2024-01-01\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[set]\nid = "B"\nvalid_from = 2025-01-01\n', encoding="utf-8")
    with pytest.raises(RuleSetError, match="Bộ quy định b.toml: thời gian áp dụng chồng với a.toml"):
        load_rule_sets(tmp_path)
    (tmp_path / "b.toml").write_text('[set]\nid = "a"\nvalid_from = 2020-01-01\nvalid_to = 2023-12-31\n', encoding="utf-8")
    with pytest.raises(RuleSetError, match="mã bộ “a” trùng với a.toml"):
        load_rule_sets(tmp_path)
