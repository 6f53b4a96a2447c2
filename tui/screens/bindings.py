"""The review screen's key bindings, in one place: the screen binds them, the footer, the `?`
help and the command palette list them. Each has an `id`, so `App.set_keymap` (and
`claimdesk review --keys`) can remap it.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding


def B(key: str, action: str, description: str, id: str, *, show: bool = True,
      key_display: str | None = None, tooltip: str = "") -> Binding:
    return Binding(key, action, description, show=show, key_display=key_display, id=id,
                   tooltip=tooltip or description)


REVIEW_BINDINGS: list[Binding] = [
    # footer order: what a new user needs first fits in 80 columns
    B("question_mark", "help", "Help", "help", key_display="?", tooltip="Help: every key"),
    B("q", "app.quit", "Quit", "quit", tooltip="Quit (saves first)"),
    B("j,down", "move(1)", "Move", "next-claim", key_display="j/k", tooltip="Next claim"),
    B("k,up", "move(-1)", "Previous claim", "prev-claim", show=False),
    B("c", "tag('corroborated')", "Corrob.", "tag-corroborated", tooltip="Tag corroborated (✓)"),
    B("d", "tag('disputed')", "Disputed", "tag-disputed", tooltip="Tag disputed (✗)"),
    B("u", "tag('unsourced')", "Unsourced", "tag-unsourced", tooltip="Tag unsourced (?)"),
    B("a", "accept", "Accept", "accept-suggestion", tooltip="Accept the suggestion"),
    B("x", "clear", "Clear", "clear-judgement", tooltip="Clear my judgement"),
    B("n", "unreviewed(1)", "Unreviewed", "next-unreviewed", tooltip="Next unreviewed claim"),
    B("N", "unreviewed(-1)", "Previous unreviewed", "prev-unreviewed", show=False, tooltip="Previous unreviewed claim"),
    B("J,right_square_bracket", "article(1)", "Next article", "next-article", show=False),
    B("K,left_square_bracket", "article(-1)", "Previous article", "prev-article", show=False),
    B("e", "edit_note", "Note", "edit-note", tooltip="Edit my note on the claim"),
    B("slash", "search", "Search", "search", tooltip="Search claims (enter: next match)"),
    B("f", "filter", "Filter", "filter", tooltip="Filter claims"),
    B("s", "side_by_side", "Side", "side-by-side", tooltip="Side by side with a linked article"),
    B("ctrl+z", "undo", "Undo", "undo", show=False),
    B("ctrl+y", "redo", "Redo", "redo", show=False),
    B("E", "export", "Export CSV", "export", show=False, tooltip="Export CSV"),
    B("b", "toggle_removed", "Boilerplate", "toggle-boilerplate", show=False,
      tooltip="Show or hide removed boilerplate"),
    B("A", "toggle_advance", "Auto-advance", "toggle-advance", show=False, tooltip="Toggle auto-advance"),
    B("p", "toggle_sources", "Sources pane", "toggle-sources", show=False, tooltip="Toggle the sources pane"),
    B("enter", "jump", "Jump", "jump-link", show=False, tooltip="Jump to the selected linked claim"),
    Binding("escape", "close_inputs", "Close", show=False),
]


def binding_keys(app: Any, binding: Binding) -> list[str]:
    """The keys a binding answers to now (after the app's keymap, if any), as the footer shows
    them. The keymap is the one the app was given (`ClaimdeskApp.keymap`, passed to
    `App.set_keymap`): Textual has no public getter for the active one."""
    keymap = getattr(app, "keymap", None) or {}
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    out = []
    for key in keys.split(","):
        key = key.strip()
        if key:
            out.append(app.get_key_display(Binding(key, binding.action)))
    return out
