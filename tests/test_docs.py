"""Docs that are checked: the reference is complete and current, the quick start is what CI runs."""

import re

from conftest import ROOT
from xlpy import actions, docgen


def test_reference_is_current():
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == docgen.render(), "run: python -m xlpy.docgen"


def test_every_action_and_function_is_documented_with_help():
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    for act in actions.all_actions():
        assert f"### `xlpy {act.name}`" in text
        assert act.help.strip() and act.label.strip()
    specs = docgen.udf_specs()
    assert {"TDKT_SCORE", "TDKT_RANK", "TDKT_CLASS", "TDKT_QUOTA"} <= {f["name"] for f in specs}
    for f in specs:
        assert f"### `={f['name']}(" in text
        assert f["doc"].strip(), f["name"]
        for a in f["args"]:
            assert f["arg_docs"].get(a, "").strip(), f"{f['name']}({a}) has no help text"


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["python3 tasks.py demo", "python3 tasks.py test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tasks.py test" in ci


def test_user_guide_names_every_ribbon_button():
    guide = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    for act in actions.all_actions():
        if act.ribbon:
            assert act.label in guide, act.label


def test_user_guide_names_every_template_setting_and_template_folder():
    """Issue 9: the guide says which settings are templates (rendered sandboxed) and which name
    template folders; a new template setting without a line in the guide fails here."""
    from xlpy.features import settings

    guide = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 10."):guide.index("## 11.")]
    specs = settings()
    templates = [s.key for s in specs if s.template]
    folders = [s.key for s in specs if s.attr.endswith("template_dir")]
    assert templates and folders
    for key in templates + folders:
        assert f"**{key}**" in section, key
