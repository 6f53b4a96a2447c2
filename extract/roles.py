"""Who and where in a claim's event: each person's and place's role, read from the dependency parse.

    entity_roles(ents, norm) -> ("r:fire:obj:PERSON:maurice_cheeks", "r:hit:in:GPE:iran", ...)

A role is the word the name attaches to (a verb, or a noun such as "earthquake") and how: "subj" (who
does it: the subject, or "by X" of a passive), "obj" (who it is done to: the object, or the subject of
a passive), "of" (a possessive: "Lohan's lawyer"), or the preposition ("in", "at", "near"). A name
inside a longer noun phrase climbs to that phrase first ("coach Maurice Cheeks" in "fired coach Maurice
Cheeks": the object of "fire"). The roles ride in `Claim.lemmas` as "r:" entries (like the "v:" event
verbs), so two claims can say "the same role, different people": "fire (obj): Cheeks vs O'Brien".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.tokens import Span

ROLE_LABELS = ("PERSON", "GPE", "LOC", "FAC")
_WORD = re.compile(r"[a-z][a-z-]*")
_CLIMB = ("appos", "compound", "conj", "flat", "nmod")
_DEPS = {"nsubj": "subj", "csubj": "subj", "nsubjpass": "obj", "dobj": "obj", "obj": "obj", "dative": "obj",
         "poss": "of", "attr": "attr"}  # fmt: skip


def entity_roles(ents: Iterable[Span], norm: Callable[[str, str], str]) -> tuple[str, ...]:
    out: list[str] = []
    for ent in ents:
        if ent.label_ not in ROLE_LABELS:
            continue
        role = _role(ent)
        name = norm(ent.text.removesuffix("’s").removesuffix("'s"), ent.label_)
        if role and name and ":" not in name:
            entry = f"r:{role}:{ent.label_}:{'_'.join(name.split())}"
            if entry not in out:
                out.append(entry)
    return tuple(out)


def _role(ent: Span) -> str:
    tok = ent.root
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
    if head is tok or head.pos_ not in ("VERB", "NOUN", "AUX") or not _WORD.fullmatch(lemma) or not dep.isalpha():
        return ""
    return f"{lemma}:{dep}"
