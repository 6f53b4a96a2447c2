"""The command palette's review commands (ctrl+p): every review key, by name."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from .screens.bindings import REVIEW_BINDINGS, binding_keys


class ReviewCommands(Provider):
    """Every review key as a named command in the palette (ctrl+p)."""

    def review_commands(self) -> Iterable[tuple[str, str, Any]]:
        app = self.app
        review = getattr(app, "review", None)
        if review is None or getattr(app, "session", None) is None:
            return
        for binding in REVIEW_BINDINGS:
            if not binding.id:
                continue
            keys = "/".join(binding_keys(app, binding))
            help_text = escape(f"key {keys}; id {binding.id}")
            yield binding.tooltip or binding.description, help_text, partial(app.run_action, binding.action, review)

    async def discover(self) -> Hits:
        for name, help_text, callback in self.review_commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.review_commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
