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
taken for the day it happened. A position one person holds at a time, with the place or organisation
it is of, rides as an "o:" entry ("o:chancellor:german:angela_merkel", `sole_offices`), so two claims
can say "one office, two holders". `missed_places` finds the city names the small model leaves
untagged where a sentence says where something happened ("in Montevideo").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.tokens import Span

from claimdesk.extract.attribution import ATTRIBUTING
from claimdesk.extract.facts import calendar_word
from claimdesk.extract.places import WHERE, countries

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
        if label == "PERSON":
            for title, where in sole_offices(ent, norm):
                if ":" in where:
                    continue
                entry = f"o:{'_'.join(title.split())}:{'_'.join(where.split())}:{'_'.join(name.split())}"
                if entry not in out:
                    out.append(entry)
    return tuple(out)


# positions one person holds at a time, of one place or organisation (a general lexicon of English, not of
# one story): "the German chancellor", "the Red Sox owner", "the governor of Qeshm"
SOLE = frozenset(
    "president chancellor premier governor mayor king queen pope emperor chief head chairman chairwoman chair "
    "ceo owner coach manager commissioner superintendent sheriff undersheriff speaker".split()
)
_PAIRED = frozenset(("minister", "secretary"))  # one holder only with what they are minister of: "finance minister"
_ABBREVIATED = {"gov": "governor", "pres": "president", "supt": "superintendent", "comm": "commissioner"}
_NOT_NOW = frozenset("former ex then late acting interim incoming outgoing new elect past previous future".split())
_QUALIFIERS = ("GPE", "NORP", "ORG", "LOC", "FAC")


def sole_offices(ent: Span, norm: Callable[[str, str], str]) -> list[tuple[str, str]]:
    """(office, of where or what) of each position the person holds now that one person holds at a time:
    "German Chancellor Robert Hallam" and "The German Chancellor, Angela Merkel" -> ("chancellor",
    "german"); "Peter Lindqvist, the governor of Qeshm" and "Qeshm's governor, Heidar Alishvandi" ->
    ("governor", "qeshm"); "Alaska Gov. Sarah Palin" -> ("governor", "alaska"). A position with no place
    or organisation ("coach Maurice Cheeks"), one of many ("Greek minister"), or one not held now
    ("former", "then-", "acting", "new") gives none."""
    out = []
    for tok, left, near in _positions(ent):
        word = tok.text.lower().rstrip(".")
        title = _ABBREVIATED.get(word, tok.lemma_.lower() if tok.is_alpha else word)
        if {w for t in near for w in t.lower_.split("-")} & _NOT_NOW or set(word.split("-")[:-1]) & _NOT_NOW:
            continue  # "former Gov.", "then-Alaska Gov.", "ex-president"
        if title in _PAIRED:  # "finance minister": the modifier says which one
            spec = [t.lemma_.lower() for t in left if t.ent_type_ == "" and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.is_alpha]
            if not spec:
                continue
            title = f"{spec[-1]} {title}"
        elif title not in SOLE:
            continue
        where = _qualifier(tok, left, norm)
        if where:
            out.append((title, where))
    return out


def _positions(ent: Span) -> list[tuple]:
    """(the noun that names a position the person holds, the words modifying it before it, the words
    near it before it, up to four, where "former", "then-" or "acting" may stand): a title
    written before the name ("Alaska Gov. Sarah Palin": "Gov." and "Alaska"), or a noun in apposition
    ("The German Chancellor, Angela Merkel", "Peter Lindqvist, the governor of Qeshm")."""
    doc = ent.doc
    heads = []
    if ent.start > 0 and doc[ent.start - 1].ent_type_ == "" and doc[ent.start - 1].pos_ in ("NOUN", "PROPN"):
        heads.append(doc[ent.start - 1])
    root = ent.root
    if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and not (ent.start <= root.head.i < ent.end):
        heads.append(root.head)
    heads.extend(t for t in root.children if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN"))
    out = []
    for tok in heads:
        # before the name the parse often leaves the title's modifiers to the name: take the words before
        # the title up to a determiner, a verb, a preposition, a conjunction or punctuation
        near = list(doc[max(0, tok.i - 4) : tok.i]) if tok.i == ent.start - 1 else list(tok.lefts)
        cut = [k + 1 for k, t in enumerate(near) if t.pos_ in ("DET", "PUNCT", "VERB", "ADP", "CCONJ")]
        out.append((tok, near[cut[-1] :] if cut else near, near))
    return out


def _qualifier(tok, left, norm) -> str:
    """The place or organisation an office is of: a name before it ("German", "Alaska", "Red Sox"), its
    possessor ("Qeshm's"), or "of X" after it ("of the GSEE private sector union")."""
    candidates = list(reversed(left)) + [c for c in tok.children if c.dep_ == "poss"]  # the nearest first
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    candidates.extend(obj.subtree)
    for t in candidates:
        if t.ent_type_ in _QUALIFIERS:
            ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                text = ent.text.removesuffix("’s").removesuffix("'s")
                return norm(text, ent.label_) or ""
    return ""


_AT = WHERE - {"on", "off"}  # "on", "off" take days and coasts more often than towns


def missed_places(span: Span, ents: Iterable[Span]) -> list[Span]:
    """Place names the entity recogniser left untagged where a sentence says where something happened:
    a capitalised proper noun (with the proper nouns compounded before it) after "in", "at", "near" ...
    that the gazetteer knows (extract.places), and no part of a name the recogniser tagged: "shot and
    killed two co-workers at a Kraft plant in Montevideo" (en_core_web_sm tags no entity there), "in
    Montevideo today" (tagged as one DATE). Returned as GPE spans, read like the recogniser's own."""
    taken = {i for ent in ents if ent.label_ not in ("DATE", "TIME") for i in range(ent.start, ent.end)}
    out: list[Span] = []
    for tok in span:
        if tok.dep_ != "pobj" or tok.head.lower_ not in _AT or tok.i in taken:
            continue
        start = tok.i
        while start - 1 >= span.start and span.doc[start - 1].dep_ == "compound" and span.doc[start - 1].head is tok:
            start -= 1
        words = span.doc[start : tok.i + 1]
        if any(w.pos_ != "PROPN" or not w.is_title or not w.is_alpha or w.i in taken for w in words):
            continue
        if countries(words.text) and not calendar_word(words.text):
            out.append(Span(span.doc, start, tok.i + 1, label="GPE"))
    return out


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
