"""Checking a key map (`review --keys`, `$CLAIMDESK_KEYS`, the config file's [keys]) before the
screen opens: every id must name a binding of the review screen, every key must be one Textual
knows, and no key may end up on two bindings. Problems come back as one line each, saying what
is wrong and what would be right.

The binding ids and their default keys are read from the review screen itself
(`tui.screens.review.REVIEW_BINDINGS`); the app's own keys (ctrl+c quits, ctrl+p opens the
command palette) cannot be taken by a binding either.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Mapping

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
RESERVED = {"ctrl+c": "quit (always)", "ctrl+p": "the command palette", "escape": "closing the note and search fields"}


def bindings() -> dict[str, list[str]]:
    """Binding id -> its default keys, for every remappable key of the review screen."""
    from claimdesk.tui.screens.review import REVIEW_BINDINGS

    return {b.id: split_keys(b.key) for b in REVIEW_BINDINGS if b.id}


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",") if k.strip()]


def _known_names() -> set[str]:
    from textual.keys import Keys

    return {k.value.rsplit("+", 1)[-1] for k in Keys} | {f"f{n}" for n in range(1, 25)}


def key_problem(key: str) -> str | None:
    """Why `key` is no key Textual can bind (None when it is fine): 'D', 'ctrl+q', 'f5',
    'question_mark', 'shift+tab'."""
    from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character

    if "=" in key:
        return f"{key!r} looks like another binding: separate bindings with ';' (ID=KEY;ID=KEY), keys of one with ','"
    parts = key.split("+")
    base = parts[-1]
    mods = parts[:-1]
    if key.endswith("+") and len(key) > 1:  # "ctrl++" is not a thing; "plus" is
        return f"{key!r}: write the plus key as 'plus'"
    for mod in mods:
        if mod not in MODIFIERS:
            return f"{key!r}: {mod!r} is not a modifier ({', '.join(MODIFIERS)})"
    if len(base) == 1:
        if base.isspace() or not base.isprintable():
            return f"{key!r}: write white space and control keys by name (space, tab, ctrl+x)"
        return None
    if base in _known_names() or base in KEY_NAME_REPLACEMENTS.values():
        return None
    try:
        if key_to_character(base) is not None or unicodedata.lookup(base.replace("_", " ").upper()):
            return None
    except KeyError:
        pass
    return f"{key!r}: no such key (a character such as D or ?, or a name such as enter, f5, ctrl+q, shift+tab)"


def check_keymap(keymap: Mapping[str, str], sources: Mapping[str, str] | None = None) -> list[str]:
    """Every problem with `keymap` (binding id -> 'key' or 'key1,key2'), one line each; an empty
    list means the screen can use it. `sources` (id -> where that entry came from) is named in
    the lines, so a bad entry in the config file is found there."""
    known = bindings()
    sources = sources or {}
    problems: list[str] = []

    def where(ident: str) -> str:
        return f"{sources[ident]}: " if ident in sources else ""

    for ident, keys in keymap.items():
        if ident not in known:
            close = difflib.get_close_matches(ident, list(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(f"{where(ident)}unknown binding id {ident!r}; {hint}ids: {', '.join(known)}")
            continue
        if not split_keys(keys):
            problems.append(f"{where(ident)}{ident}: no key given")
        for key in split_keys(keys):
            why = key_problem(key)
            if why:
                problems.append(f"{where(ident)}{ident}: {why}")
    if problems:
        return problems
    final = {ident: split_keys(keymap.get(ident, ",".join(default))) for ident, default in known.items()}
    owners: dict[str, list[str]] = {}
    for ident, keys in final.items():
        for key in keys:
            owners.setdefault(key, []).append(ident)
    for key, idents in owners.items():
        if key in RESERVED:
            problems.append(f"{where(idents[0])}{idents[0]}: {key} is kept for {RESERVED[key]}")
        if len(idents) > 1:
            remapped = [i for i in idents if i in keymap]
            blame = remapped[0] if remapped else idents[0]
            others = [i for i in idents if i != blame]
            problems.append(
                f"{where(blame)}key {key!r} would be bound to both {blame} and {', '.join(others)}; "
                f"give {', '.join(others)} another key too (e.g. {others[0]}=...) or pick a free key for {blame}"
            )
    return problems
