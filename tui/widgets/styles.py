"""Component-class styles as Textual `Style`s, including `reverse` (which `get_visual_style` drops)."""

from __future__ import annotations

from textual.geometry import Region, Size
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


_UNCHANGED = object()


def set_border_titles(widget: Widget, title: str | None | object = _UNCHANGED,
                      subtitle: str | None | object = _UNCHANGED) -> None:
    """Set a widget's border title and/or subtitle as Textual's `border_title` setters do, but
    repaint only the border row whose text changed: the setters repaint the whole widget, and
    for a pane that means every line of it again in the next frame."""
    last = widget.__dict__.setdefault("_claimdesk_titles", {})
    width, height = widget.region.size  # with the border (widget.size is the content's)
    rows: list[int] = []
    for name, text, row in (("_border_title", title, 0), ("_border_subtitle", subtitle, height - 1)):
        if text is _UNCHANGED:
            continue
        current = getattr(widget, name)
        if name in last and last[name][0] == text and last[name][1] is current:
            continue  # what we set last, and nobody has set another since
        value = None if text is None else widget.render_str(text).expand_tabs(4).split()[0]  # type: ignore[arg-type]
        setattr(widget, name, value)
        last[name] = (text, value)
        rows.append(row)
    if not rows:
        return
    if not widget.is_mounted or height < 2:
        widget.refresh()
        return
    offset = widget.content_offset  # refresh() takes regions relative to the content
    for row in rows:
        widget.refresh(Region(-offset.x, row - offset.y, width, 1))


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
    (the pass that resized it placed it already) but costs one more frame per move.

    Inside a layout pass (its scroll view's `_size_updated`), a refresh is painted by the frame
    that pass draws: the scrollbar's region goes straight into the compositor's dirty regions,
    instead of through the message queue into a second frame a few milliseconds later."""

    _in_layout = False
    _arranging = False

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # type: ignore[no-untyped-def, override]
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):  # type: ignore[no-untyped-def, override]
        if layout or recompose or not repaint or not self.is_mounted:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        if QuietScrollBar._arranging:
            # The compositor is placing the scrollbar and gives it its window's height: a new
            # height comes with a new region, which this layout pass draws anyway (a new virtual
            # size arrives through its owner's _size_updated, below). No frame of its own.
            self._set_dirty(*regions)
            return self
        if not QuietScrollBar._in_layout:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        # the same bookkeeping as Widget.refresh, then the region marked in the compositor now
        self._layout_cache.clear()
        self._set_dirty(*regions)
        self.clear_cached_dimensions()
        self._rich_style_cache.clear()
        self.screen._compositor.update_widgets({self})
        return self


class SteadyScrollbars:
    """Mixin for a ScrollView: a layout pass that leaves its size, container and (own) virtual
    size as they were does not refresh its scrollbars. Textual's ScrollView compares the
    compositor's virtual size with its own, which never match, so every layout anywhere on the
    screen repainted every scrollbar in a later frame spanning most of the screen.

    `set_virtual_size` changes the scrollable size without a layout pass when the widget's own
    size does not depend on it (its height and width are set by the CSS, not `auto`)."""

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
        QuietScrollBar._in_layout = True  # only the screen's layout pass calls _size_updated
        try:
            return super()._size_updated(size, virtual_size, container_size, layout)  # type: ignore[misc]
        finally:
            QuietScrollBar._in_layout = False

    def _arrange_scrollbars(self, region: Region) -> list:  # type: ignore[no-untyped-def]
        QuietScrollBar._arranging = True  # see QuietScrollBar.refresh
        try:
            return list(super()._arrange_scrollbars(region))  # type: ignore[misc]
        finally:
            QuietScrollBar._arranging = False

    def set_virtual_size(self, virtual_size: Size) -> None:
        """Set the virtual (scrollable) size; a layout pass only if the widget's size depends on
        it. The scrollbars are updated now, painted by the next frame with the content."""
        if virtual_size == self.virtual_size:  # type: ignore[attr-defined]
            return
        if self.styles.auto_dimensions:  # type: ignore[attr-defined]
            self.virtual_size = virtual_size  # type: ignore[attr-defined]
            return
        self.set_reactive(Widget.virtual_size, virtual_size)  # type: ignore[attr-defined]
        if self._sized is not None:  # the next layout pass need not update the scrollbars again
            size, container_size, _old = self._sized
            self._sized = (size, container_size, virtual_size)
        self._update_scrollbars(virtual_size)

    def _update_scrollbars(self, virtual_size: Size) -> None:
        """Widget._scroll_update, less its unconditional scrollbar refresh: a scrollbar repaints
        when its sizes change (they are reactives), not every time its owner's content does."""
        widget: Widget = self  # type: ignore[assignment]
        widget._refresh_scrollbars()
        width, height = widget.container_size
        if widget.show_vertical_scrollbar and widget.styles.scrollbar_size_vertical:
            bar = widget.vertical_scrollbar
            bar.window_virtual_size = virtual_size.height
            bar.window_size = height - widget.scrollbar_size_horizontal
        if widget.show_horizontal_scrollbar and widget.styles.scrollbar_size_horizontal:
            bar = widget.horizontal_scrollbar
            bar.window_virtual_size = virtual_size.width
            bar.window_size = width - widget.scrollbar_size_vertical
        widget.scroll_x = widget.validate_scroll_x(widget.scroll_x)
        widget.scroll_y = widget.validate_scroll_y(widget.scroll_y)
