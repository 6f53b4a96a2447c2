"""How far looser conflict gates take the counterfactual test, and what they cost (ECB+ dev topics).

    python -m bench.conflict_gates --setting no-shared-participant [--topics 1,3,4] [--per-topic 6]

extract.conflicts calls two claims' differing date, person or place a conflict only when the two are
one event: a shared event verb AND a shared participant, figure or day besides the differing value
(or near-identical wording), and a figure only with ``CONFLICT_SIM`` of shared wording. This bench
loosens those gates for one run, without touching the shipped code, and prints for that setting:

- the counterfactual conflicts found (bench.counterfactual: the altered pair must conflict) and the
  false conflicts on the unaltered pairs;
- the conflicting links among annotated sentence pairs and the share of them on one gold event
  (bench.ecbplus: a proxy for conflict precision).

Settings:
- ``today``: the gates as shipped;
- ``no-shared-participant``: one event needs only the shared event verb (or kindred wording), not a
  participant, figure or day besides the value;
- ``loosest``: that, and figure/date/event/kindred wording thresholds lowered to
  ``CONFLICT_SIM`` 0.12, ``DATE_CONFLICT_SIM`` 0.25, ``EVENT_CONFLICT_SIM`` 0.03, ``KIN_SIM`` 0.06.

Tune on dev topics only (the default); validation topics are for reporting.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import counterfactual as CF  # noqa: E402
from bench import ecbplus as E  # noqa: E402

# setting -> (drop the shared-participant gate?, extract.conflicts thresholds to lower)
SETTINGS: dict[str, tuple[bool, dict[str, float]]] = {
    "today": (False, {}),
    "no-shared-participant": (True, {}),
    "loosest": (True, {"CONFLICT_SIM": 0.12, "DATE_CONFLICT_SIM": 0.25, "EVENT_CONFLICT_SIM": 0.03, "KIN_SIM": 0.06}),
}


def apply(setting: str) -> None:
    """Loosen extract.conflicts' gates for this process (the module reads them at call time)."""
    from claimdesk.extract import conflicts

    anyone, thresholds = SETTINGS[setting]
    if anyone:
        shipped = conflicts._participants  # our own module: the gate under test

        def with_anyone(feat) -> frozenset[str]:
            return shipped(feat) | {"#any"}  # every pair "shares" a participant

        conflicts._participants = with_anyone
    for name, value in thresholds.items():
        setattr(conflicts, name, value)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--setting", choices=sorted(SETTINGS), default="today")
    ap.add_argument("--topics", default=",".join(CF.DEV), help="ECB+ topics (default: the dev topics)")
    ap.add_argument("--per-topic", type=int, default=6, help="altered pairs per kind and topic")
    a = ap.parse_args(argv)
    apply(a.setting)
    from claimdesk.extract.nlp import load_pipeline

    nlp = load_pipeline()
    topics = a.topics.split(",")
    r = CF.run(topics, a.per_topic, nlp=nlp)
    s = E.evaluate(topics, nlp=nlp)
    print(
        f"{a.setting} on topics {a.topics}: {CF.summary(r)}; conflicting links among annotated pairs "
        f"{s['conflicts']} (on one gold event {100 * s['conflicts_P']:.0f}%; across look-alike events "
        f"{s['conflicts_cross']}); supporting P {s['P']:.3f} R {s['R']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
