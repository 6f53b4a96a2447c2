"""Component-class styles as Textual `Style`s, including `reverse` (which `get_visual_style` drops)."""

from __future__ import annotations

from typing import cast

from textual.geometry import Region
from textual.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The partial style of component class `name` on `widget`, for `Content.stylize`
    (`get_visual_style` is cached by Textual for the widget's current pseudo-classes)."""
    style = widget.get_visual_style(name, partial=True)
    if widget.get_component_styles(name).text_style.reverse:
        style = style + Style(reverse=True)
    return style


class BorderTitles:
    """Mixin for a widget with a border: `set_titles` assigns a title or subtitle only when it
    changed (each assignment repaints the widget). The repaint is not narrowed to the border row:
    a narrowed refresh could drop a full repaint pending after a terminal resize, leaving stale
    rows (tests/test_tui_terminal_grid.py compares every resize with a full repaint)."""

    def set_titles(self, title: str | None, subtitle: str | None) -> None:
        widget = cast(Widget, self)
        if widget.border_title != title:
            widget.border_title = title
        if widget.border_subtitle != subtitle:
            widget.border_subtitle = subtitle


class CachedLines:
    """Mixin for a ScrollView that caches rendered lines in `strips` (and styled content in
    `styled`): both dropped when the theme or CSS changes (Textual's `notify_style_update`)."""

    strips: dict
    styled: dict
    _drawn_styles: dict[str, Style] | None = None  # component styles, while a frame is drawn

    def component(self, name: str) -> Style:
        styles = self._drawn_styles
        if styles is None:
            return component_style(self, name)  # type: ignore[arg-type]
        style = styles.get(name)
        if style is None:
            style = styles[name] = component_style(self, name)  # type: ignore[arg-type]
        return style

    def render_lines(self, crop: Region) -> list:
        """Each component style is worked out once while the lines of a frame are drawn (a
        style depends on the widget's state, e.g. focus: not kept from one frame to the next)."""
        self._drawn_styles = {}
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._drawn_styles = None

    def notify_style_update(self) -> None:
        self.strips.clear()
        getattr(self, "styled", {}).clear()
        super().notify_style_update()  # type: ignore[misc]
