"""The bottom row of a screen: the keys of its bindings that show, and ctrl+p (the command palette)
at the right; a click on a key presses it.

One widget drawing one line from `Screen.active_bindings`, redrawn when the screen says its
bindings changed (`bindings_updated_signal`). Textual's `Footer` shows the same keys with a
widget per key and mounts them all again at each such change: three times while the review
screen starts, which cost about a quarter of the start's CPU time after the imports
(2026-11-30: 0.40-0.68 s with it, 0.18-0.26 s without, on the sample story, a loaded machine).
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from .styles import component_style


class Key(NamedTuple):
    key: str  # what `App.simulate_key` presses
    display: str  # as shown ("?", "j/k", "^p")
    description: str
    enabled: bool


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--disabled {
        text-style: dim;
    }
    KeyBar > .key-bar--rule {
        color: $foreground 20%;
    }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled", "key-bar--rule"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._spans: list[tuple[int, int, str]] = []  # (first column, end column, key) as drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys shown (one per action, in the bindings' order) and the command palette's."""
        active = self.screen.active_bindings
        app = self.app
        shown: list[Key] = []
        actions: set[str] = set()
        for key, (_node, binding, enabled, _tooltip) in active.items():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append(Key(key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and (found := active.get(app.COMMAND_PALETTE_BINDING)) is not None:
            _node, binding, enabled, _tooltip = found
            palette = Key(app.COMMAND_PALETTE_BINDING, app.get_key_display(binding), binding.description, enabled)
        return shown, palette

    def render(self) -> Content:
        width = self.size.width
        shown, palette = self.keys()
        styles = {name: component_style(self, f"key-bar--{name}") for name in ("key", "description", "disabled", "rule")}

        def item(key: Key) -> Content:
            text = Content.assemble((f" {key.display} ", styles["key"]), (f"{key.description} ", styles["description"]))
            return text if key.enabled else text.stylize(styles["disabled"])

        right = Content.assemble(("▏", styles["rule"]), item(palette)) if palette is not None else Content("")
        room = max(0, width - right.cell_length)
        spans: list[tuple[int, int, str]] = []
        parts: list[Content] = []
        x = 0
        for key in shown:
            text = item(key)
            if x >= room:
                break
            spans.append((x, min(room, x + text.cell_length), key.key))
            parts.append(text)
            x += text.cell_length
        left = Content("").join(parts)
        if left.cell_length > room:
            left = left.truncate(room)
        if palette is not None and room < width:
            spans.append((room + 1, width, palette.key))
        self._spans = spans
        return left.pad_right(room - left.cell_length) + right

    def on_click(self, event: events.Click) -> None:
        for first, end, key in self._spans:
            if first <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
