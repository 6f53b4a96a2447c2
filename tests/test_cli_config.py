"""Settings: the TOML config file, environment and flags in that order of strength, `claimdesk
config` naming each value's source, and the key map check behind `--keys`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from claimdesk.tui.cli import main
from claimdesk.tui.config import ConfigError, load
from claimdesk.tui.keys import bindings, check_keymap, key_problem

BIN = Path(sys.executable).parent


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    """A config file of the test's own (via $CLAIMDESK_CONFIG), no CLAIMDESK_* from outside."""
    for var in ("CLAIMDESK_REVIEWER", "CLAIMDESK_DB", "CLAIMDESK_KEYS", "CLAIMDESK_AUTO_ADVANCE"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("CLAIMDESK_CONFIG", str(path))
    return path


def test_flag_beats_environment_beats_file_beats_default(config, monkeypatch):
    config.write_text('reviewer = "from-file"\ndatabase = "team.db"\nauto_advance = false\n'
                      '[keys]\ntag-disputed = "D"\nquit = "ctrl+q"\n')
    s = load({})
    assert (s["reviewer"], s.values["reviewer"].source) == ("from-file", f"config {config}")
    assert s["database"] == config.parent / "team.db"  # relative to the file
    assert s["auto_advance"] is False
    assert s.keymap == {"tag-disputed": "D", "quit": "ctrl+q"}

    monkeypatch.setenv("CLAIMDESK_REVIEWER", "from-env")
    monkeypatch.setenv("CLAIMDESK_AUTO_ADVANCE", "yes")
    monkeypatch.setenv("CLAIMDESK_KEYS", "quit=Q")
    s = load({})
    assert (s["reviewer"], s.values["reviewer"].source) == ("from-env", "$CLAIMDESK_REVIEWER")
    assert s["auto_advance"] is True
    assert s.keymap == {"tag-disputed": "D", "quit": "Q"}
    assert s.keys["quit"].source == "$CLAIMDESK_KEYS" and s.keys["tag-disputed"].source == f"config {config}"

    s = load({"reviewer": "from-flag", "database": Path("x.db"), "keys": {"quit": "ctrl+x"}, "auto_advance": False})
    assert (s["reviewer"], s.values["reviewer"].source) == ("from-flag", "--reviewer")
    assert (s["database"], s.values["database"].source) == (Path("x.db"), "--db")
    assert s.keymap["quit"] == "ctrl+x" and s.keys["quit"].source == "--keys"
    assert s["auto_advance"] is False


def test_no_file_means_defaults(config):
    s = load({})
    assert not s.config_found
    assert s.values["database"].source == "default" and s["database"] == Path("claimdesk.db")
    assert s["auto_advance"] is True and s.keymap == {}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("reviewer = [1]", "reviewer: must be a non-empty string"),
        ("auto_advance = 'yes'", "auto_advance: must be true or false"),
        ("colour = 'red'", "unknown setting 'colour'"),
        ("reviewer = ", "not valid TOML"),
        ("keys = 'tag-disputed'", "is not ID=KEY"),
        ("keys = 5", "must be a table of binding id"),
    ],
)
def test_a_bad_config_file_is_one_line_naming_the_file(config, capsys, tmp_path, text, expected):
    config.write_text(text + "\n")
    with pytest.raises(ConfigError, match=expected):
        load({})
    code = main(["stats", "--db", str(tmp_path / "none.db")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"claimdesk: {config}: ") and expected in err


def test_bad_environment_value_is_named(config, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_AUTO_ADVANCE", "maybe")
    with pytest.raises(ConfigError, match=r"\$CLAIMDESK_AUTO_ADVANCE: 'maybe'"):
        load({})


def test_config_command_shows_each_source(config, capsys, monkeypatch, tmp_path):
    config.write_text('reviewer = "maria"\n[keys]\ntag-disputed = "D"\n')
    monkeypatch.setenv("CLAIMDESK_DB", str(tmp_path / "env.db"))
    code = main(["config", "--no-advance", "--list-keys"])
    out = capsys.readouterr().out
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip() and not line.startswith(" ─")}
    assert "maria" in lines["reviewer"] and f"config {config}" in lines["reviewer"]
    assert str(tmp_path / "env.db") in lines["database"] and "$CLAIMDESK_DB" in lines["database"]
    assert "false" in lines["auto_advance"] and "--no-advance" in lines["auto_advance"]
    assert "tag-disputed=D" in lines["keys"]
    assert f"config file: {config} (found)" in out
    assert "tag-disputed" in lines and " D " in lines["tag-disputed"] + " "
    assert "tag-corroborated" in lines and "default" in lines["tag-corroborated"]
    assert main(["config", "--path"]) == 0 and capsys.readouterr().out.strip() == str(config)


def test_keymap_problems_say_what_is_wrong():
    ids = bindings()
    assert {"tag-disputed", "quit", "next-claim", "help"} <= set(ids)
    assert check_keymap({"tag-disputed": "D", "quit": "ctrl+q"}) == []
    assert check_keymap({"tag-disputed": "D,x", "next-claim": "j,down,space"}) == [
        "key 'x' would be bound to both tag-disputed and clear-judgement; give clear-judgement another "
        "key too (e.g. clear-judgement=...) or pick a free key for tag-disputed"
    ]
    (unknown,) = check_keymap({"tag-dispute": "D"}, {"tag-dispute": "--keys"})
    assert unknown.startswith("--keys: unknown binding id 'tag-dispute'; did you mean 'tag-disputed'?")
    (clash,) = check_keymap({"tag-disputed": "c"})
    assert "'c'" in clash and "tag-disputed" in clash and "tag-corroborated" in clash
    swapped = check_keymap({"tag-disputed": "c", "tag-corroborated": "d"})
    assert swapped == []  # a swap is no clash
    (reserved,) = check_keymap({"quit": "ctrl+c"})
    assert "ctrl+c is kept for quit" in reserved
    assert key_problem("ctrl+q") is None and key_problem("f5") is None and key_problem("question_mark") is None
    assert key_problem("shift+tab") is None and key_problem("?") is None and key_problem("pageup") is None
    assert "no such key" in key_problem("ctrl+nosuchkey")
    assert "not a modifier" in key_problem("cmd+q")


def test_review_refuses_a_bad_key_map_before_opening(config, sample_db):
    def review(*args):
        return subprocess.run([str(BIN / "claimdesk"), "review", "--db", str(sample_db), *args],
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                              env={**__import__("os").environ, "CLAIMDESK_CONFIG": str(config)})

    result = review("--keys", "tag-disputed=D,quit=ctrl+q")  # ',' where ';' was meant
    assert result.returncode == 2
    assert "tag-disputed: 'quit=ctrl+q' looks like another binding: separate bindings with ';'" in result.stderr
    assert "Traceback" not in result.stderr
    result = review("--keys", "tag-disputed=c;flip=x")
    assert result.returncode == 2
    assert "unknown binding id 'flip'" in result.stderr
    config.write_text('[keys]\ntag-disputed = "c"\n')
    result = review()
    assert result.returncode == 2
    assert result.stderr.startswith(f"claimdesk: config {config}: key 'c' would be bound to both tag-disputed")


def test_commands_use_the_config_files_database_and_reviewer(config, sample_db, capsys):
    config.write_text(f'reviewer = "from-config"\ndatabase = "{sample_db}"\n')
    from claimdesk.store.database import Database

    claim = Database.open(sample_db).corpus().claims[0]
    assert main(["tag", claim.id[:8], "c"]) == 0
    assert capsys.readouterr().out.strip() == f"{claim.id}: corroborated (from-config)"
    assert main(["tag", claim.id, "d", "--reviewer", "flagged"]) == 0
    assert capsys.readouterr().out.strip() == f"{claim.id}: disputed (flagged)"
    assert main(["history", claim.id]) == 0
    out = capsys.readouterr().out
    assert "from-config" in out and "flagged" in out
