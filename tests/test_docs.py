"""The documentation that is generated from the code stays in step with it."""

from model.cli import main
from tests.conftest import ROOT


def test_scenario_reference_is_current(capsys):
    assert main(["schema"]) == 0
    current = (ROOT / "docs" / "scenario_reference.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out == current, "run: python run.py schema > docs/scenario_reference.md"


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```")[1].strip().splitlines()
    assert block[-2:] == ["make run", "make test"] and len(block) == 3 and block[0] in ("sh", "bash")
