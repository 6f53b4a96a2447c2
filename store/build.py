"""Building many frozen data-class objects fast (loading 50,000 claims and judgements).

A frozen, slotted data class sets each field in `__init__` through `object.__setattr__`; for
hundreds of thousands of objects that is most of the load time. `builder(cls)` returns a
function that takes the fields positionally and fills the slots directly (through each slot's
public descriptor `__set__`), about twice as fast. It is only used for a class without
`__post_init__` (no validation is skipped), and only when every field is given; anything else
goes through the class itself.

No code is generated: the fillers for the field counts the model uses (3 to 12) are written out
below, unrolled; any other count uses the loop. Why unrolled: building the 50,000 seven-field
`Judgement`s that every start of the review screen reads, best of 15 rounds taking turns
(2026-11-30, x86_64, 2 cores, Python 3.11.7, a shared machine):

    unrolled filler   80 ms      loop over the fields (`_looped`)   139 ms      the class itself   154 ms

A plain loop costs about 60 ms more at every start (the start goal is 1.5 s), so the seven
short functions stay.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable


def _unrolled_3(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2 = setters

    def build(v0, v1, v2):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        return o

    return build


def _unrolled_4(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2, s3 = setters

    def build(v0, v1, v2, v3):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        s3(o, v3)
        return o

    return build


def _unrolled_5(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2, s3, s4 = setters

    def build(v0, v1, v2, v3, v4):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        s3(o, v3)
        s4(o, v4)
        return o

    return build


def _unrolled_6(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2, s3, s4, s5 = setters

    def build(v0, v1, v2, v3, v4, v5):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        s3(o, v3)
        s4(o, v4)
        s5(o, v5)
        return o

    return build


def _unrolled_7(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2, s3, s4, s5, s6 = setters

    def build(v0, v1, v2, v3, v4, v5, v6):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        s3(o, v3)
        s4(o, v4)
        s5(o, v5)
        s6(o, v6)
        return o

    return build


def _unrolled_10(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 = setters

    def build(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        s3(o, v3)
        s4(o, v4)
        s5(o, v5)
        s6(o, v6)
        s7(o, v7)
        s8(o, v8)
        s9(o, v9)
        return o

    return build


def _unrolled_12(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11 = setters

    def build(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11):
        o = new(cls)
        s0(o, v0)
        s1(o, v1)
        s2(o, v2)
        s3(o, v3)
        s4(o, v4)
        s5(o, v5)
        s6(o, v6)
        s7(o, v7)
        s8(o, v8)
        s9(o, v9)
        s10(o, v10)
        s11(o, v11)
        return o

    return build


_UNROLLED: dict[int, Callable[[Any, type, tuple], Callable[..., Any]]] = {
    3: _unrolled_3,
    4: _unrolled_4,
    5: _unrolled_5,
    6: _unrolled_6,
    7: _unrolled_7,
    10: _unrolled_10,
    12: _unrolled_12,
}


def _looped(new: Any, cls: type, setters: tuple) -> Callable[..., Any]:
    def build(*values: Any) -> Any:
        o = new(cls)
        for s, v in zip(setters, values):
            s(o, v)
        return o

    return build


def builder(cls: type) -> Callable[..., Any]:
    fields = [f.name for f in dataclasses.fields(cls)]
    slots = getattr(cls, "__slots__", ())
    if hasattr(cls, "__post_init__") or tuple(slots) != tuple(fields):
        return cls
    setters = tuple(getattr(cls, name).__set__ for name in fields)
    fast = _UNROLLED.get(len(fields), _looped)(object.__new__, cls, setters)

    def build(*values: Any) -> Any:
        if len(values) != len(fields):
            return cls(*values)
        return fast(*values)

    build.__name__ = f"build_{cls.__name__}"
    build.fast = fast  # type: ignore[attr-defined]  # every field, positionally: no count check
    return build


def fast_builder(cls: type) -> Callable[..., Any]:
    """Like `builder`, but takes exactly every field (a TypeError otherwise, as a call with a
    wrong number of arguments would raise): no count check, for the hot loops of loading."""
    build = builder(cls)
    return getattr(build, "fast", build)
