"""Which claim candidate (a sentence or a clause) is a claim, of which kind, and the rule that decided.

`classify(candidate)` sets `keep`, `kind` and `why` (the rule, for diagnostics: `extract.claims.explain`,
`python -m bench.claim_misses`). In order:

- a headline: a claim when it states a fact (`clauses.headline_states_fact`), never a first-person line,
  a command or a quoted opinion;
- never a claim: fewer than two words ("(14)": a bare figure is not a fact), a question, a quotation that
  only judges ("“The situation is terrible,” she said"), and, unless attributed, a fragment with no
  finite verb, a command ("Put 10 dollars on the plate"), the writer or reader as subject ("When I was
  14 ...", "You pay $10 a month"), speculation, opinion;
- quote: a direct quotation credited to a speaker; statistic: a quantity; event: a dated action or a past
  happening; statement: a named actor acting, a credited source, a named actor's past status.

General English only: the parse, entity types, the lemmatizer's lexicon; no story's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from claimdesk.extract.attribution import SPEECH_VERBS
from claimdesk.extract.clauses import (
    COPULAS,
    deck_states_fact,
    framed_clause,
    headline_states_fact,
    is_actor,
    is_opinion,
    is_speculative,
    main_verbs,
    past_event,
    past_status,
    subject,
)
from claimdesk.extract.model import Attribution, DateRef, Quantity
from claimdesk.extract.quantities import is_vague

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})


@dataclass
class Candidate:
    """One claim candidate: a sentence or a clause of it."""

    span: Span
    root: Token
    para: int  # line (paragraph) index in the article text
    offset: int = 0  # where the parsed piece holding `span` starts in the article text
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    ents: list[Span] = field(default_factory=list)
    attribution: Attribution | None = None
    has_quote: bool = False
    dated_action: bool = False
    headline: bool = False  # the article's title line: a claim only when it states a fact
    deck: bool = False  # a line read as a sentence though nothing ends it (a standfirst, a sentence that lost its stop)
    keep: bool = False
    kind: str = ""
    why: str = ""  # the rule that kept or rejected it (for bench diagnostics)


def classify(unit: Candidate) -> None:
    """Decide `unit`: its keep, kind and why."""
    unit.keep, unit.kind, unit.why = False, "", ""
    keep = _decide(unit)
    if keep:
        unit.keep, unit.kind = True, keep


def _decide(unit: Candidate) -> str:
    """The kind of claim the unit is, or "" (with `unit.why` naming the rule either way)."""
    span, root = unit.span, unit.root
    stext = span.text
    if unit.headline:
        if _personal(root) or _imperative(root) or (unit.has_quote and _quoted_opinion(root, unit)):
            unit.why = "headline: first or second person, a command or a quoted opinion"
            return ""
        if headline_states_fact(unit.span, unit.root):
            unit.why = "headline states a fact"
            return "statistic" if unit.quantities else "event"
        unit.why = "headline: no fact"
        return ""
    if len(span) < 3:
        unit.why = "too short"
        return ""
    if _PARENTHESIS_END.sub("", stext).rstrip("”’\"') ").endswith("?"):  # not "Sox offer (8 years?)"
        unit.why = "question"
        return ""
    att = unit.attribution
    attributed = att is not None and att.kind != "none"
    if sum(t.is_alpha for t in span) < 2:
        unit.why = "too few words"  # "(14)", "2010-11": a bare figure is not a fact
        return ""
    if unit.has_quote and attributed:
        if _quoted_opinion(root, unit):
            unit.why = "quoted opinion"  # "“It is a disgrace,” she said": only a judgement, nothing to check
            return ""
        unit.why = "attributed quote"
        return "quote"
    junk = ""
    if unit.has_quote and root.lemma_.lower() in SPEECH_VERBS and _quoted_opinion(root, unit):
        junk = "quoted opinion"  # "“The situation is terrible,” he said." with no one named before
    elif not attributed and not _finite(span):
        if unit.deck and deck_states_fact(root):
            unit.why = "deck states a fact"  # a standfirst in headline style: "Police not searching for suspects"
            return "event"
        junk = "fragment: no finite verb"  # "expecting total shipments to hit 10 million units"
    elif not attributed and _imperative(root):
        junk = "imperative"  # "Put 10 dollars on the plate in the fridge"
    elif not attributed and _personal(root):
        junk = "first or second person"  # "When I was 14...", "You pay $10 per month"
    if junk:
        unit.why = junk
        return ""
    if is_speculative(root) and not attributed:
        unit.why = "speculative"
        return ""
    if any(not is_vague(q) for q in unit.quantities):  # "thousands" alone is no statistic
        unit.why = "quantity"
        return "statistic"
    inner = framed_clause(root)
    if inner is not None and not is_speculative(inner):
        # the frame only hedges or judges: the clause it carries decides ("It is thought the lines have been
        # cut", "it's safe to say Luck exceeded them", "It's official: Weitz is taking over")
        if past_event(inner):
            unit.why = "framed past event"
            return "event"
        root = inner
    verbs = main_verbs(root)
    acting = any(v.pos_ == "VERB" and v.lemma_.lower() not in COPULAS for v in verbs)
    if is_opinion(root) and not attributed:
        if unit.dates and root.tag_ == "VBD" and (is_actor(subject(root)) or _proper(subject(root))) and _placed(root):
            unit.why = "dated state"  # "LaRue was present at a 1972 meeting with Mitchell"; not "X was terrible today"
            return "event"
        unit.why = "opinion"
        return ""
    if unit.dated_action:
        unit.why = "dated action"
        return "event"
    if attributed or (acting and any(is_actor(subject(v)) for v in verbs)):
        unit.why = "attributed" if attributed else "actor acts"
        return "statement"
    # a named person doing something anywhere in the sentence ("..., with former President Donald Trump
    # seeking to strengthen ties with Moscow")
    for tok in span:
        if tok.dep_ == "nsubj" and tok.ent_type_ == "PERSON" and tok.head.pos_ == "VERB":
            if tok.head.lemma_.lower() not in COPULAS:
                unit.why = "person acts"
                return "statement"
    if past_event(root):  # a happening in the past tense, whoever did it ("A fire destroyed the store")
        unit.why = "past event"
        return "event"
    if past_status(root):
        unit.why = "actor was"
        return "statement"
    unit.why = NO_HOLD
    return ""


_PARENTHESIS_END = re.compile(r"\s*\([^()]*\)\W*$")
NO_HOLD = "no actor, figure, date or past event"
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD", "VBN"})  # VBN: the small model often tags a past so
PERSONAL = frozenset({"i", "me", "we", "us", "you"})


def _placed(root: Token) -> bool:
    """The state is placed by a phrase naming someone or somewhere ("present [at a 1972 meeting with Mitchell]")."""
    heads = [root, *[c for c in root.children if c.dep_ == "acomp"]]
    preps = [c for h in heads for c in h.children if c.dep_ == "prep"]
    return any(t.ent_type_ in ENTITY_LABELS for p in preps for t in p.subtree)


def _proper(tok: Token | None) -> bool:
    return tok is not None and tok.pos_ == "PROPN"  # a name NER missed


def _finite(span: Span) -> bool:
    """Whether the span has a finite verb or a participle (a clause or a headline-style passive), not
    only nouns and "-ing" forms (a fragment: "expecting total shipments to hit 10 million units")."""
    return any(t.tag_ in FINITE_TAGS for t in span)


def _imperative(root: Token) -> bool:
    """A command: the root is a verb with no subject that opens the clause ("Put 10 dollars ...")."""
    if root.pos_ != "VERB" or root.tag_ not in ("VB", "VBP", "VBD") or subject(root) is not None:
        return False
    if any(c.dep_ in ("aux", "auxpass", "mark", "expl", "csubj") for c in root.children):
        return False
    return root.i == root.left_edge.i


def _quoted_opinion(root: Token, unit: Candidate) -> bool:
    """A quotation that only judges: its clause is a copula with an adjective ("“The situation is
    terrible,” she said"), with no figure, date or name of its own."""
    if unit.quantities or unit.dates:
        return False
    clause = next((c for c in root.children if c.dep_ == "ccomp"), None)
    if clause is None or clause.lemma_.lower() not in JUDGING_COPULAS:
        return False
    words = unit.span.doc[clause.left_edge.i : clause.right_edge.i + 1]
    if any(t.ent_type_ in ENTITY_LABELS for t in words):
        return False
    return any(c.dep_ == "acomp" for c in clause.children) and not any(c.dep_ == "conj" for c in clause.children)


JUDGING_COPULAS = frozenset({"be", "seem", "look", "sound"})


def _personal(root: Token) -> bool:
    """The writer or the reader as the subject of the main clause ("When I was 14 ...", "You pay $10")."""
    for verb in main_verbs(root):
        subj = subject(verb)
        if subj is not None and subj.lower_ in PERSONAL:
            return True
    return False
