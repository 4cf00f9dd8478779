"""The command line: help text with examples, clear errors, and no heavy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qualcode.cli import build_parser, main


def subcommands() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


def test_every_command_has_help_with_examples():
    cmds = subcommands()
    assert {"code", "codebook", "status"} <= set(cmds)
    for name, p in cmds.items():
        text = p.format_help()
        assert "examples:" in text and f"qualcode {name}" in text.split("examples:")[1], name
        assert p.description, name


def test_top_level_help_shows_the_main_job(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "qualcode code" in out and "COMMAND" in out


def test_help_does_not_import_heavy_libraries():
    code = ("import sys\nfrom qualcode.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('torch', 'bertopic', 'sentence_transformers', 'spacy', 'pandas', "
            "'sklearn', 'matplotlib') if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_errors_are_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "cb.yaml"
    bad.write_text("codes:\n  - id: A\n", encoding="utf-8")
    assert main(["codebook", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: ") and "code A, field 'label' is missing" in err
    assert "Traceback" not in err


def test_status_without_a_project(tmp_path, capsys):
    assert main(["status", "--db", str(tmp_path / "none.db")]) == 2
    assert "no project database here" in capsys.readouterr().err
