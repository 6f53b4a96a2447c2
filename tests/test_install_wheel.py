"""The wheel works outside the repository: built from a copy of the sources, installed into a
fresh virtualenv in a temporary folder, then used as a new user would, from a folder of their
own: `claimdesk --version`, `claimdesk demo` (the shipped sample story, ingested into the data
folder, tagged in a real terminal), `claims`, `tag` by id prefix, `export`, and a short `review`.

No network: the wheel is built without build isolation (setuptools comes with the test extras)
and installed with `pip --no-index`. The fresh venv sees the dependencies already installed in
this checkout's venv through a folder of links to them (claimdesk's own editable install left
out, so only the wheel can provide `claimdesk`); pip still checks every requirement of the
wheel against them. The full install from PyPI into fresh 3.10 and 3.13 venvs is a manual
check recorded in the README (it takes minutes, not seconds).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from terminal_harness import TmuxSession, tmux_available

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "extract", "store", "tui", "sample_data")
REVIEWER = "wheely"

pytestmark = [
    pytest.mark.xdist_group("wheel"),
    pytest.mark.skipif(not tmux_available(), reason="tmux is needed to drive the review screen"),
]


def run(argv, *, cwd=None, env=None, timeout=300) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{argv} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def project_version() -> str:
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


def progress(done: int):
    """Predicate: the status bar shows `done` of a non-empty corpus for REVIEWER."""
    pattern = re.compile(rf"^ {REVIEWER} +{done}/[1-9][0-9]* ", re.M)

    def check(screen: str) -> bool:
        return bool(pattern.search(screen))

    check.__name__ = f"status bar '{REVIEWER} {done}/N'"
    return check


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT)
    src = base / "src"
    src.mkdir()
    for name in SOURCES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, src / name)
    wheels = base / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "--no-build-isolation",
         "-q", "-w", wheels, src], cwd=base)
    (wheel,) = wheels.glob("claimdesk-*.whl")

    # the dependencies, as installed here, without claimdesk's own editable install
    deps = base / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        low = entry.name.lower()
        if low.startswith(("claimdesk", "__editable__")) or low.endswith(".pth"):
            continue
        (deps / entry.name).symlink_to(entry)
    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    py = venv / "bin" / "python"
    purelib = run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(purelib, "claimdesk-test-deps.pth").write_text(f"{deps}\n")
    run([sys.executable, "-m", "pip", "--python", py, "install", "--no-index", "--no-compile", "-q", wheel])

    home = base / "home"
    home.mkdir()
    return {"base": base, "wheel": wheel, "bin": venv / "bin", "home": home, "purelib": Path(purelib)}


def user_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMDESK_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               CLAIMDESK_REVIEWER=REVIEWER, PATH=f"{home.parent / 'venv' / 'bin'}:{env.get('PATH', '')}")
    return env


def test_the_wheel_holds_every_module_and_the_sample_story(installed):
    import zipfile

    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for folder in ("extract", "store", "tui", "tui/commands", "tui/screens", "tui/widgets"):
        expected = {f"claimdesk/{folder}/{p.name}" for p in (ROOT / folder).glob("*.py")}
        assert expected and expected <= set(names), sorted(expected - set(names))
    assert {f"claimdesk/sample_data/{p.name}" for p in (ROOT / "sample_data").glob("*.txt")} <= set(names)
    assert "claimdesk/tui/claimdesk.tcss" in names
    # one import namespace of our own: nothing installed as a top-level extract/store/tui
    assert not [n for n in names if n.split("/")[0] in ("extract", "store", "tui", "sample_data")]
    meta = zipfile.ZipFile(installed["wheel"]).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for field in ("License-Expression: MIT", "Requires-Python: >=3.10", "Classifier: Programming Language :: Python :: 3.10"):
        assert field in meta
    assert "scikit-learn" not in meta


def test_installed_command_from_a_folder_of_its_own(installed):
    home, bin_ = installed["home"], installed["bin"]
    env = user_env(home)
    claimdesk = bin_ / "claimdesk"
    where = run([bin_ / "python", "-c", "import claimdesk.tui.cli as m; print(m.__file__)"], cwd=home, env=env)
    assert Path(where.stdout.strip()).is_relative_to(installed["purelib"]), where.stdout
    version = run([claimdesk, "--version"], cwd=home, env=env).stdout.strip()
    assert version == f"claimdesk {project_version()}"
    conf = run([claimdesk, "config", "--path"], cwd=home, env=env).stdout.strip()
    assert conf == str(home / "config" / "claimdesk" / "config.toml")
    demo_db = Path(run([claimdesk, "demo", "--where"], cwd=home, env=env).stdout.strip())
    assert demo_db.is_relative_to(home / "data") and not demo_db.exists()

    # the demo: ingests the shipped story in the screen, then a tag and quit
    with TmuxSession([str(claimdesk), "demo"], width=120, height=40, env=env, cwd=home,
                     workdir=installed["base"]) as t:
        t.wait_for(progress(0),
                   timeout=120)
        t.send_keys("c")
        t.wait_for(progress(1))
        t.send_keys("q")
        assert t.wait_exit(30) == 0
        assert f"demo database: {demo_db} (try: claimdesk claims --db {demo_db};" in t.capture().replace("\n", "")
    assert (demo_db / "corpus.json").is_file()
    assert not list(home.glob("*.db")), "the demo wrote into the current folder"

    # claims by prefix, a tag from the command line, the export
    ids = run([claimdesk, "claims", "--db", demo_db, "--ids"], cwd=home, env=env).stdout.split()
    assert len(ids) > 10
    second = ids[1]
    prefix = next(second[:n] for n in range(2, len(second) + 1) if sum(i.startswith(second[:n]) for i in ids) == 1)
    out = run([claimdesk, "tag", prefix, "d", "--db", demo_db, "--note", "from the wheel"], cwd=home, env=env).stdout
    assert out.strip() == f"{second}: disputed ({REVIEWER})"
    run([claimdesk, "export", "--db", demo_db, "-o", "out.csv"], cwd=home, env=env)
    with open(home / "out.csv", newline="", encoding="utf-8") as fh:
        rows = {r["claim_id"]: r for r in csv.DictReader(fh) if r["reviewer"] == REVIEWER}
    assert rows[ids[0]]["status"] == "corroborated"
    assert (rows[second]["status"], rows[second]["note"]) == ("disputed", "from the wheel")
    assert oct((home / "out.csv").stat().st_mode & 0o777) == "0o600"

    # a short review of the same database: one more tag, then quit
    with TmuxSession([str(claimdesk), "review", "--db", str(demo_db)], width=100, height=30, env=env,
                     cwd=home, workdir=installed["base"]) as t:
        t.wait_for(progress(2),
                   timeout=60)
        t.send_keys("n", "u")
        t.wait_for(progress(3))
        t.send_keys("q")
        assert t.wait_exit(30) == 0
    statuses = run([claimdesk, "export", "--db", demo_db, "--reviewer", REVIEWER, "--format", "jsonl"],
                   cwd=home, env=env).stdout
    assert statuses.count('"status":"unsourced"') == 1
