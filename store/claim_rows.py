"""Claims as stored in corpus.json: encoded as columns (schema 4) or rows (schemas 2 and 3),
and read back lazily (`LazyClaims`: a Claim object is built on first access)."""

from __future__ import annotations

from itertools import starmap
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Callable

import orjson

from claimdesk.extract.model import NO_ATTRIBUTION, Attribution, Claim, DateRef, Entity, Quantity, from_dict
from claimdesk.store.build import fast_builder
from claimdesk.store.corpus_tables import rows_of as _rows
from claimdesk.store.errors import DatabaseError
from claimdesk.store.gc_pause import no_gc
from claimdesk.store.layout import CORPUS_FILE


def encode_claims(claims: Sequence[Claim], texts: Mapping[str, str], shared: "SharedValues") -> dict[str, Any]:
    """The claims as one TinyDB document of columns (schema 4): {"id": [ids], "article_id":
    [ids], "v": [each claim's positional values (`claim_to_row`) as a JSON string], "text":
    {position: text} for the rare claim whose text is not its article's slice}.

    Reading 56,000 claims then parses three lists of strings (0.04 s) instead of 1.4 million
    small JSON values (0.2 s); a claim's values are parsed when it is first built."""
    ids, owners, values, odd = [], [], [], {}
    dumps = orjson.dumps
    for i, c in enumerate(claims):
        row = claim_to_row(c, texts, shared)
        ids.append(c.id)
        owners.append(c.article_id)
        values.append(dumps(row["v"]).decode())
        if "text" in row:
            odd[str(i)] = row["text"]
    return {"id": ids, "article_id": owners, "v": values, "text": odd}


def claim_ids_of(data: dict[str, Any]) -> list[str]:
    """The claim ids of a parsed corpus.json (any schema), without building claims."""
    rows = _rows(data, "claims")
    if _claim_columns(rows) is not None:
        return list(rows[0]["id"])
    return [row.get("id") for row in rows if isinstance(row, dict)]


def _claim_columns(rows: list[Any]) -> dict[str, Any] | None:
    """The schema-4 columns document, when that is what the claims table holds."""
    if len(rows) == 1 and isinstance(rows[0], dict) and isinstance(rows[0].get("id"), list):
        return rows[0]
    return None


class _Interner:
    """Builds the small value objects of claims once per distinct value (entities repeat a lot)."""

    def __init__(self) -> None:
        self.cache: dict[type, dict[tuple, Any]] = {}

    def get(self, cls: type, values: list[Any]) -> Any:
        if not isinstance(values, list):
            raise TypeError("not the compact layout")
        cache = self.cache.get(cls)
        if cache is None:
            cache = self.cache[cls] = {}
        key = tuple(values)
        try:
            obj = cache.get(key)
        except TypeError:  # an unhashable value: no sharing
            return cls(*values)
        if obj is None:
            obj = cache[key] = cls(*values)
        return obj


def _fields(obj: Any) -> list[Any]:
    return [getattr(obj, f) for f in obj.__slots__]


_SHARED = (("attributions", Attribution), ("entities", Entity))


class SharedValues:
    """The values many claims share (a corpus has ~100 distinct entities over ~65,000 uses),
    stored once in corpus.json's table "shared" and referred to by position from claim rows."""

    def __init__(self) -> None:
        self.index: dict[str, dict[Any, int]] = {name: {} for name, _ in _SHARED}

    def ref(self, name: str, obj: Any) -> int:
        table = self.index[name]
        i = table.get(obj)
        if i is None:
            i = table[obj] = len(table)
        return i

    def tables(self) -> dict[str, list[list[Any]]]:
        return {name: [_fields(obj) for obj in table] for name, table in self.index.items()}


def _shared_objects(data: dict[str, Any]) -> dict[str, list[Any]] | None:
    """The "shared" table of a parsed corpus.json as data-class objects (None: not there / odd)."""
    rows = _rows(data, "shared")
    if not rows:
        return None
    try:
        return {name: [cls(*values) for values in rows[0].get(name, ())] for name, cls in _SHARED}
    except TypeError:
        return None


def claim_to_row(c: Claim, texts: Mapping[str, str] | None = None, shared: SharedValues | None = None) -> dict[str, Any]:
    """A claim as a compact TinyDB document (a claim is read far more often than written).

    With `shared` (schema 3 rows; schema 4 keeps each "v" as a JSON string in a column, see
    `encode_claims`): {"id", "article_id", "v": [start, end,
    kind, attribution, quantities, dates, entities, lemmas, title_offices]} where attribution
    and entities are positions in the "shared" table; quantities, dates and title_offices are
    positional lists; lemmas as below. Three keys and one list parse about twice as fast as
    eleven keys. Without `shared`, the schema-2 form described next.

    Top-level fields keep their names; nested values are positional lists in field order
    (attribution, quantities, dates, entities, title_offices); lemmas are one space-joined
    string when no lemma holds a space or is empty. Fewer, bigger JSON values parse faster.
    "text" is left out when it is exactly its article's text[start:end] (the model's invariant):
    it is sliced back on reading. `_claim_from_row` reads this and the plain `as_dict` form.
    """
    lemmas: Any = list(c.lemmas)
    if not any((" " in x or not x) for x in c.lemmas):
        lemmas = " ".join(c.lemmas)
    text = texts.get(c.article_id) if texts is not None else None
    sliced = text is not None and bool(c.text) and text[c.start : c.end] == c.text
    if shared is not None:
        ref = shared.ref
        row = {
            "id": c.id,
            "article_id": c.article_id,
            "v": [
                c.start,
                c.end,
                c.kind,
                ref("attributions", c.attribution),
                [_fields(q) for q in c.quantities],
                [_fields(d) for d in c.dates],
                [ref("entities", e) for e in c.entities],
                lemmas,
                [list(t) for t in c.title_offices],
            ],
        }
        if not sliced:
            row["text"] = c.text
        return row
    row = {
        "id": c.id,
        "article_id": c.article_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "kind": c.kind,
        "attribution": _fields(c.attribution),
        "quantities": [_fields(q) for q in c.quantities],
        "dates": [_fields(d) for d in c.dates],
        "entities": [_fields(e) for e in c.entities],
        "lemmas": lemmas,
        "title_offices": [list(t) for t in c.title_offices],
    }
    if sliced:
        del row["text"]
    return row


def _bad_layout() -> Any:
    raise TypeError("not the compact layout")


_build_claim = fast_builder(Claim)
_build_quantity = fast_builder(Quantity)
_build_date = fast_builder(DateRef)


def _claim_from_values(
    claim_id: Any, article_id: Any, v: Any, text: str | None, texts: Mapping[str, str], shared: dict[str, list[Any]],
    where: str = CORPUS_FILE,
) -> Claim:
    """A claim from its positional values (schema 3 and 4; a JSON string in schema 4)."""
    try:
        if type(v) is str:
            v = orjson.loads(v)
        start, end, kind, att, quantities, dates, entities, lemmas, offices = v
        if text is None:
            text = texts.get(article_id, "")[start:end]
        return _build_claim(
            claim_id,
            article_id,
            start,
            end,
            text,
            kind,
            shared["attributions"][att],
            tuple(starmap(_build_quantity, quantities)) if quantities else (),
            tuple(starmap(_build_date, dates)) if dates else (),
            tuple(map(shared["entities"].__getitem__, entities)) if entities else (),
            tuple(lemmas.split()) if type(lemmas) is str else tuple(lemmas),
            tuple(map(tuple, offices)) if offices else (),
        )
    except (TypeError, KeyError, ValueError, IndexError, orjson.JSONDecodeError) as exc:
        raise DatabaseError(f"{where}: claim {claim_id!r}: malformed row ({exc})") from None


def _claim_from_row(
    row: dict[str, Any], intern: "_Interner", texts: Mapping[str, str], shared: dict[str, list[Any]] | None = None
) -> Claim:
    """Claim from its stored document (schema-3 or -2 compact, or `as_dict` form); unknown keys ignored."""
    get = row.get
    v = get("v")
    if v is not None and shared is not None:
        return _claim_from_values(row.get("id"), row.get("article_id"), v, get("text"), texts, shared)
    try:
        start, end = row["start"], row["end"]
        text = get("text")
        if text is None:
            text = texts.get(row["article_id"], "")[start:end]
        att = get("attribution")
        lemmas = get("lemmas", ())
        shared = intern.get
        return _build_claim(
            row["id"],
            row["article_id"],
            start,
            end,
            text,
            row["kind"],
            shared(Attribution, att) if att else NO_ATTRIBUTION,
            tuple([_build_quantity(*q) if type(q) is list else _bad_layout() for q in get("quantities", ())]),
            tuple([shared(DateRef, d) for d in get("dates", ())]),
            tuple([shared(Entity, e) for e in get("entities", ())]),
            tuple(lemmas.split()) if isinstance(lemmas, str) else tuple(lemmas),
            tuple([tuple(t) for t in get("title_offices", ())]),
        )
    except (TypeError, KeyError, ValueError):  # a layout we do not know (nested dicts...): the generic way
        if "text" not in row:
            row = dict(row, text=texts.get(get("article_id"), "")[get("start", 0) : get("end", 0)])
        return from_dict(Claim, row)


class LazyClaims(Sequence):
    """The corpus' claims as a read-only list whose Claim objects are built on first access.

    50,000 claims parse in a fraction of a second; building every nested data class takes
    longer, so a screen that shows a few hundred rows only pays for those. `ids()` and
    `article_ids()` come from the stored columns without building anything.
    """

    def __init__(self, ids: list[str], article_ids: list[str], make: Callable[[int], Claim]):
        self._ids = ids
        self._owners = article_ids
        self._make = make
        self._built: list[Claim | None] = [None] * len(ids)
        self._missing = len(ids)  # 0 once every claim is built

    @classmethod
    def of_table(
        cls, rows: list[dict[str, Any]], texts: Mapping[str, str] | None = None,
        shared: dict[str, list[Any]] | None = None, where: str = CORPUS_FILE,
    ) -> "LazyClaims":
        """Over a parsed claims table: schema-4 columns, or one row per claim (older schemas).
        `where` (the file) starts every error message."""
        texts = texts or {}
        columns = _claim_columns(rows)
        if columns is not None:
            if shared is None:
                raise DatabaseError(f"{where}: claims: malformed (no shared values table)")
            try:
                ids, owners, values = columns["id"], columns["article_id"], columns["v"]
                odd = {int(k): t for k, t in (columns.get("text") or {}).items()}
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise DatabaseError(f"{where}: claims: malformed ({exc})") from None
            if not (len(ids) == len(owners) == len(values)):
                raise DatabaseError(f"{where}: claims: malformed (columns of different lengths)")
            return cls(ids, owners,
                       lambda i: _claim_from_values(ids[i], owners[i], values[i], odd.get(i), texts, shared, where))
        intern = _Interner()
        try:
            ids, owners = [r["id"] for r in rows], [r["article_id"] for r in rows]
        except (KeyError, TypeError) as exc:
            raise DatabaseError(f"{where}: claims: malformed row ({exc})") from None
        return cls(ids, owners, lambda i: _claim_from_row(rows[i], intern, texts, shared))

    def __len__(self) -> int:
        return len(self._ids)

    def _get(self, i: int) -> Claim:
        c = self._built[i]
        if c is None:
            c = self._built[i] = self._make(i)
        return c

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._get(k) for k in range(*i.indices(len(self._ids)))]
        if i < 0:
            i += len(self._ids)
        if not 0 <= i < len(self._ids):
            raise IndexError(i)
        return self._get(i)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.build_all())

    def build_all(self) -> list[Claim]:
        """Every Claim object (built once, with the cyclic GC paused: see `no_gc`)."""
        if self._missing:
            with no_gc(after="freeze"):
                built, make = self._built, self._make
                for i in range(len(built)):
                    if built[i] is None:
                        built[i] = make(i)
            self._missing = 0
        return self._built  # type: ignore[return-value]

    def ids(self) -> list[str]:
        return list(self._ids)

    def article_ids(self) -> list[str]:
        return list(self._owners)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, LazyClaims)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"<LazyClaims {len(self)} claims>"
