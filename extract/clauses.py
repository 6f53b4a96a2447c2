"""The shape of a clause, from spaCy's parse: its subject and main verbs, whether it speculates or gives
an opinion, whether a headline (with extract.lexicon where title case hides its verb) or a lead states a
happening, and its event verbs (the link index's triggers). Used by extract.claims and extract.claim_rules;
general English only (no story's words).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimdesk.extract.attribution import INSTITUTIONS, PERSON_ROLES, SOURCE_PEOPLE
from claimdesk.extract.lexicon import is_adjective, verb_form

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


# labels of a piece's genre before a colon (general English: what a newspaper section is called)
GENRE_LABELS = frozenset(
    "opinion analysis editorial comment commentary column review explainer podcast video watch live quiz "
    "letters perspective view viewpoint essay satire interview".split()
)
WH_WORDS = frozenset("what why how when who whom whose where which whether".split())
AUXILIARIES = COPULAS | {"have", "do", "will", "shall", "can", "must", "may", "might", "could", "would", "should"}
PLACE_PREPS = frozenset({"at", "in", "on", "near", "outside", "inside"})
PART_BREAKS = frozenset({":", ";", "|", "–", "—", "-"})
_NOUNISH = frozenset({"PROPN", "NOUN", "NUM", "PRON"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC", "ORG"})


def headline_states_fact(span: Span, root: Token) -> bool:
    """A headline that states a fact. Each part between ":" / ";" / dashes is read on its own ("Lawyer:
    Lindsay Lohan checks into rehab"), and a part states a fact when it has a predicate: a verb of the parse
    (`states_fact`), or, where title case or capitals hid it from the tagger, a word the lexicon knows as a
    finite verb form right after a noun ("Lindsay Lohan Checks Into Rehab", "Three Killed In Athens Bank
    Fire", "Colts Clinch Playoff Berth"); a count with its state ("Ten dead in Iran quake"); or a
    happening placed somewhere ("Major fire at Waitrose in Wellington"). Never a question, a "what/how/why"
    explainer or speculation ("Release date may be in jeopardy")."""
    text = span.text.rstrip(" \"'”’")
    if text.endswith(("?", ":")):
        return False
    parts: list[list[Token]] = [[]]
    for tok in span:
        if tok.text in PART_BREAKS and tok.is_punct:
            parts.append([])
        elif not tok.is_space:
            parts[-1].append(tok)
    first = [t.lower_ for t in parts[0] if not t.is_punct]
    if len(parts) > 1 and len(first) == 1 and first[0] in GENRE_LABELS:
        return False  # "Opinion: The Senate got it wrong": a column's title, not news
    return any(_part_states_fact(part, span) for part in parts)


def _part_states_fact(toks: list[Token], span: Span) -> bool:
    words = [t for t in toks if not t.is_punct]
    if len(words) < 3 or words[0].lower_ in WH_WORDS:
        return False
    if any(_modal(t) for t in words):
        return False
    if states_fact(span.doc[toks[0].i : toks[-1].i + 1], root_of(toks)):
        return True
    has_verb = False
    for i, tok in enumerate(toks):
        j = i - 1
        while j > 0 and (toks[j].tag_ == "RB" or toks[j].is_quote or toks[j].text == ","):
            j -= 1  # "Negotiations Reportedly Continue", "problems only resolved", 'Dozens "Riot"', "Hiller, Accused"
        prev = toks[j] if i and j >= 0 else None
        form, lemma = verb_form(tok.text)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        stop_verb = tok.is_stop and _stop_verb(tok, prev, nxt) if prev is not None else False
        if form and lemma not in AUXILIARIES and prev is not None and (not tok.is_stop or stop_verb):
            after_noun = prev.pos_ in _NOUNISH or prev.like_num or (prev.is_quote and i > 1)
            if (after_noun and (not prev.is_stop or prev.like_num)) or prev.lower_ in ("he", "she", "they"):
                cased = tok.is_lower or (tok.is_upper and span.text.isupper())  # an all-capitals headline
                takes_object = nxt is not None and nxt.pos_ in ("DET", "ADJ", "NOUN", "NUM") and cased
                plural = prev.lower_.endswith("s") and prev.pos_ in _NOUNISH and not prev.is_stop
                if form in ("s", "ed") or (form == "base" and (plural or stop_verb or (prev.pos_ == "PROPN" and takes_object))):
                    return True  # "Lohan Checks", "Three Killed", "Colts Clinch", "Red Sox extend offer"
        if prev is not None and prev.like_num and is_adjective(tok.text) and not verb_form(tok.text)[0]:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is None or nxt.is_punct or nxt.lower_ in PLACE_PREPS or nxt.pos_ == "ADP":
                return True  # "Ten dead in southern Iran quake", "2 Dead, 1 Wounded"
        has_verb = has_verb or tok.pos_ in ("VERB", "AUX")
    if has_verb:
        return False
    # a verbless happening with its place: "Major fire at Waitrose in Wellington"
    for i, tok in enumerate(words[1:], 1):
        if tok.lower_ in PLACE_PREPS and any(t.pos_ in ("NOUN", "PROPN") for t in words[:i]):
            rest = words[i + 1 :]
            if any(t.ent_type_ in _PLACE_ENTS or t.pos_ in ("PROPN", "NOUN") for t in rest):
                return True  # "Major fire at supermarket", "Daring Diamond Heist in Downtown Paris"
            break
    return False


def deck_states_fact(root: Token) -> bool:
    """A line in headline style with its auxiliary dropped states a fact: a participle with a noun subject
    and its object or complement ("Police not searching for other suspects", "Two men charged over
    robbery"), not a verb that only relates ("Investors watching closely as markets open")."""
    if root.pos_ != "VERB" or root.tag_ not in ("VBG", "VBN") or lemma_of(root) in LIGHT_VERBS | COPULAS:
        return False
    subj = subject(root)
    if subj is None or subj.pos_ == "PRON":
        return False
    return any(c.dep_ in ("dobj", "prep", "agent") for c in root.children)


def _stop_verb(tok: Token, prev: Token, nxt: Token | None) -> bool:
    """A verb among spaCy's stop words ("make", "top", "call", "fire") read as the headline's verb only
    between a name or plural noun and its object ("Sox Make Offer", "COLTS TOP CHIEFS", "Colts Fire Coach")."""
    if nxt is None or nxt.is_stop or nxt.is_punct or nxt.pos_ not in ("ADJ", "NOUN", "PROPN", "NUM"):
        return False
    return not prev.is_stop and (prev.pos_ == "PROPN" or (prev.pos_ == "NOUN" and prev.lower_.endswith("s")))


def _modal(tok: Token) -> bool:
    """A speculative modal ("Talks May Collapse"), not the month ("on 3 May 2024", "May 2")."""
    if tok.lower_ not in SPECULATIVE:
        return False
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.ent_type_ != "DATE" and not (nxt is not None and nxt.like_num) and not (tok.i > 0 and tok.nbor(-1).like_num)


def root_of(toks: list[Token]) -> Token:
    """The token of `toks` whose head lies outside them (the first such), the part's syntactic head."""
    lo, hi = toks[0].i, toks[-1].i
    for tok in toks:
        if tok.head.i == tok.i or not lo <= tok.head.i <= hi:
            return tok
    return toks[0]


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def past_event(root: Token) -> bool:
    """A reported happening: a main action verb in the simple past, the present perfect or a passive with
    a subject ("Police arrested a man", "Investigators have launched an inquiry", "The bank was set on
    fire", "A man has been charged", "He did not say why"), not a copula. A verb joined by "and" shares
    the clause's subject ("The suspect appeared and shot him"); a past tense the tagger read as a
    participle ("Armed robbers carried out a heist": a participle with an active subject and no
    auxiliary) is a past. A sentence the parser hung on its subject noun ("An 18-year-old male [acl:
    confessed] to the murder.") is read with that verb."""
    verbs = main_verbs(root)
    if root.pos_ in ("NOUN", "PROPN"):
        acls = [c for c in root.rights if c.dep_ == "acl" and c.tag_ in ("VBD", "VBN")]
        inside = {t.i for c in acls for t in c.subtree}
        if not any(t.tag_ in _FINITE for t in root.subtree if t.i not in inside and t.dep_ != "acl"):
            verbs = acls
    if root.pos_ not in ("VERB", "AUX") and _misparsed_past(root):
        return True
    for verb in verbs:
        if verb.pos_ != "VERB" or verb.lemma_.lower() in COPULAS:
            continue
        subj = root if verb.dep_ == "acl" else subject(verb)
        if subj is None and verb.dep_ == "conj":
            subj = subject(verb.head)  # "the suspect appeared and shot him"
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ in ("prep", "dobj") for c in verb.children):
            continue  # "the man arrested": a reduced relative, unless it goes on ("confessed to the killing")
        if subj is None or subj.lower_ in ("it", "this", "that", "which", "what"):
            continue
        if verb.tag_ == "VBD" or verb.dep_ == "acl":
            return True
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if lemma_of(verb) not in LIGHT_VERBS and (
            (verb.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "VBD" and lemma_of(c) == "do" for c in aux))
            or (verb.tag_ == "VBN" and not aux and subj.dep_ == "nsubj" and verb.dep_ in ("ROOT", "conj"))
        ):
            return True  # "He did not specify ..."; a past read as a participle ("ARMED robbers carried out ...")
        if verb.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in verb.children):
            return True  # "was set on fire"
        if verb.tag_ == "VBN" and lemma_of(verb) not in LIGHT_VERBS and any(c.dep_ == "auxpass" for c in verb.children):
            aux = [c for c in verb.children if c.dep_ == "aux"]
            if aux and all(c.tag_ == "VBD" or lemma_of(c) == "have" for c in aux):
                return True  # "has been charged", "was being quizzed"; not "will be sent", "is being driven"
        if verb.tag_ == "VBN" and any(c.dep_ == "aux" and lemma_of(c) == "have" for c in verb.children):
            # an active perfect by someone ("Authorities have charged two men", "Investigators have launched an
            # inquiry"); with no one acting it is as often comment as news ("The timing has sparked speculation")
            if is_actor(subj) or subj.lower_ in SOURCE_PEOPLE | INSTITUTIONS | PERSON_ROLES:
                return True  # "Police have launched an inquiry", "The court has ruled ..."
            if any(c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "ORG") for c in verb.children):
                return True
    return False


def _misparsed_past(root: Token) -> bool:
    """A sentence the parser hung on a noun though it holds a past action by someone: a simple past with its
    own subject ("This despite the fact that Lohan bailed on rehab"), or right after a noun that is its
    subject in all but the parse ("The Saints placed [amod] Chris Ivory on injured reserve Tuesday")."""
    for tok in root.subtree:
        if tok.tag_ != "VBD" or tok.pos_ != "VERB" or lemma_of(tok) in COPULAS | LIGHT_VERBS:
            continue
        subj = subject(tok)
        if subj is None and tok.dep_ in ("amod", "acl") and tok.i > 0 and any(c.dep_ == "dobj" for c in tok.children):
            prev = tok.doc[tok.i - 1]
            subj = prev if prev.pos_ in ("NOUN", "PROPN") else None
        if subj is None or subj.pos_ == "PRON":
            continue
        if any((c.dep_ == "mark" and c.lower_ != "that") or c.lower_ in WH_WORDS for c in tok.children):
            continue  # a fragment's subordinate clause ("When the driver yelled ...", "... before they opened fire")
        return True
    return False


EMPTY_SUBJECTS = frozenset({"it", "this", "that"})
FRAME_VERBS = frozenset({"think", "believe", "say", "report", "understand", "know", "seem", "appear"})
# a judgement that asserts what follows ("it's safe to say", "it is clear that"), not a hedge ("unclear", "possible")
ASSERTING = frozenset({"safe", "clear", "true", "certain", "obvious", "evident", "official", "confirmed"})


def framed_clause(root: Token) -> Token | None:
    """The clause a frame with an empty subject asserts ("It is thought [the lines have been cut]", "It
    seems [that another cable was cut]", "it's safe to say [Luck exceeded them]"): the verb of the reported
    clause, or None; a statement the parser hung before such a frame ("She checked in herself - it was her
    decision") is read the same way. Not a hedge ("It is unclear how ...", "It is possible that ..."), a cleft ("It was
    coincidence that ...") or an indirect question ("It is thought how ...")."""
    subj = subject(root)
    if subj is None or subj.lower_ not in EMPTY_SUBJECTS:
        return None
    for child in root.lefts:  # "She checked in herself - it was her decision": the statement before the frame
        if child.dep_ == "ccomp" and subject(child) is not None and not _asks(child):
            return child
    lemma = lemma_of(root)
    heads = []
    if lemma in FRAME_VERBS:
        heads = [root]  # "It is thought ...", "It seems that ..."
    elif lemma == "be":
        heads = [c for c in root.children if c.dep_ == "acomp" and c.lower_ in ASSERTING]  # "it's safe ..."
        heads += [x for x in root.children if x.dep_ == "xcomp" and heads and lemma_of(x) in FRAME_VERBS]
    for head in heads:
        for child in head.children:
            if child.dep_ in ("ccomp", "xcomp") and subject(child) is not None and not _asks(child):
                return child
            if child.dep_ == "xcomp" and lemma_of(child) in FRAME_VERBS:  # "safe [to say] X"
                inner = next((c for c in child.children if c.dep_ == "ccomp" and subject(c) is not None), None)
                if inner is not None and not _asks(inner):
                    return inner
    return None


def _asks(clause: Token) -> bool:
    """An indirect question or a condition ("how the cables were damaged", "whether it was an attack")."""
    return any(t.lower_ in WH_WORDS or t.lower_ == "if" for t in clause.subtree if t.i <= clause.i)


def lemma_of(tok: Token) -> str:
    return tok.lemma_.lower()


def past_status(root: Token) -> bool:
    """A named actor was or became something, in the past ("Tyler Hansbrough became the all-time leading
    scorer"): a past copula with a noun complement and an entity as subject."""
    if root.lemma_.lower() not in COPULAS or root.tag_ != "VBD":
        return False
    subj = subject(root)
    named = is_actor(subj) or (subj is not None and subj.pos_ == "PROPN")  # a name NER missed
    return named and any(c.dep_ == "attr" for c in root.children)


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
    if any(v.pos_ == "VERB" and lemma_of(v) not in COPULAS and subject(v) is None for v in main_verbs(root)[1:]):
        return False  # "The suspect appeared and shot him": the same subject goes on to an action
    for child in root.children:
        if child.dep_ in ("acomp", "advmod", "prep", "oprd") and child.dep_ != "attr":
            if child.dep_ == "acomp" or child.lower_ in ("far", "clear", "unclear", "uncertain"):
                return True
        if child.dep_ == "attr":
            return False
    return root.lemma_.lower() != "be"


def lead_event(span: Span, root: Token) -> bool:
    """The lead (first body sentence) reports a happening: a past or perfect action verb with a subject,
    in its main clause or in a clause it carries ("Fire crews are at the scene of a fire which gutted a
    supermarket", "Police are treating a fire which has destroyed a store"), or a present-tense action
    with a subject and its object or place, the lead's historic present ("Bomb explodes at a bank,
    killing an officer", "Police are treating a fire as suspicious"); not a copula alone, not a verb that
    only reports or relates ("comes", "follows", "continues")."""
    if len(span) < 4 or span.text.rstrip("”’\"') ").endswith("?"):
        return False
    if is_speculative(root) or is_opinion(root):
        return False
    for v in main_verbs(root):
        if v.pos_ != "VERB" or v.lemma_.lower() in COPULAS or subject(v) is None:
            continue
        if v.tag_ == "VBD" or (v.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") for c in v.children)):
            return True  # "A fire has destroyed a supermarket", not "Observers hold ..."
        if _present_action(v):
            return True
    for tok in span:
        if tok.dep_ in ("relcl", "ccomp", "advcl") and tok.pos_ == "VERB" and lemma_of(tok) not in COPULAS:
            if subject(tok) is None or any(c.lower_ in SPECULATIVE for c in tok.children):
                continue
            aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
            if tok.tag_ == "VBD" or (tok.tag_ == "VBN" and aux and all(c.tag_ in ("VBD", "VBN") or lemma_of(c) == "have" for c in aux)):
                return True  # "a fire which gutted", "which has destroyed", "who was arrested"; not "will be told"
    return False


def _present_action(verb: Token) -> bool:
    """A present-tense (or progressive) action by a named or common-noun subject, with its object or a
    place ("Bomb explodes at Woodburn bank", "Robbers crash 4x4 into store", "Police are treating a fire")."""
    subj = subject(verb)
    if subj is None or subj.pos_ == "PRON" or lemma_of(verb) in LIGHT_VERBS:
        return False
    progressive = verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children)
    if verb.tag_ not in ("VBZ", "VBP") and not progressive:
        return False
    if any(c.dep_ == "dobj" for c in verb.children):
        return True
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        if any(t.pos_ == "PROPN" or t.ent_type_ in ACTOR_LABELS | {"FAC", "LOC"} for t in prep.subtree):
            return True
    return False
