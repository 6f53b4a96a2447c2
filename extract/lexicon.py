"""Which words can be verb forms: a general English lexicon, the one spaCy's own lemmatizer carries.

The rule lemmatizer of the English pipeline holds WordNet's index of verb lemmas, its irregular forms
("stolen" -> steal) and its suffix rules ("-s", "-ed", "-ies" ...). A title-cased or all-capitals headline
("Lindsay Lohan Checks Into Rehab", "COLTS TOP CHIEFS") is mis-tagged by a tagger trained on running text
(its verbs read as proper nouns); this lexicon tells which of its words can be a verb, and in what form.

    verb_form(word) -> ("s", "check") for "Checks"; ("ed", "steal") for "stolen"; ("base", "clinch"); ("", "")
    is_adjective(word) -> whether WordNet lists `word` as an adjective ("dead", "wounded")
"""

from __future__ import annotations

import functools

from claimdesk.extract.nlp import load_pipeline


@functools.cache
def _tables() -> tuple[frozenset[str], dict[str, list[str]], list[list[str]], frozenset[str]]:
    lookups = load_pipeline().get_pipe("lemmatizer").lookups
    index = frozenset(lookups.get_table("lemma_index")["verb"])
    exc = dict(lookups.get_table("lemma_exc")["verb"])
    rules = list(lookups.get_table("lemma_rules")["verb"])
    adjectives = frozenset(lookups.get_table("lemma_index")["adj"])
    return index, exc, rules, adjectives


@functools.lru_cache(maxsize=65536)
def verb_form(word: str) -> tuple[str, str]:
    """(form, lemma) of `word` (any case) as a verb: form "s", "ed" or "base"; ("", "") when it is none."""
    w = word.lower()
    if not w.isalpha() or len(w) < 2:
        return "", ""
    index, exc, rules, _ = _tables()
    if w in exc:
        lemma = exc[w][0]
        if w.endswith("ing"):
            return "", ""
        return ("s" if w.endswith("s") else "ed"), lemma
    for old, new in rules:
        stem = w[: len(w) - len(old)] + new
        if old in ("s", "es", "ies") and w.endswith(old) and stem in index:
            return "s", stem
        if old == "ed" and w.endswith(old) and stem in index:
            return "ed", stem
    if w in index:
        return "base", w
    return "", ""


def is_adjective(word: str) -> bool:
    return word.lower() in _tables()[3]
