"""Which language an article is written in, for a one-line warning: claims are read with an English
pipeline, so a French or Russian article gives few and poor claims.

    language_warning(text) -> str   # "" for English (or too little text to tell)

`py3langid` ships its model in the wheel (nothing is downloaded); it is loaded on first use, once.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["detect_language", "language_warning"]

_SAMPLE = 3000  # characters looked at (the start of the article)
_MIN_CHARS = 120  # below this a guess is not worth a warning
_MIN_CONFIDENCE = 0.9


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) for the start of `text`."""
    lang, prob = _identifier().classify(text[:_SAMPLE])
    return str(lang), float(prob)


def language_warning(text: str) -> str:
    """A warning when `text` is confidently not English, else ""."""
    if len(text) < _MIN_CHARS:
        return ""
    lang, prob = detect_language(text)
    if lang == "en" or prob < _MIN_CONFIDENCE:
        return ""
    return f"not in English (looks like '{lang}', {prob:.0%} sure): claims are read with an English model"
