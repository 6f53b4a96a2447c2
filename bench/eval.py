"""`make eval`: the cross-source linker's quality on data it was not tuned on, and on the sample gold.

    python -m bench.eval [--topics 2,5,12,18,21,23,34,35] [--no-record] [--label TEXT]

1. ECB+ (../shared/benchdata/ecbplus/, see its SOURCE.md): the benchmark's own scorer
   (tools/score_ecbplus.py) ingests each topic with this checkout's `claimdesk` and reads the CSV
   export. Default topics are the conventional VALIDATION topics (report only, never tuned on).
   Figures: supporting-link pair precision / recall / F1 over annotated sentence pairs, sentence
   recall, the share of links joining the two look-alike sub-topics, claim coverage of annotated
   event sentences, conflicting links across sub-topics.
2. The sample story (sample_data/, tests/gold/sample_links.json): recall and precision of the
   gold links through the in-process pipeline (the same scoring as tests/test_links_samples.py).

Prints the figures and, unless --no-record, appends one row per data set to the tables of
bench/README.md ("Cross-source links (issue 8)"). Run from the repository root.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ECB = Path("..") / "shared" / "benchdata" / "ecbplus"  # relative to the repository root, as in CI
VALIDATION = "2,5,12,18,21,23,34,35"
README = ROOT / "bench" / "README.md"
ECB_TABLE = "<!-- eval:ecbplus -->"
SAMPLE_TABLE = "<!-- eval:sample -->"


def ecbplus(topics: str) -> dict:
    """Run the ECB+ scorer on `topics`; the figures from its JSON and SUMMARY line."""
    data = ROOT / ECB / "ecbplus_dev.json"
    scorer = ROOT / ECB / "tools" / "score_ecbplus.py"
    if not data.is_file():
        raise SystemExit(f"{data}: ECB+ development data not found (see bench/README.md)")
    claimdesk = Path(sys.executable).parent / "claimdesk"
    with tempfile.TemporaryDirectory(prefix="claimdesk-eval-") as tmp:
        out = Path(tmp) / "figures.json"
        t0 = time.perf_counter()
        run = subprocess.run(
            [sys.executable, str(scorer), str(data), "--claimdesk", str(claimdesk), "--topics", topics,
             "--work", str(Path(tmp) / "work"), "--no-baselines", "--json", str(out)],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        secs = time.perf_counter() - t0
        if run.returncode:
            raise SystemExit(f"ECB+ scorer failed: {run.stderr.strip()[-1500:]}")
        figures = json.loads(out.read_text(encoding="utf-8"))
    summary = next(line for line in run.stdout.splitlines() if line.startswith("SUMMARY"))
    cov = re.search(r"extraction_coverage=([\d.]+)%", summary)
    sup = figures["claimdesk supporting"]
    con = figures["claimdesk conflicting only"]
    return {
        "P": sup["P"], "R": sup["R"], "F1": sup["F1"], "sent_R": sup["sent_R"],
        "lookalike": sup["cross_fp_share"], "links": sup["pred"],
        "coverage": float(cov.group(1)) / 100 if cov else float("nan"),
        "conflicts": con["pred"], "false_conflicts_cross": con["cross_fp"],
        "seconds": secs, "stdout": run.stdout,
    }  # fmt: skip


def sample() -> dict:
    """The sample story's gold links, scored like tests/test_links_samples.py does."""
    sys.path.insert(0, str(ROOT / "tests"))
    from links_fixtures import load_gold, score_against_gold

    from claimdesk.extract.claims import extract_claims
    from claimdesk.extract.links import link_corpus
    from claimdesk.extract.model import Article
    from claimdesk.extract.readers import load_articles

    t0 = time.perf_counter()
    articles = [a for a in load_articles([ROOT / "sample_data"]) if isinstance(a, Article)]
    claims = [c for _a, cs in extract_claims(articles) for c in cs]
    linkage = link_corpus(articles, claims)
    score = score_against_gold(load_gold(), articles, claims, linkage.links)
    return {
        "recall": score.recall, "recall_all": score.recall_all, "precision": score.precision,
        "found": score.found, "extractable": score.extractable, "expected": score.expected,
        "linked": score.linked_pairs, "correct": score.correct_pairs, "claims": len(claims),
        "seconds": time.perf_counter() - t0, "missed": score.missed, "wrong": score.wrong,
    }  # fmt: skip


def _append(marker: str, row: str) -> None:
    text = README.read_text(encoding="utf-8")
    if marker not in text:
        raise SystemExit(f"{README}: table marker {marker} missing")
    head, tail = text.split(marker, 1)
    README.write_text(head + row + "\n" + marker + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topics", default=VALIDATION, help="ECB+ topics (default: the validation topics)")
    ap.add_argument("--no-record", action="store_true", help="print only; do not append to bench/README.md")
    ap.add_argument("--label", default="", help="what this run measures (default: the git commit)")
    ap.add_argument("--verbose", action="store_true", help="also print the scorer's full output")
    ap.add_argument("--no-cross-story", action="store_true", help="skip all dev topics linked together (bench/cross_story.py)")
    a = ap.parse_args(argv)
    label = a.label or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    today = dt.date.today().isoformat()

    e = ecbplus(a.topics)
    if a.verbose:
        print(e["stdout"])
    print(
        f"ECB+ topics {a.topics}: supporting P={e['P']:.3f} R={e['R']:.3f} F1={e['F1']:.3f}; "
        f"sentence recall {e['sent_R']:.3f}; look-alike links {100 * e['lookalike']:.1f}% of {e['links']}; "
        f"claim coverage {100 * e['coverage']:.1f}%; conflicting links {e['conflicts']} "
        f"({e['false_conflicts_cross']} across sub-topics); {e['seconds']:.0f} s"
    )
    s = sample()
    print(
        f"sample story: gold recall {s['recall']:.2f} ({s['found']}/{s['extractable']} extractable; "
        f"{s['recall_all']:.2f} of all {s['expected']}), precision {s['precision']:.2f} "
        f"({s['correct']}/{s['linked']} linked pairs), {s['claims']} claims; {s['seconds']:.1f} s"
    )
    if s["missed"]:
        print("  missed: " + "; ".join(s["missed"]))
    if s["wrong"]:
        print("  wrong: " + "; ".join(s["wrong"]))
    if not a.no_cross_story:  # many stories in one corpus: links across stories (printed, not recorded)
        from bench.cross_story import measure, report

        print(report(measure()))
    if not a.no_record:
        topics = "validation" if a.topics == VALIDATION else a.topics
        _append(
            ECB_TABLE,
            f"| {today} {label} | {topics} | {e['P']:.3f} | {e['R']:.3f} | {e['F1']:.3f} | {e['sent_R']:.3f} "
            f"| {100 * e['lookalike']:.1f}% ({e['links']} links) | {100 * e['coverage']:.1f}% "
            f"| {e['conflicts']} ({e['false_conflicts_cross']}) | {e['seconds']:.0f} s |",
        )
        _append(
            SAMPLE_TABLE,
            f"| {today} {label} | {s['recall']:.2f} ({s['found']}/{s['extractable']}) "
            f"| {s['precision']:.2f} ({s['correct']}/{s['linked']}) | {s['claims']} | {s['seconds']:.1f} s |",
        )
        print(f"recorded in {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
