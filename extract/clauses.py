"""The shape of a clause, from spaCy's parse: its subject and main verbs, whether it speculates or gives
an opinion, whether a headline or a lead states a happening, and its event verbs (the link index's
triggers). Used by extract.claims; general English only (no story's words).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
COPULAS = frozenset({"be", "remain", "seem", "appear", "become", "look", "sound", "stay"})
SPECULATIVE = frozenset({"could", "might", "may", "would"})


def states_fact(span: Span, root: Token) -> bool:
    """A headline that states a fact: a clause with a finite or headline verb ("Putin Orders 160,000 Men",
    "Building destroyed by fire", "Putin to conscript 160,000"), no question, not speculative."""
    if len(span) < 4 or span.text.rstrip().endswith(("?", ":")) or is_speculative(root):
        return False
    for tok in span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() in COPULAS or tok.dep_ in ("amod", "compound"):
            continue
        if tok.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return True
        if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children):
            return True  # "destroyed by fire"
        if tok.tag_ == "VB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children):
            return True  # "Putin to conscript ..."
    return False


def past_event(root: Token) -> bool:
    """A reported happening: a main action verb in the simple past or the past passive with a subject
    ("Police arrested a man", "The bank was set on fire"), not a copula."""
    for verb in main_verbs(root):
        if verb.pos_ != "VERB" or verb.lemma_.lower() in COPULAS:
            continue
        subj = subject(verb)
        if subj is None or subj.lower_ in ("it", "this", "that", "which", "what"):
            continue
        if verb.tag_ == "VBD":
            return True
        if verb.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in verb.children):
            return True
    return False


def governs_action(tok: Token) -> bool:
    """Whether the date token hangs (through a few heads) from an action verb, not a copula."""
    for _ in range(8):
        if tok.pos_ == "VERB":
            return tok.lemma_.lower() not in COPULAS
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


# verbs that report, relate or carry another word's meaning: never the event itself (general English)
LIGHT_VERBS = frozenset(
    "say tell report add state claim note according accord quote write ask explain describe confirm deny "
    "make take have get give go come do become seem include continue begin start want need know think "
    "believe see use try expect plan follow show call put set keep let help remain stay appear look find "
    "feel leave hold bring mean allow mark lead suggest signal indicate highlight represent involve".split()
)


def event_lemmas(span: Span, root: Token) -> tuple[str, ...]:
    """Content lemmas, plus the lemma of each event verb on the sentence's main clause chain (the root and
    the verbs it joins by "and", or reports or governs as a clause: "Police said he *hanged* himself") as
    "v:lemma" ("n:lemma" when negated), the link index's event triggers. Relative and adverbial clauses
    are background."""
    words = {t.lemma_.lower() for t in span if t.is_alpha and not t.is_stop}
    stack, seen = [root], set()
    while stack:
        tok = stack.pop()
        if tok.i in seen or not (span.start <= tok.i < span.end):
            continue
        seen.add(tok.i)
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and tok.is_alpha and lemma not in LIGHT_VERBS and lemma not in COPULAS:
            negated = any(c.dep_ == "neg" for c in tok.children)
            words.add(("n:" if negated else "v:") + lemma)  # "not deployed" is not "deployed"
        stack.extend(c for c in tok.children if c.dep_ in ("conj", "ccomp", "xcomp", "parataxis"))
    return tuple(sorted(words))


def subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def is_actor(subj: Token | None) -> bool:
    if subj is None:
        return False
    if subj.ent_type_ in ACTOR_LABELS:
        return True
    return any(c.dep_ in ("compound", "amod", "poss") and c.ent_type_ in ACTOR_LABELS for c in subj.children)


def main_verbs(root: Token) -> list[Token]:
    return [root, *[c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]]


def is_speculative(root: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in SPECULATIVE for c in root.children)


def is_opinion(root: Token) -> bool:
    """A copula with an adjective or adverbial complement ("remains strong", "is far from over")."""
    if root.lemma_.lower() not in COPULAS or any(c.dep_ == "expl" for c in root.children):
        return False
    for child in root.children:
        if child.dep_ in ("acomp", "advmod", "prep", "oprd") and child.dep_ != "attr":
            if child.dep_ == "acomp" or child.lower_ in ("far", "clear", "unclear", "uncertain"):
                return True
        if child.dep_ == "attr":
            return False
    return root.lemma_.lower() != "be"


def lead_event(span: Span, root: Token) -> bool:
    """The lead (first body sentence) reports a happening: a past or perfect action verb with a subject."""
    if len(span) < 4 or span.text.rstrip("”’\"') ").endswith("?"):
        return False
    if is_speculative(root) or is_opinion(root):
        return False
    for v in main_verbs(root):
        if v.pos_ != "VERB" or v.lemma_.lower() in COPULAS or subject(v) is None:
            continue
        if v.tag_ == "VBD" or (v.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") for c in v.children)):
            return True  # "A fire has destroyed a supermarket", not "Observers hold ..."
    return False
