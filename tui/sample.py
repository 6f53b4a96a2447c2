"""Where the shipped sample story is: the folder of the `claimdesk.sample_data` package.

It is a namespace package (text files, no __init__.py), and `importlib.resources.files()`
fails on those in editable installs, so the folder is taken from the import system's search
locations: the first one that is a real folder holding the articles.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = "claimdesk.sample_data"


class SampleMissing(Exception):
    """This installation has no sample story."""


def sample_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    for entry in (spec.submodule_search_locations or []) if spec is not None else []:
        folder = Path(entry)
        if folder.is_dir() and not folder.is_symlink() and any(folder.glob("*.txt")):
            return folder
    raise SampleMissing(f"{PACKAGE}: the sample story is not installed with this claimdesk")
