"""corpus.json's tables as TinyDB stores them: {"1": row, "2": row, ...}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def table_of(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows as a TinyDB table: {"1": row, "2": row, ...}."""
    return {str(i): row for i, row in enumerate(rows, start=1)}


def rows_of(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The rows of table `name` of a parsed TinyDB file, in id order."""
    table = data.get(name) or {}
    keys = list(table)
    if keys != list(map(str, range(1, len(keys) + 1))):  # as we write them: no sort needed
        keys.sort(key=int)
        return [table[k] for k in keys]
    return list(table.values())
