"""Building many frozen data-class objects fast (loading 50,000 claims and judgements).

A frozen, slotted data class sets each field in `__init__` through `object.__setattr__`; for
hundreds of thousands of objects that is most of the load time. `builder(cls)` returns a
function that takes the fields positionally and fills the slots directly, about twice as fast.
It is only used for a class without `__post_init__` (no validation is skipped), and only when
every field is given; anything else goes through the class itself.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable


def builder(cls: type) -> Callable[..., Any]:
    fields = [f.name for f in dataclasses.fields(cls)]
    slots = getattr(cls, "__slots__", ())
    if hasattr(cls, "__post_init__") or tuple(slots) != tuple(fields):
        return cls
    # an unrolled function (no loop over the fields): the fastest pure-Python way to fill slots
    names = [f"v{i}" for i in range(len(fields))]
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    body = [f"def build_{cls.__name__}({', '.join(names)}):", "    obj = _new(_cls)"]
    for i, name in enumerate(fields):
        env[f"_set{i}"] = getattr(cls, name).__set__
        body.append(f"    _set{i}(obj, v{i})")
    body.append("    return obj")
    exec("\n".join(body), env)  # noqa: S102 - code made here from field positions only
    fast = env[f"build_{cls.__name__}"]

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
