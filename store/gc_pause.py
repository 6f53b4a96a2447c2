"""Pausing Python's cyclic garbage collector while big loads build many objects.

Used by the store (corpus, links and judgement loads) and by the review screen's session.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_frozen = False  # whether no_gc(after="freeze") ran in this process (gc.get_freeze_count() is O(n))


@contextlib.contextmanager
def no_gc(*, after: str = "") -> Iterator[None]:
    """Pause the cyclic GC while building many objects (it would rescan them all, over and over).

    Re-enabling the GC after a big load makes it do one full pass over everything at its next
    run (a few hundred ms for a 50,000-claim corpus). `after` decides what happens instead:
      ""        nothing: pay that pass later (small loads)
      "freeze"  `gc.freeze()`: every tracked object moves to the permanent generation and is
                never scanned again (still freed by reference counting). For the corpus: big,
                long-lived, loaded once per ingest, without reference cycles.
      "promote" freeze then unfreeze: objects move to the oldest generation without counting
                towards the next full pass; nothing stays frozen. For judgements (re-read often).
    "promote" is skipped while anything is frozen (unfreezing would release that too).

    Why "freeze" stays for the corpus (measured at 2,000 articles / 28,000 claims / 50,000
    judgements, links not loaded): without it the first full collection after the load scans
    ~560,000 objects (claim rows, Claims, judgements): 0.2-0.4 s of CPU, at a moment nobody
    chose (typically while the review screen builds). Its cost: `gc.freeze()` freezes every
    object tracked at that moment, the caller's too, and the cyclic GC never looks at them
    again, so a reference cycle among them is never freed. Our corpus objects hold no cycles
    (reference counting frees an old corpus when it is dropped); a cycle the app made before
    the load would stay in memory until exit (a bounded leak, once per corpus read).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if after == "freeze":
            freeze()
        elif after == "promote" and not _frozen:
            gc.freeze()
            gc.unfreeze()
        if was:
            gc.enable()


def freeze() -> None:
    """`gc.freeze()`, remembered so that no later "promote" unfreezes what it froze (see `no_gc`)."""
    global _frozen
    _frozen = True
    gc.freeze()
