"""Small modal screens: help (every key, as currently bound), filter (a short list), export
(path, and what to export), recovery (replay the changes a session that ended could not save).

Each says how to leave it. None imports the review screen or the app (no import cycle): they
get what they show as arguments and answer through `dismiss`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..recovery import RecoveryFile, shorten
from ..review_state import symbol
from ..screen_filters import FILTERS, Filter
from .bindings import binding_keys
from .host import ExportRequest

HELP_CLOSE = "escape, q or ? closes this help"
FILTER_HINTS = "↑↓ choose · enter applies · esc closes"


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
    ]

    def __init__(self, bindings: Sequence[Binding]) -> None:
        super().__init__(id="help")
        self.bindings_shown = list(bindings)

    def compose(self) -> ComposeResult:
        rows: list[Content] = []
        for binding in self.bindings_shown:
            if not binding.id:
                continue
            keys = " ".join(binding_keys(self.app, binding))
            text = binding.tooltip or binding.description
            rows.append(Content.assemble((f"{keys:>14}", "bold"), "  ", f"{text:<38}", (binding.id, "dim")))
        extra = [
            ("tab", "focus the linked claims (arrows choose, enter jumps)"),
            ("click", "select a claim, an article or a linked claim"),
            ("ctrl+p", "command palette: every command above, by name"),
            ("ctrl+c", "quit (pending saves are flushed first)"),
        ]
        for keys, text in extra:
            rows.append(Content.assemble((f"{keys:>14}", "bold"), "  ", text))
        marks = Content(
            "\nMarks: ✓ corroborated  ✗ disputed  ? unsourced  · not judged (dim: suggestion only);"
            "\njudged claims are underlined; the current claim is reversed."
            "\nRemap keys by the ids above: claimdesk review --keys 'tag-disputed=D;quit=ctrl+q'."
        )
        with Vertical(id="help-box"):
            yield Label(f"claimdesk review — keys ({HELP_CLOSE})", id="help-title")
            with VerticalScroll():
                yield Static(Content("\n").join(rows))
                yield Static(marks, id="help-marks")


class FilterScreen(ModalScreen[Filter | None]):
    BINDINGS = [Binding("escape,q,f", "dismiss_none", "Close", id="filter-close")]

    def __init__(self, current: Filter) -> None:
        super().__init__(id="filter")
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(("● " if f == self.current else "  ") + f.label, id=f"{f.kind}:{f.value}")
            for f in FILTERS
        ]
        with Vertical(id="filter-box"):
            yield Label("Show which claims?", id="filter-title")
            yield OptionList(*options, id="filter-list")
            yield Label(FILTER_HINTS, id="filter-hints")

    def on_mount(self) -> None:
        lst = self.query_one(OptionList)
        lst.highlighted = FILTERS.index(self.current) if self.current in FILTERS else 0
        lst.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, value = (event.option.id or "all:").partition(":")
        self.dismiss(Filter(kind, value))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[ExportRequest | None]):
    """The path to write, offered by `propose(shown_only)`. With a filter on, exports what the
    filter shows and says so; ctrl+a switches between that and every claim (the offered file
    name follows unless the reviewer has typed one)."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="export-cancel"),
        Binding("ctrl+a", "toggle_scope", "All / shown", id="export-scope", priority=True),
    ]

    def __init__(self, propose: Callable[[bool], Path], *, filter_label: str = "", shown: int = 0,
                 total: int = 0) -> None:
        super().__init__(id="export")
        self.propose = propose
        self.filter_label = filter_label
        self.shown = shown
        self.total = total
        self.shown_only = bool(filter_label)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label("Export judgements to CSV (enter writes, escape cancels)", id="export-title")
            yield Label(self._scope(), id="export-scope")
            yield Input(str(self.propose(self.shown_only)), id="export-path")

    def _scope(self) -> str:
        if not self.filter_label:
            return f"All {self.total} claims (no filter is on)."
        if self.shown_only:
            return f"Only the {self.shown} claims shown (filter: {self.filter_label}); ctrl+a: all {self.total} instead."
        return f"All {self.total} claims (the filter {self.filter_label} is ignored); ctrl+a: only the {self.shown} shown."

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.cursor_position = len(box.value)
        box.focus()

    def action_toggle_scope(self) -> None:
        if not self.filter_label:
            return
        box = self.query_one(Input)
        offered = str(self.propose(self.shown_only))
        self.shown_only = not self.shown_only
        if box.value == offered:  # not edited: offer the name that matches the new scope
            box.value = str(self.propose(self.shown_only))
            box.cursor_position = len(box.value)
        self.query_one("#export-scope", Label).update(self._scope())

    @on(Input.Submitted)
    def _chosen(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(ExportRequest(Path(value).expanduser(), self.shown_only) if value else None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class RecoveryScreen(ModalScreen[bool | None]):
    """Offered at start when a session that ended left changes it could not save: enter or y
    replays them, d discards them, escape decides later (they are offered again next time)."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Replay", id="recovery-replay"),
        Binding("d", "answer(False)", "Discard", id="recovery-discard"),
        Binding("escape", "answer(None)", "Later", id="recovery-later"),
    ]

    def __init__(self, files: Sequence[RecoveryFile], exists: Callable[[str], bool]) -> None:
        super().__init__(id="recovery")
        self.files = list(files)
        self.exists = exists

    def compose(self) -> ComposeResult:
        changes = [c for f in self.files for c in f.changes]
        when = ", ".join(sorted({f.written[:16].replace("T", " ") for f in self.files}))
        lines = []
        for c in changes:
            what = (symbol(c.status) + " " + (c.status or "cleared")) if c.status is not None else "note"
            note = f" · note: {shorten(c.note, 30)}" if c.note else ""
            if c.reason or not self.exists(c.claim_id):
                lines.append(f"  ✗ {c.claim_id} {what}{note} — cannot be replayed: claim no longer in the corpus"
                             + (f" ({shorten(c.text, 40)})" if c.text else ""))
            else:
                lines.append(f"  {c.claim_id} {what}{note}" + (f" — {shorten(c.text, 50)}" if c.text else ""))
        with Vertical(id="recovery-box"):
            yield Label(f"{len(changes)} change(s) from a session that ended ({when}) were not saved.",
                        id="recovery-title")
            with VerticalScroll():
                yield Static("\n".join(lines), markup=False)
            yield Label("enter/y replays them · d discards them · escape: decide next time", id="recovery-hints")

    def action_answer(self, answer: bool | None) -> None:
        self.dismiss(answer)
