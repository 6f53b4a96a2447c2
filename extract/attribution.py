"""Who a claim is credited to, read from the dependency parse.

`find_attribution(tokens, root, ents, context)` looks at one claim's tokens (a sentence, or one clause of
it) and returns an `Attribution`, or None when the words credit no one. In order of strength:

1. "according to X" (any "accord" + "to" + object): X's PERSON/ORG entity ("according to Russian state
   media outlet TASS" -> "TASS"), else the noun phrase ("South Korean intelligence", "official figures").
2. A speech verb (say, state, claim, report, assure, warn, acknowledge, accuse, note, ...) at the top of the
   clause (its root or a verb conjoined with it) with a subject: the subject ("Zelenskyy said",
   "analysts suggest", "one Russian military insider stated" -> "a Russian military insider").
3. "reported by X" / "announced by X": the agent of a speech verb anywhere in the sentence.
4. A speech verb lower in the sentence whose clause holds a quotation ("after reports emerged that
   Trump was “pissed off”").
5. A source document as subject: "The UK's latest estimate ... placed" -> "UK".

Pronoun speakers ("he also noted") and definite descriptions ("The Ukrainian leader has accused") are
resolved from `context` (the last person named as a speaker or subject earlier in the article).

The kind is "named" for a person, an organisation, a place, or an institution given with its country
("South Korean intelligence"); "unnamed" for reports, officials, analysts, insiders, figures ...
All of this is tree walking on the parse spaCy already made; nothing is parsed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimdesk.extract.model import Attribution

SPEECH_VERBS = frozenset(
    "say state claim report assure warn acknowledge accuse note tell announce confirm deny insist maintain "
    "suggest indicate argue admit allege estimate predict reveal write declare stress emphasise emphasize "
    "explain testify verify concede caution contend assert disclose quote cite".split()
)
# verbs that attribute only with a clause ("he added that ...", not "NATO has added Finland")
CLAUSE_VERBS = frozenset("add believe think show find conclude threaten promise vow".split())
# verbs that attribute only when their subject is a source noun ("reports emerged", "officials attribute")
SOURCE_VERBS = frozenset({"surface", "emerge", "attribute", "circulate"})
ATTRIBUTING = SPEECH_VERBS | CLAUSE_VERBS | SOURCE_VERBS
SOURCE_PEOPLE = frozenset(
    "official officials analyst analysts expert experts source sources journalist journalists insider insiders "
    "observer observers critic critics diplomat diplomats witness witnesses resident residents officer officers "
    "commander commanders spokesman spokeswoman spokesperson people activists activist researchers researcher "
    "authorities authority investigators investigator lawmakers lawmaker politicians members".split()
)
DOC_NOUNS = frozenset(
    "report reports estimate estimates figure figures data statement statements study survey poll document "
    "documents investigation assessment analysis record records statistics count tally".split()
)
INSTITUTIONS = frozenset(
    "intelligence ministry government military army agency media outlet outlets police service services "
    "command parliament court navy commission committee council department office bureau administration "
    "authority regulator".split()
)
SOURCE_DOCS = DOC_NOUNS | INSTITUTIONS
PERSON_ROLES = frozenset(
    "leader president minister general commander chief spokesman spokeswoman spokesperson premier chancellor "
    "secretary envoy negotiator admiral ambassador governor mayor head".split()
)
PRONOUNS = frozenset({"he", "she"})
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "case", "npadvmod"})
QUOTE_CHARS = frozenset('“”"')
# word forms for the surface fallback "Trump maintains that ..." (when the parser misreads the verb)
SPEECH_FORMS = frozenset(
    f"{stem}{end}"
    for stem in "say state claim report assure warn acknowledge accuse note tell announce confirm deny insist "
    "maintain suggest indicate argue admit allege reveal declare stress explain concede contend assert".split()
    for end in ("", "s", "d", "ed", "es")
) | {"said", "told", "denied", "denies", "says"}
_SURFACE_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass
class SpeakerContext:
    """What earlier sentences of the article tell about speakers (for "he said", "the Ukrainian leader")."""

    last_person: str = ""  # last PERSON named as speaker or subject in the current paragraph
    last_speaker: str = ""  # last named PERSON speaker anywhere earlier in the article


def _ent_of(token: Token, ents: list[Span]) -> Span | None:
    i = token.i
    for ent in ents:
        if ent.start <= i < ent.end:
            return ent
    return None


def _core_np(head: Token) -> tuple[int, int]:
    """Token range [start, end) of a noun's core phrase: its left modifiers and itself."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT_DEPS:
            start = min(start, child.left_edge.i)
    return start, head.i + 1


def _clean_name(text: str) -> str:
    text = " ".join(text.split())
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _entities_named(head: Token, ents: list[Span], labels=frozenset({"PERSON", "ORG"})) -> list[Span]:
    """The PERSON/ORG (or `labels`) entity a noun phrase names, for it and each noun conjoined with it:
    the head's own entity ("EU foreign policy chief Kaja Kallas" -> Kaja Kallas), else an apposition's
    ("the statistics agency Rosstat"), else one among its modifiers (a person before an organisation)."""
    found: list[Span] = []
    heads = [head, *[c for c in head.children if c.dep_ == "conj"]]
    for h in heads:
        own = _ent_of(h, ents)
        if own is not None and own.label_ in labels:
            pick = own
        else:
            pick = None
            for child in h.children:
                if child.dep_ == "appos":
                    ent = _ent_of(child, ents)
                    if ent is not None and ent.label_ in labels:
                        pick = ent
                        break
            if pick is None:
                start, end = _core_np(h)
                inner = [e for e in ents if start <= e.start and e.end <= end and e.label_ in labels]
                inner.sort(key=lambda e: (e.label_ != "PERSON", -e.start))
                pick = inner[0] if inner else None
        if pick is not None and pick not in found:
            found.append(pick)
    return found


def describe_source(head: Token, ents: list[Span], context: SpeakerContext | None = None) -> tuple[str, str]:
    """(name, kind) for the noun phrase headed by `head` that a claim is credited to."""
    lower = head.lower_
    if lower in PRONOUNS:
        if context is not None and context.last_person:
            return context.last_person, "named"
        return "", "none"
    if head.pos_ == "PRON":
        return "", "none"
    named = _entities_named(head, ents)
    if named:
        return " and ".join(_clean_name(e.text) for e in named), "named"
    # "reports from BBC and Mediazona", "figures by the UK", "the UK's estimate"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    inner = _entities_named(pobj, ents, NAMED_LABELS - {"NORP"})
                    if inner:
                        return " and ".join(_clean_name(e.text) for e in inner), "named"
        if child.dep_ == "poss" and lower in DOC_NOUNS:
            ent = _ent_of(child, ents)
            if ent is not None and ent.label_ in NAMED_LABELS:
                return _clean_name(ent.text), "named"
    ent = _ent_of(head, ents)
    if ent is not None and ent.label_ in NAMED_LABELS:
        return _clean_name(ent.text), "named"
    start, end = _core_np(head)
    if head.pos_ == "PROPN" and _name_cased(head):  # a name NER missed ("Zelenskyy said", "TMZ reports")
        names = [t.text for t in head.doc[start:end] if t.pos_ == "PROPN" and _name_cased(t)]
        return " ".join(names), "named"
    words = [t for t in head.doc[start:end] if t.dep_ != "det" and t.tag_ != "POS" and t.dep_ != "case"]
    has_place = any(t.ent_type_ in ("NORP", "GPE") for t in words)
    # "The Ukrainian leader": a definite description of a person named earlier
    if lower in PERSON_ROLES and head.tag_ == "NN":
        if context is not None and context.last_speaker and any(t.lower_ == "the" for t in head.lefts):
            return context.last_speaker, "named"
    if lower in ("reports", "report") and not has_place:
        return "unnamed reports", "unnamed"
    if not words:
        return "", "none"
    parts = []
    for i, t in enumerate(words):
        text = t.text
        if i == 0 and t.lower_ == "one":
            text = "a"
        elif i == 0 and not t.ent_type_ and t.pos_ != "PROPN":
            text = text.lower()
        parts.append(text)
    name = " ".join(parts)
    if lower in INSTITUTIONS and has_place:
        return name, "named"
    if lower in SOURCE_PEOPLE or lower in SOURCE_DOCS or lower in PERSON_ROLES:
        return name, "unnamed"
    return "", "none"


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _span_text(doc, start: int, end: int) -> str:
    return doc[start:end].text


def _according_to(tokens: Span, ents: list[Span]) -> Attribution | None:
    for tok in tokens:
        if tok.lower_ != "according":
            continue
        for to in tok.children:
            if to.lower_ != "to":
                continue
            for pobj in to.children:
                if pobj.dep_ != "pobj":
                    continue
                name, kind = describe_source(pobj, ents)
                if not name:
                    start, end = _core_np(pobj)
                    words = [t.text for t in tokens.doc[start:end] if t.dep_ != "det"]
                    name, kind = " ".join(words), "unnamed"
                elif kind == "none":
                    continue
                # the cue: "according to" and the object's core phrase (not appositions)
                end = pobj.i + 1
                return Attribution(name, kind, _span_text(tokens.doc, tok.i, end))
    return None


def _speech_candidates(root: Token) -> list[Token]:
    verbs = [root]
    verbs.extend(c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))
    return verbs


def _from_verb(verb: Token, ents: list[Span], context: SpeakerContext | None) -> Attribution | None:
    lemma = verb.lemma_.lower()
    if lemma not in ATTRIBUTING:
        return None
    subj = _subject(verb)
    if subj is None and verb.dep_ == "conj":
        subj = _subject(verb.head)  # "Officials did not give the cause but noted that ...": a shared subject
    if subj is None or subj.dep_ == "nsubjpass":
        return None
    if lemma in CLAUSE_VERBS and not any(c.dep_ == "ccomp" for c in verb.children):
        return None
    if lemma in SOURCE_VERBS and subj.lower_ not in SOURCE_DOCS | SOURCE_PEOPLE:
        return None
    name, kind = describe_source(subj, ents, context)
    if kind == "none":
        return None
    # the cue is exact text: from the subject to the verb ("Trump, in a recent interview, acknowledged");
    # for a verb before its subject ("..., said Zelenskyy"), from the verb to the subject
    start, _ = _core_np(subj)
    if start < verb.i:
        cue = _span_text(verb.doc, start, verb.i + 1)
    else:
        cue = _span_text(verb.doc, verb.i, subj.i + 1)
    return Attribution(name, kind, cue)


_CLOSING_FORMS = SPEECH_FORMS | {"show", "shows", "showed", "suggest", "suggests", "indicate", "indicates"}


def _closing_report(tokens: Span, ents: list[Span]) -> Attribution | None:
    """A reporting clause closing the sentence that the parser misread: "..., UN data show." """
    end = tokens.end
    doc = tokens.doc
    while end > tokens.start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - tokens.start < 4 or doc[end - 1].lower_ not in _CLOSING_FORMS:
        return None
    verb = end - 1
    comma = verb - 1
    while comma > tokens.start and doc[comma].text != "," and verb - comma <= 7:
        comma -= 1
    if doc[comma].text != "," or comma == verb - 1:
        return None
    source = doc[comma + 1 : verb]
    named = [e for e in ents if source.start <= e.start and e.end <= source.end and e.label_ in NAMED_LABELS - {"NORP"}]
    if named:
        return Attribution(_clean_name(named[0].text), "named", doc[comma + 1 : verb + 1].text)
    head = source.root
    if head.pos_ == "PROPN" and _name_cased(head) and head.i == verb - 1:  # "..., TMZ reports."
        return Attribution(_clean_name(source.text), "named", doc[comma + 1 : verb + 1].text)
    if head.lower_ in SOURCE_DOCS | SOURCE_PEOPLE:
        name, kind = describe_source(head, ents)
        if kind != "none":
            return Attribution(name, kind, doc[comma + 1 : verb + 1].text)
    return None


def _name_cased(tok: Token) -> bool:
    """Written as a name: "Zelenskyy", or an acronym of two letters or more ("TMZ", "AP")."""
    return tok.is_title or (tok.is_upper and tok.is_alpha and len(tok.text) >= 2)


def _has_quote(tokens) -> bool:
    return any(t.text in QUOTE_CHARS for t in tokens)


def find_attribution(
    tokens: Span, root: Token, ents: list[Span], context: SpeakerContext | None = None
) -> Attribution | None:
    """The attribution of the claim made of `tokens` (whose syntactic head is `root`), or None."""
    found = _according_to(tokens, ents)
    if found is not None:
        return found
    for verb in _speech_candidates(root):
        found = _from_verb(verb, ents, context)
        if found is not None:
            return found
    lo, hi = tokens.start, tokens.end
    for tok in tokens:
        # "reported by Russian news agency Interfax"
        if tok.dep_ == "agent" and tok.head.lemma_.lower() in SPEECH_VERBS:
            for pobj in tok.children:
                if pobj.dep_ == "pobj":
                    name, kind = describe_source(pobj, ents)
                    if kind != "none":
                        return Attribution(name, kind, _span_text(tok.doc, tok.head.i, pobj.i + 1))
    for tok in tokens:
        # a lower speech verb whose complement holds the quotation
        if tok.i == root.i or tok.lemma_.lower() not in ATTRIBUTING or tok.pos_ != "VERB":
            continue
        for comp in tok.children:
            if comp.dep_ == "ccomp" and lo <= comp.left_edge.i and comp.right_edge.i < hi:
                if _has_quote(tok.doc[comp.left_edge.i : comp.right_edge.i + 1]):
                    found = _from_verb(tok, ents, context)
                    if found is None and (subj := _subject(tok)) is not None and subj.lower_ in ("reports", "report"):
                        found = Attribution("unnamed reports", "unnamed", _span_text(tok.doc, subj.i, tok.i + 1))
                    if found is not None:
                        return found
    for tok in tokens:
        # surface fallback where the parser misread the verb: an entity right before a speech verb form
        # ("Trump maintains that", tagged as a noun); a verb parsed as one was handled above
        if tok.lower_ in SPEECH_FORMS and tok.i > tokens.start and (tok.pos_ != "VERB" or tok.i == root.i):
            prev = tok.doc[tok.i - 1]
            ent = _ent_of(prev, ents) if prev.ent_type_ in _SURFACE_LABELS else None
            if ent is not None and ent.end == tok.i and ent.label_ != "NORP":
                return Attribution(_clean_name(ent.text), "named", _span_text(tok.doc, ent.start, tok.i + 1))
    found = _closing_report(tokens, ents)
    if found is not None:
        return found
    subj = _subject(root)
    if subj is not None and subj.lower_ in DOC_NOUNS and root.pos_ == "VERB":
        for child in subj.children:
            if child.dep_ == "poss":
                ent = _ent_of(child, ents)
                if ent is not None and ent.label_ in NAMED_LABELS - {"NORP"}:
                    start, _ = _core_np(subj)
                    return Attribution(_clean_name(ent.text), "named", _span_text(root.doc, start, subj.i + 1))
    return None
