"""Agreement against numbers worked out by hand; degenerate cases; stats."""

from __future__ import annotations

import pytest

from claimdesk.store.agreement import agreement
from claimdesk.store.judgements import Judgement
from claimdesk.store.stats import stats
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

C, D, U = "corroborated", "disputed", "unsourced"


def js(reviewer: str, statuses: list[str | None]) -> list[Judgement]:
    t = "2026-11-22T10:00:00.000000+00:00"
    return [Judgement(f"c{i}", reviewer, s, "", t, t) for i, s in enumerate(statuses) if s is not None]


def test_hand_worked_two_reviewers():
    # claim:  0  1  2  3  4  5
    # A:      C  C  D  D  U  C
    # B:      C  C  D  C  U  D
    #
    # Cohen's kappa. Agreement on claims 0, 1, 2, 4: p_o = 4/6.
    # Marginals: A uses C 3, D 2, U 1 times; B uses C 3, D 2, U 1 times.
    # p_e = (3*3 + 2*2 + 1*1) / 6^2 = 14/36.
    # kappa = (p_o - p_e) / (1 - p_e) = (24/36 - 14/36) / (22/36) = 10/22 = 0.454545...
    #
    # Krippendorff's alpha (nominal), 6 units x 2 values, n = 12 pairable values.
    # Coincidences (each unit adds 1 to o[c][k] and to o[k][c] for its value pair):
    #   o_CC = 4 (claims 0, 1), o_DD = 2 (claim 2), o_UU = 2 (claim 4), o_CD = o_DC = 2 (claims 3, 5)
    # n_C = 4 + 2 = 6, n_D = 2 + 2 = 4, n_U = 2.
    # D_o = (o_CD + o_DC) / n = 4/12.
    # D_e = sum_{c != k} n_c n_k / (n (n - 1)) = 2 (6*4 + 6*2 + 4*2) / (12 * 11) = 88/132.
    # alpha = 1 - D_o / D_e = 1 - (4/12) / (88/132) = 1 - 0.5 = 0.5.
    report = agreement(js("A", [C, C, D, D, U, C]) + js("B", [C, C, D, C, U, D]))
    assert report.reviewers == ["A", "B"] and report.units == 6
    (pair,) = report.pairs
    assert (pair.a, pair.b, pair.shared, pair.agreed) == ("A", "B", 6, 4)
    assert pair.kappa == pytest.approx(10 / 22)
    assert report.alpha == pytest.approx(0.5)
    assert [(d.claim_id, d.statuses) for d in report.disagreements] == [
        ("c3", {"A": D, "B": C}),
        ("c5", {"A": C, "B": D}),
    ]


def test_hand_worked_three_reviewers_with_missing_values():
    # claim:  0  1  2  3
    # A:      C  D  C  -
    # B:      C  D  D  U
    # C:      -  D  -  U
    # Units with >= 2 values: all four. Pairable values: 2 + 3 + 2 + 2 = 9 = n.
    # Coincidences (a unit with m values adds 1/(m-1) per ordered pair of its values):
    #   unit 0 (C, C):    o_CC += 2
    #   unit 1 (D, D, D): 6 ordered pairs, each 1/2: o_DD += 3
    #   unit 2 (C, D):    o_CD += 1, o_DC += 1
    #   unit 3 (U, U):    o_UU += 2
    # n_C = 2 + 1 = 3, n_D = 3 + 1 = 4, n_U = 2; n = 9.
    # D_o = (o_CD + o_DC) / n = 2/9.
    # D_e = 2 (3*4 + 3*2 + 4*2) / (9 * 8) = 52/72.
    # alpha = 1 - (2/9) / (52/72) = 1 - 16/52 = 36/52 = 0.6923...
    # Kappa A-B on claims 0, 1, 2: p_o = 2/3; A: C 2, D 1; B: C 1, D 2;
    #   p_e = (2*1 + 1*2) / 9 = 4/9; kappa = (6/9 - 4/9) / (5/9) = 2/5 = 0.4.
    # A-C share only claim 1: n/a. B-C share claims 1, 3, no disagreement but two categories:
    #   p_o = 1; p_e = (1*1 + 1*1) / 4 = 1/2; kappa = (1 - 1/2) / (1/2) = 1.
    report = agreement(js("A", [C, D, C, None]) + js("B", [C, D, D, U]) + js("C", [None, D, None, U]))
    assert report.alpha == pytest.approx(36 / 52)
    pairs = {(p.a, p.b): p for p in report.pairs}
    assert pairs[("A", "B")].kappa == pytest.approx(0.4)
    assert pairs[("A", "C")].kappa is None and "1 shared claim" in pairs[("A", "C")].reason
    assert pairs[("A", "C")].shown.startswith("n/a")
    assert pairs[("B", "C")].kappa == pytest.approx(1.0)


def test_degenerate_cases_say_why():
    same = agreement(js("A", [D, D, D]) + js("B", [D, D, D]))
    (pair,) = same.pairs
    assert pair.kappa is None and "only one category" in pair.reason
    assert same.alpha is None and "only one category" in same.alpha_reason
    assert same.alpha_shown.startswith("n/a (")
    nobody = agreement(js("A", [C, D]))
    assert nobody.pairs == [] and nobody.units == 0 and nobody.alpha is None
    assert "two or more reviewers" in nobody.alpha_reason
    empty = agreement([])
    assert empty.reviewers == [] and empty.alpha is None
    # cleared judgements do not count
    t = "2026-11-22T10:00:00+00:00"
    cleared = agreement(js("A", [C, D]) + [Judgement("c0", "B", "", "", t, t), Judgement("c1", "B", "", "", t, t)])
    assert cleared.units == 0


def test_agreement_over_a_real_database(store_db):
    claims = store_db.corpus().claims
    for c, s in zip(claims, [C, C, D, D, U, C]):
        store_db.tag(c.id, s, "A")
    for c, s in zip(claims, [C, C, D, C, U, D]):
        store_db.tag(c.id, s, "B")
    store_db.untag(claims[0].id, "B")  # now only A judges claim 0
    report = agreement(store_db.judgements())
    assert report.units == 5
    # claims 1..5: A = C D D U C, B = C D C U D -> p_o = 3/5; marginals A: C2 D2 U1, B: C2 D2 U1
    # p_e = (4 + 4 + 1) / 25 = 9/25; kappa = (15/25 - 9/25) / (16/25) = 6/16 = 0.375
    assert report.pairs[0].kappa == pytest.approx(0.375)


def test_stats(store_db):
    corpus = store_db.corpus()
    claims = corpus.claims
    store_db.tag(claims[0].id, C, "ana")
    store_db.tag(claims[1].id, D, "ana")
    store_db.tag(claims[1].id, D, "ben")
    store_db.tag(claims[2].id, U, "ben")
    store_db.untag(claims[2].id, "ben")
    s = stats(store_db)
    assert (s.articles, s.claims, s.claims_judged) == (len(corpus.articles), len(claims), 2)
    progress = {r.reviewer: (r.judged, r.total, r.statuses) for r in s.reviewers}
    assert progress == {
        "ana": (2, len(claims), {C: 1, D: 1, U: 0}),
        "ben": (1, len(claims), {C: 0, D: 1, U: 0}),
    }
    assert s.statuses == {C: 1, D: 2, U: 0}
    assert sum(s.suggestions.values()) == len(claims)
    assert sum(sum(row.values()) for row in s.versus.values()) == 3
    sug = corpus.linkage.suggestions.get(claims[1].id)
    assert s.versus[(sug.status if sug and sug.status else "none")][D] == 2


def test_kappa_with_unequal_marginals_and_without_scikit_learn():
    # A: C C C D,  B: C C D D.  p_o = 3/4.  A uses C 3/4, D 1/4; B uses C 2/4, D 2/4.
    # p_e = 3/4 * 2/4 + 1/4 * 2/4 = 8/16 = 1/2.  kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    from claimdesk.store.agreement import cohen_kappa

    assert cohen_kappa([C, C, C, D], [C, C, D, D]) == pytest.approx(0.5)
    # perfect disagreement on two items: p_o = 0, p_e = 1/2 -> kappa = -1
    assert cohen_kappa([C, D], [D, C]) == pytest.approx(-1.0)
    report = agreement(js("A", [C, C, C, D]) + js("B", [C, C, D, D]))
    assert report.pairs[0].kappa == pytest.approx(0.5)
    import subprocess
    import sys

    code = ("import sys; from claimdesk.store.agreement import agreement; "
            "from claimdesk.store.judgements import Judgement; t = '2026-11-22T10:00:00+00:00'; "
            "r = agreement([Judgement(f'c{i}', w, s, '', t, t) for i, (w, s) in enumerate("
            "[('A', 'disputed'), ('B', 'disputed'), ('A', 'unsourced'), ('B', 'corroborated')])]); "
            "assert 'sklearn' not in sys.modules and r.reviewers == ['A', 'B']; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "ok", proc.stderr
