"""Component-class styles as Textual `Style`s, including `reverse` (which `get_visual_style` drops)."""

from __future__ import annotations

from textual.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The partial style of component class `name` on `widget`, for `Content.stylize`
    (`get_visual_style` is cached by Textual for the widget's current pseudo-classes)."""
    style = widget.get_visual_style(name, partial=True)
    if widget.get_component_styles(name).text_style.reverse:
        style = style + Style(reverse=True)
    return style


def set_border_titles(widget: Widget, title: str | None = None, subtitle: str | None = None) -> None:
    """Set a widget's border title and subtitle; one that is the same as before is not set again
    (each setter repaints the widget)."""
    if widget.border_title != title:
        widget.border_title = title
    if widget.border_subtitle != subtitle:
        widget.border_subtitle = subtitle


class CachedLines:
    """Mixin for a ScrollView that caches rendered lines in `strips` (and styled content in
    `styled`): both dropped when the theme or CSS changes (Textual's `notify_style_update`)."""

    strips: dict
    styled: dict

    def component(self, name: str) -> Style:
        return component_style(self, name)  # type: ignore[arg-type]

    def notify_style_update(self) -> None:
        self.strips.clear()
        getattr(self, "styled", {}).clear()
        super().notify_style_update()  # type: ignore[misc]
