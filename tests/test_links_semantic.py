"""The sentence model (extract/embed.py) and where it may run.

The model's files come from pinned PyPI packages and are checked by sha256 before use; vectors are
deterministic; the review screen (reading stored links) never loads it: only an ingest links.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claimdesk.extract import embed

ROOT = Path(__file__).resolve().parent.parent


def test_vectors_put_one_event_in_other_words_closer_than_another_event():
    texts = [
        "Navy commandos captured 23 pirates off the coast of Somalia.",
        "Twenty-three Somali sea brigands were nabbed by the navy.",
        "A fire destroyed a supermarket in the town centre.",
    ]
    v = embed.vectors(texts)
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    same, other = float(v[0] @ v[1]), float(v[0] @ v[2])
    assert same > 0.5 and other < 0.2, (same, other)
    again = embed.vectors(list(reversed(texts)))  # batches, order and padding change nothing
    assert np.allclose(again[::-1], v, atol=1e-5)


def test_a_model_file_that_is_not_the_pinned_one_is_refused():
    with pytest.raises(embed.ModelMissing, match="sha256"):
        embed._file(*embed.MODEL_FILE, "0" * 64)
    with pytest.raises(embed.ModelMissing, match="not installed"):
        embed._file("no-such-package-claimdesk", "model.onnx", embed.MODEL_SHA256)


def test_the_review_screen_never_loads_the_sentence_model(sample_db):
    """A real review session (the app on an ingested database, keys pressed, a judgement saved) in a
    process of its own: neither onnxruntime, tokenizers nor the embedding module is imported."""
    probe = f"""
import asyncio, sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
from pathlib import Path
import claimdesk.tui.cli, claimdesk.tui.commands.review
from tui_fixtures import make_app, ready, saved

async def main():
    app = make_app(Path({str(sample_db)!r}))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j", "c", "k", "d")
        await saved(pilot)
        assert app.review is not None

asyncio.run(main())
print(sorted(m for m in ("onnxruntime", "tokenizers", "claimdesk.extract.embed", "claimdesk.extract.events") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_ingest_with_a_model_that_is_not_the_pinned_one_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    """`--event-similarity` with a model file that fails its sha256: one line naming the file, exit 2,
    nothing read and no database made (checked before the first article)."""
    from claimdesk.extract import events, links
    from claimdesk.tui.cli import main

    monkeypatch.setattr(embed, "MODEL_SHA256", "0" * 64)
    monkeypatch.setattr(embed, "_MODEL", None)
    monkeypatch.setattr(links, "SEMANTIC", links.SEMANTIC)  # the option sets both for the process
    monkeypatch.setattr(events, "VECTOR_SIM", events.VECTOR_SIM)
    db = tmp_path / "c.db"
    code = main(["ingest", str(ROOT / "sample_data"), "--db", str(db),
                 "--event-similarity", "0.4", "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("claimdesk: --event-similarity: sentence model: ")
    assert "model.onnx" in err[0] and "sha256" in err[0]
    assert not db.exists()
