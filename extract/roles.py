"""Who and where in a claim's event: each person's and place's role, read from the dependency parse.

    entity_roles(ents, norm) -> ("r:fire:obj:PERSON:maurice_cheeks", "r:hit:in:GPE:iran",
                                 "r:say:when:DATE:saturday", ...)

A role is the word the name attaches to (a verb, or a noun such as "earthquake") and how: "subj" (who
does it: the subject, or "by X" of a passive), "obj" (who it is done to: the object, or the subject of
a passive), "of" (a possessive: "Lohan's lawyer"), or the preposition ("in", "at", "near"). A name
inside a longer noun phrase climbs to that phrase first ("coach Maurice Cheeks" in "fired coach Maurice
Cheeks": the object of "fire"). The roles ride in `Claim.lemmas` as "r:" entries (like the "v:" event
verbs), so two claims can say "the same role, different people": "fire (obj): Cheeks vs O'Brien".
A date's verb is kept too ("when"; "told" for a verb of saying), so the day something was said is not
taken for the day it happened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.tokens import Span

from claimdesk.extract.attribution import ATTRIBUTING
from claimdesk.extract.places import countries

ROLE_LABELS = ("PERSON", "GPE", "LOC", "FAC")
_WORD = re.compile(r"[a-z][a-z-]*")
_COURTESY = frozenset(("mr", "mrs", "ms", "miss", "mx", "dr", "messrs", "mme", "mlle", "sr", "jr"))
_CLIMB = ("appos", "compound", "conj", "flat", "nmod")
_DEPS = {"nsubj": "subj", "csubj": "subj", "nsubjpass": "obj", "dobj": "obj", "obj": "obj", "dative": "obj",
         "poss": "of", "attr": "attr"}  # fmt: skip


def entity_roles(ents: Iterable[Span], norm: Callable[[str, str], str]) -> tuple[str, ...]:
    out: list[str] = []
    for ent in ents:
        if ent.label_ in ("DATE", "TIME"):
            head = _date_verb(ent)
            if head:
                how = "told" if head in ATTRIBUTING else "when"  # "officials said Saturday": when it was said
                out.append(f"r:{head}:{how}:DATE:{'_'.join(ent.text.lower().split())}")
            continue
        label = ent.label_
        bare = ent.text.removesuffix("’s").removesuffix("'s")
        if label in ("ORG", "PRODUCT") and countries(bare):
            # "a loss at Chicago", "Houston quarterback": a team read as the place it is; "fled downtown
            # Montevideo": a city the small model takes for a product
            label = "GPE"
        if label not in ROLE_LABELS:
            continue
        name = norm(bare, label)
        if not name or ":" in name:
            continue
        roles = _roles(ent) + (_titles(ent) if label == "PERSON" else [])
        for role in roles:
            entry = f"r:{role}:{label}:{'_'.join(name.split())}"
            if role and entry not in out:
                out.append(entry)
    return tuple(out)


def _date_verb(ent: Span) -> str:
    """The verb a date attaches to ("arrested him on Friday" -> "arrest", "officials said Saturday" ->
    "say"), or ""."""
    tok = ent.root
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        tok = tok.head
    head = tok.head
    lemma = head.lemma_.lower()
    if head is tok or head.pos_ not in ("VERB", "AUX") or not _WORD.fullmatch(lemma):
        return ""
    return lemma


def _titles(ent: Span) -> list[str]:
    """The common nouns that name a person's position: "coach Maurice Cheeks", "Undersheriff Larry
    Waldie", "Tadzhigul Begmedova, director of ..." -> "coach:title", "undersheriff:title", ..."""
    out = []
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.pos_ in ("NOUN", "PROPN") and before.ent_type_ == "":
        if before.is_alpha:
            out.append(before.lemma_.lower())
        elif before.text.endswith(".") and before.text[:-1].isalpha() and before.text[:-1].lower() not in _COURTESY:
            # "Gov. Sarah Palin", not "Mr. LaRue" (a courtesy title is no position)
            out.append(before.text[:-1].lower())
    for tok in (ent.root.head, *ent.root.children):
        if tok.dep_ == "appos" or ent.root.dep_ == "appos" and tok is ent.root.head:
            title = tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.is_title)  # "the German Chancellor, Angela Merkel"
            if title and tok.ent_type_ == "" and tok.is_alpha and not (ent.start <= tok.i < ent.end):
                out.append(tok.lemma_.lower())
    return [f"{t}:title" for t in out if _WORD.fullmatch(t)]


def _roles(ent: Span) -> list[str]:
    """The entity's own role; a place that owns a noun also takes that noun's role ("In Atlanta's
    Buckhead neighborhood, he shot ..." -> "neighborhood:of" and "shoot:in"); the subject of a verb
    that is passive and controls another takes that one's too ("Weitz is expected to direct ..." ->
    "direct:subj"; "X failed to pass Ford" says nothing of who passed him)."""
    out = [_role(ent.root)]
    root = ent.root
    if ent.label_ != "PERSON" and root.dep_ == "poss" and root.head.pos_ in ("NOUN", "PROPN"):
        out.append(_role(root.head))
    if root.dep_ == "nsubjpass":  # "is expected to", "was set to": not "failed to", "refused to"
        for verb in root.head.children:
            lemma = verb.lemma_.lower()
            if verb.dep_ == "xcomp" and verb.pos_ == "VERB" and _WORD.fullmatch(lemma):
                out.append(f"{lemma}:subj")
    return [r for r in out if r]


def _role(tok) -> str:
    for _ in range(4):  # "coach Maurice Cheeks", "Cheeks and O'Brien": the phrase's own head
        if tok.dep_ in _CLIMB and tok.head is not tok and tok.head.pos_ in ("NOUN", "PROPN"):
            tok = tok.head
        else:
            break
    if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
        prep = tok.head
        head = prep.head
        dep = "subj" if prep.dep_ == "agent" else prep.lower_
    elif tok.dep_ in _DEPS:
        head, dep = tok.head, _DEPS[tok.dep_]
    else:
        return ""
    lemma = head.lemma_.lower()
    if head is tok or head.pos_ not in ("VERB", "NOUN", "PROPN", "AUX") or not _WORD.fullmatch(lemma) or not dep.isalpha():
        return ""
    return f"{lemma}:{dep}"
