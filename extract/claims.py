"""Check-worthy claims from articles: `extract_claims(articles) -> (article, [Claim, ...]) ...`.

A claim is normally one sentence of the cleaned text (never more: line breaks are hard sentence
boundaries, see extract.nlp). A sentence "While Russian officials claim X, reports indicate Y" holds two
differently attributed claims and is split into its two clauses. What is kept:

- quote: a direct quotation (“…” or "…") credited to a speaker (in the sentence, or in the sentence
  before/after in the same paragraph when that one names the speaker);
- statistic: a normalised quantity (extract.quantities);
- event: a date (or weekday / relative date) and an action verb;
- statement: a named actor (person, organisation, country, nationality) as the subject of an action, or
  a source credited with saying something.
Priority: quote > statistic > event > statement.

What is not kept: subheads (lines with no sentence-final punctuation, unless long and in sentence case:
a sentence that lost its full stop), datelines, the headline unless it states a fact, questions,
speculation (the main verb under "could/might/may/would"), opinion (a copula with an adjective:
"resistance remains strong", "one thing is clear"), scene-setting and filler (no actor, no number,
no date: "The world watches anxiously ..."), bare figures, fragments, commands, first-person asides,
quoted opinion. The rules are in extract.claim_rules; `explain` gives, for every candidate, the rule
that kept or rejected it.

Speed: the per-document work is a few passes over each sentence's tokens plus one regular expression
pass over its text; nothing is parsed twice.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimdesk.extract.article_lines import BULLETS, SENTENCE_END, headline_line, line_bounds
from claimdesk.extract.attribution import SpeakerContext, find_attribution
from claimdesk.extract.claim_rules import ENTITY_LABELS, NO_HOLD, Candidate, classify
from claimdesk.extract.clauses import event_lemmas, governs_action, lead_event, subject
from claimdesk.extract.model import NO_ATTRIBUTION, Article, Claim, DateRef, Entity, stable_id
from claimdesk.extract.nlp import ensure_line_breaks, load_pipeline
from claimdesk.extract.quantities import is_since, normalise_date, parse_quantities
from claimdesk.extract.roles import entity_roles, missed_places
from claimdesk.extract.when import resolve

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
DATE_ANCHORS = frozenset({"today", "yesterday", "tomorrow", "tonight", "ago", "week", "weekend"})
RELATIVE = frozenset({"last", "this", "next", "past", "earlier", "later"})
PERIOD_WORDS = frozenset({"week", "month", "year", "spring", "summer", "autumn", "fall", "winter", "weekend"})
TITLE_WORDS = frozenset(
    "president vice admiral general minister prime foreign defense defence secretary chancellor senator "
    "governor mayor commander chief negotiator envoy spokesman spokeswoman spokesperson official ambassador "
    "colonel lieutenant major captain marshal king queen prince pope premier director chairman deputy "
    "former ex acting senior special army gen. sen. rep. dr. supreme leader interior head state".split()
)
TITLE_STOP = frozenset({"senior", "special", "state", "head", "army"})  # only inside a title, never alone
QUOTED = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"")
_SPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- small helpers


def entity_norm(text: str, label: str) -> str:
    """Lower-case canonical form: no leading "the", no possessive; a person by last name."""
    t = _SPACE.sub(" ", text.strip()).replace("’", "'")
    if t.lower().startswith("the "):
        t = t[4:]
    if t.endswith("'s"):
        t = t[:-2]
    t = t.strip(" .,'\"“”").lower()
    if label == "PERSON":
        words = t.split()
        while len(words) > 1 and words[0].rstrip(".") in TITLE_WORDS:
            words.pop(0)  # "President Donald Trump"
        while len(words) > 1 and words[-1].strip(".,") in _NAME_SUFFIXES:
            words.pop()  # "Martin Luther King Jr."
        t = words[-1] if words else t
    return t


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _trim(span: Span) -> Span:
    """Drop trailing/leading whitespace tokens."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and doc[end - 1].is_space:
        end -= 1
    while start < end and (doc[start].is_space or doc[start].text in BULLETS):
        start += 1
    return doc[start:end]


def _date_refs(span: Span, ents: list[Span], offset: int = 0, published: str = "") -> tuple[list[DateRef], bool]:
    """The dates of a claim, and whether one of them dates an action ("began Tuesday")."""
    refs = []
    action = False
    for ent in ents:
        if ent.label_ != "DATE" and not (ent.label_ == "TIME" and any(t.lower_ in WEEKDAYS for t in ent)):
            continue  # a date, or a time on a named day ("Saturday night")
        # spaCy sometimes pulls words into a DATE ("This comes months"): keep what follows the last verb
        start = ent.start
        for tok in ent:
            if tok.pos_ in ("VERB", "AUX"):
                start = tok.i + 1
        if start >= ent.end:
            continue
        tokens = span.doc[start : ent.end]
        lowers = [t.lower_ for t in tokens]
        words = set(lowers)
        anchored = (
            bool(words & WEEKDAYS or words & MONTH_WORDS or words & DATE_ANCHORS)
            or any(t.like_num and len(t.text) == 4 and t.text.isdigit() for t in tokens)
            or any(a in RELATIVE and b in PERIOD_WORDS | MONTH_WORDS | WEEKDAYS for a, b in zip(lowers, lowers[1:]))
        )
        if not anchored:
            continue  # a duration ("years", "the next three years") or an age, not a date
        text = tokens.text
        for suffix in ("’s", "'s"):
            if text.endswith(suffix):
                text = text[: -len(suffix)].rstrip()
        a = tokens.start_char + offset
        b = a + len(text)
        prev = span.doc[start - 1].lower_ if start > 0 else ""
        since = is_since(prev, text)
        value = resolve(text, normalise_date(text), published)  # "Wednesday": that day, when published is known
        refs.append(DateRef(text, a, b, value, since))
        action = action or governs_action(ent.root)
    return refs, action


def _entities(ents: list[Span]) -> tuple[Entity, ...]:
    seen: dict[tuple[str, str], Entity] = {}
    for ent in ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = ent.text
        for suffix in ("’s", "'s"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
        key = (text, ent.label_)
        if key not in seen:
            seen[key] = Entity(text, ent.label_, entity_norm(text, ent.label_))
    return tuple(seen.values())


def _title_offices(ents: list[Span]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for ent in ents:
        if ent.label_ != "PERSON":
            continue
        doc = ent.doc
        words: list[str] = []
        # title words NER put inside the entity ("President Trump")
        inner = [t for t in ent if t.lower_ in TITLE_WORDS]
        i = ent.start - 1
        while i >= 0:
            tok = doc[i]
            low = tok.lower_
            if low in TITLE_WORDS:
                words.insert(0, low)
            elif tok.ent_type_ in ("NORP", "GPE") or low in ("u.s.", "us", "uk", "eu"):
                pass  # "Russian President", "Former U.S. President": the country is not the office
            else:
                break
            i -= 1
        words = [w for w in words] + [t.lower_ for t in inner if t.i == ent.start]
        while words and words[0] in TITLE_STOP:
            words.pop(0)
        if words and any(w not in TITLE_STOP and w not in ("former", "ex", "acting") for w in words):
            pair = (entity_norm(ent.text, "PERSON"), " ".join(words))
            if pair not in out:
                out.append(pair)
    return tuple(out)


# ---------------------------------------------------------------- per document


def _units(doc: Doc, offset: int, lines: list[tuple[int, int, bool]], line_starts: list[int]) -> list[Candidate]:
    """The claim candidates of one parsed piece of the article (`offset`: where the piece starts)."""
    units: list[Candidate] = []
    for sent in doc.sents:
        sent = _trim(sent)
        if len(sent) == 0:
            continue
        li = bisect_right(line_starts, sent.start_char + offset) - 1
        if lines[li][2]:
            if li == headline_line(lines, doc.text, offset):
                last = units[-1] if units else None
                if last is not None and last.headline and last.para == li:  # the parser split the headline
                    last.span = doc[last.span.start : sent.end]
                else:
                    units.append(Candidate(sent, sent.root, li, offset, headline=True))
            continue  # a subhead (a line with no sentence-final punctuation) is never a claim
        if "\n" in sent.text:
            continue  # cannot happen with the line_breaks component; never emit a claim across lines
        last = units[-1] if units else None
        if last is not None and last.para == li and not last.headline and last.span.doc is doc:
            if all(t.is_punct for t in sent) and last.span.end == sent.start:
                last.span = doc[last.span.start : sent.end]  # a closing quote the parser cut off ('... decision." ')
                continue
            if not SENTENCE_END.search(last.span.text) and last.span.end <= sent.start:
                # the parser cut a sentence where nothing ends it ("Maria | Lopez became ..."): one sentence
                longer = sent.root if len(sent) >= len(last.span) else last.root
                last.span, last.root = doc[last.span.start : sent.end], longer
                continue
        root = sent.root
        # "While Russian officials claim X, reports indicate Y": two claims
        first = sent[0]
        if first.lower_ in ("while", "although", "whereas") and first.dep_ == "mark":
            clause = first.head
            comma = clause.right_edge.i + 1
            if (
                clause.dep_ == "advcl"
                and clause.head.i == root.i
                and comma < sent.end - 1
                and doc[comma].text == ","
                and subject(clause) is not None
                and clause.lemma_.lower() in SPLIT_VERBS
            ):
                units.append(Candidate(doc[first.i + 1 : comma], clause, li, offset))
                units.append(Candidate(_trim(doc[comma + 1 : sent.end]), root, li, offset))
                continue
        start, end = lines[li][0] - offset, lines[li][1] - offset
        deck = 0 <= start and not SENTENCE_END.search(doc.text[start:end].strip())
        units.append(Candidate(sent, root, li, offset, deck=deck))
    return units


SPLIT_VERBS = frozenset({"claim", "say", "maintain", "insist", "assure", "state", "argue", "deny", "report"})


def _candidates(parts: Sequence[tuple[Doc, int]], article: Article) -> list[Candidate]:
    """Every claim candidate of an article parsed in pieces, each with its decision (keep, kind, why)."""
    text = article.text
    lines = line_bounds(text)
    line_starts = [start for start, _, _ in lines]
    context = SpeakerContext()
    units: list[Candidate] = []
    para = -1
    for doc, offset in parts:
        doc_units = _units(doc, offset, lines, line_starts)
        doc_ents = list(doc.ents)
        ei = 0
        for unit in doc_units:
            span = unit.span
            if unit.para != para:
                para = unit.para
                context.last_person = ""
            while ei < len(doc_ents) and doc_ents[ei].end <= span.start:
                ei += 1
            ents = []
            j = ei
            while j < len(doc_ents) and doc_ents[j].start < span.end:
                if doc_ents[j].start >= span.start and doc_ents[j].end <= span.end:
                    ents.append(doc_ents[j])
                j += 1
            stext = span.text
            ents += missed_places(span, ents)  # a city the recogniser missed: "a Kraft plant in Montevideo"
            ents.sort(key=lambda e: e.start)
            unit.ents = ents
            unit.has_quote = bool(QUOTED.search(stext))
            unit.quantities = parse_quantities(stext, span.start_char + offset)
            unit.dates, unit.dated_action = _date_refs(span, ents, offset, article.published)
            unit.attribution = find_attribution(span, unit.root, ents, context)
            att = unit.attribution
            if att is not None and att.kind == "named":
                for ent in ents:
                    if ent.label_ == "PERSON" and _clean(ent.text) == att.name:
                        context.last_speaker = context.last_person = att.name
                        break
            subj = subject(unit.root)
            if subj is not None and subj.ent_type_ == "PERSON":
                for ent in ents:
                    if ent.start <= subj.i < ent.end:
                        context.last_person = ent.text
            classify(unit)
        units.extend(doc_units)

    # a quotation with no speaker takes the speaker of the sentence before/after in its paragraph
    for i, unit in enumerate(units):
        if unit.has_quote and unit.attribution is None:
            for j in (i - 1, i + 1):
                if 0 <= j < len(units) and units[j].para == unit.para and units[j].has_quote:
                    other = units[j].attribution
                    if other is not None and other.kind != "none":
                        unit.attribution = other
                        classify(unit)
                        break

    # the lead (the first sentence of the body) reports the story's main happening: a past or perfect action
    lead = next((u for u in units if not u.headline), None)
    if lead is not None and not lead.keep and lead.why == NO_HOLD and lead_event(lead.span, lead.root):
        lead.keep, lead.kind, lead.why = True, "event", "lead event"
    return units


def explain(parts: Sequence[tuple[Doc, int]], article: Article) -> list[tuple[int, int, str, str]]:
    """Every candidate sentence or clause of the article: (start, end, kind or "", the rule that decided)."""
    return [
        (u.span.start_char + u.offset, u.span.end_char + u.offset, u.kind if u.keep else "", u.why)
        for u in _candidates(parts, article)
    ]


def claims_from_docs(parts: Sequence[tuple[Doc, int]], article: Article) -> list[Claim]:
    """The claims of an article parsed in pieces: (doc, offset of the piece in article.text) in order."""
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for unit in _candidates(parts, article):
        if not unit.keep:
            continue
        span = unit.span
        stext = span.text
        norm = _SPACE.sub(" ", stext).strip().lower()
        occurrence = seen.get(norm, 0)
        seen[norm] = occurrence + 1
        claims.append(
            Claim(
                id=stable_id("c", article.id, norm, str(occurrence)),
                article_id=article.id,
                start=span.start_char + unit.offset,
                end=span.end_char + unit.offset,
                text=stext,
                kind=unit.kind,
                attribution=unit.attribution or NO_ATTRIBUTION,
                quantities=tuple(unit.quantities),
                dates=tuple(unit.dates),
                entities=_entities(unit.ents),
                lemmas=tuple(sorted({*event_lemmas(span, unit.root), *entity_roles(unit.ents, entity_norm)})),
                title_offices=_title_offices(unit.ents),
            )
        )
    return claims


def _clean(text: str) -> str:
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


# ---------------------------------------------------------------- public API


MAX_PIECE = 100_000  # characters parsed as one Doc (spaCy's nlp.max_length is 1,000,000; memory grows with it)


def split_text(text: str, limit: int | None = None) -> list[tuple[str, int]]:
    """`text` cut into pieces of at most `limit` characters, at line breaks where possible, else after a
    sentence or at a space: [(piece, offset)], with text[offset:offset+len(piece)] == piece."""
    limit = limit or MAX_PIECE
    if len(text) <= limit:
        return [(text, 0)]
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        skip = 0
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut > start:
                end, skip = cut, 1  # the newline itself belongs to no piece
            else:
                cut = text.rfind(". ", start, end)
                cut = cut + 2 if cut > start else text.rfind(" ", start, end) + 1
                end = cut if cut > start else end
        pieces.append((text[start:end], start))
        start = end + skip
    return pieces


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_claims(
    articles: Iterable[Article], *, processes: int = 1, batch_size: int = 64, nlp: Language | None = None
) -> Iterator[tuple[Article, list[Claim]]]:
    """Parse `articles` with spaCy (nlp.pipe with as_tuples, batched; `processes` worker processes, -1 for
    one per CPU) and yield each article with its claims, in input order. The pipeline is loaded once per
    process when not given. Input is read lazily, a chunk at a time; each chunk runs in a spaCy memory
    zone so long runs do not grow the vocabulary. Articles longer than MAX_PIECE characters are parsed
    in pieces (cut at line breaks) and their claims put back together."""
    nlp = load_pipeline() if nlp is None else ensure_line_breaks(nlp)
    n_process = (os.cpu_count() or 1) if processes < 0 else max(1, int(processes))
    chunk_size = max(batch_size * 32, 2048)
    for chunk in _chunks(articles, chunk_size):
        stream = [
            (piece, (i, offset, k == len(pieces) - 1))
            for i, article in enumerate(chunk)
            for pieces in [split_text(article.text)]
            for k, (piece, offset) in enumerate(pieces)
        ]
        procs = n_process if len(stream) > batch_size else 1  # workers only pay off past one batch
        parts: list[tuple[Doc, int]] = []
        with nlp.memory_zone():
            for doc, (i, offset, last) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=procs):
                parts.append((doc, offset))
                if last:
                    article = chunk[i]
                    yield article, claims_from_docs(parts, article)
                    parts = []
