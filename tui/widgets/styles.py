"""Component-class styles as Textual `Style`s, including `reverse` (which `get_visual_style` drops)."""

from __future__ import annotations

from textual.scrollbar import ScrollBar
from textual.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The partial style of component class `name` on `widget`, for `Content.stylize`."""
    cache = widget.__dict__.setdefault("_claimdesk_styles", {})
    key = (name, widget._pseudo_classes_cache_key)
    style = cache.get(key)
    if style is None:
        style = widget.get_visual_style(name, partial=True)
        text_style = widget.get_component_styles(name).text_style
        if text_style.reverse:
            style = style + Style(reverse=True)
        cache[key] = style
    return style


def clear_style_cache(widget: Widget) -> None:
    widget.__dict__.pop("_claimdesk_styles", None)


class CachedLines:
    """Mixin for a ScrollView that caches rendered lines in `_strips` (and styled content in
    `_styled`): component styles by name, both caches dropped when the theme or CSS changes."""

    _strips: dict

    def _style(self, name: str) -> Style:
        return component_style(self, name)  # type: ignore[arg-type]

    def notify_style_update(self) -> None:
        clear_style_cache(self)  # type: ignore[arg-type]
        self._strips.clear()
        getattr(self, "_styled", {}).clear()
        super().notify_style_update()  # type: ignore[misc]


class QuietScrollBar(ScrollBar):
    """A scrollbar whose new height does not ask for a second layout pass: Widget's default
    sets its virtual size as a layout-triggering reactive, which for a scrollbar changes nothing
    (the pass that resized it placed it already) but costs one more frame per move."""

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # type: ignore[no-untyped-def, override]
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SteadyScrollbars:
    """Mixin for a ScrollView: a layout pass that leaves its size, container and (own) virtual
    size as they were does not refresh its scrollbars. Textual's ScrollView compares the
    compositor's virtual size with its own, which never match, so every layout anywhere on the
    screen repainted every scrollbar in a later frame spanning most of the screen."""

    _sized: tuple | None = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's own property (create on first use), with a `QuietScrollBar`."""
        bar = self._vertical_scrollbar  # type: ignore[attr-defined]
        if bar is None:
            bar = QuietScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)  # type: ignore[attr-defined]
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)  # type: ignore[attr-defined]
        return bar

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # type: ignore[no-untyped-def]
        key = (size, container_size, self.virtual_size)  # type: ignore[attr-defined]
        if key == self._sized:
            return False
        self._sized = key
        return super()._size_updated(size, virtual_size, container_size, layout)  # type: ignore[misc]
