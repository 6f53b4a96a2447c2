"""Small modal screens: help (every key, as currently bound), filter (a short list), export path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from .session import FILTERS, Filter

if TYPE_CHECKING:
    from .review import ReviewScreen


def binding_keys(app, binding: Binding) -> list[str]:
    """The keys a binding answers to now (after any keymap), as the footer shows them."""
    keymap = getattr(app, "keymap", {}) or {}
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    out = []
    for key in keys.split(","):
        key = key.strip()
        if key:
            out.append(app.get_key_display(Binding(key, binding.action)))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
    ]

    def __init__(self, review: ReviewScreen) -> None:
        super().__init__(id="help")
        self.review = review

    def compose(self) -> ComposeResult:
        from .review import REVIEW_BINDINGS

        rows: list[Content] = []
        for binding in REVIEW_BINDINGS:
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
            yield Label("claimdesk review — keys", id="help-title")
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


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="export-cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__(id="export")
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label("Export judgements to CSV (enter writes, escape cancels)", id="export-title")
            yield Input(str(self.default), id="export-path")

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.cursor_position = len(box.value)
        box.focus()

    @on(Input.Submitted)
    def _chosen(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
