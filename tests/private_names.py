"""Find uses of another library's private names in the project's code (for test_architecture).

A name is private when it starts with one underscore (dunders like `__init__` are not). Three
kinds of use are reported, each as "path:line: what":

1. importing a private module or name of another package: `from rich._wrap import divide_line`,
   `import textual._compositor`, `from textual.app import _something`;
2. reading or writing `x._name` where `_name` is defined nowhere in the project (no def, class,
   assignment or parameter of ours has that name): `screen._compositor`, `app._notifications`;
3. a class of ours that defines or touches (`self._name`) a private name that one of its
   classes from another library already has: overriding `Widget._size_updated`, setting
   OptionList's `_line_cache`, reading `self._vertical_scrollbar` (found at run time from the
   classes' MRO and the other library's source).

Allowed: documented public API that happens to start with an underscore (`os._exit`, the
namedtuple methods `_replace`, `_asdict`, `_fields`, `_make`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import textwrap
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

# documented public API whose names start with an underscore
ALLOWED_ATTRIBUTES = {
    ("os", "_exit"),  # os._exit: "exit the process without calling cleanup handlers"
}
ALLOWED_NAMES = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}  # namedtuple's


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name != "_"


def python_files(root: Path, folders: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        files += sorted(p for p in (root / folder).rglob("*.py") if ".venv" not in p.parts and ".work" not in p.parts)
    return files


def own_top_level_names(root: Path, folders: Iterable[str]) -> set[str]:
    """Module names that are ours: the package, its folders, and every module of ours run as a
    top-level module (the tests' helpers, `bench`)."""
    names = {"claimdesk", *folders}
    for path in python_files(root, folders):
        names.add(path.stem)
    return names


def defined_private_names(trees: Iterable[ast.AST]) -> set[str]:
    """Every private name the project itself defines: functions, classes, assignments (to
    names or attributes), parameters, imports' aliases."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Store):
                names.add(node.id if isinstance(node, ast.Name) else node.attr)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
    return {n for n in names if is_private(n)}


def _private_import(module: str, own: set[str]) -> bool:
    parts = module.split(".")
    return parts[0] not in own and any(is_private(p) for p in parts)


def static_findings(root: Path, folders: Iterable[str]) -> list[str]:
    """Kinds 1 and 2 above, from the source alone."""
    folders = list(folders)
    own = own_top_level_names(root, folders)
    files = python_files(root, folders)
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in files}
    ours = defined_private_names(trees.values())
    found: list[str] = []
    for path, tree in trees.items():
        where = path.relative_to(root)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if _private_import(alias.name, own):
                        found.append(f"{where}:{node.lineno}: import {alias.name}")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] in own:
                    continue
                if _private_import(node.module, own):
                    found.append(f"{where}:{node.lineno}: from {node.module} import …")
                for alias in node.names:
                    if is_private(alias.name):
                        found.append(f"{where}:{node.lineno}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Attribute) and is_private(node.attr):
                if node.attr in ours or node.attr in ALLOWED_NAMES:
                    continue
                owner = node.value.id if isinstance(node.value, ast.Name) else ""
                if (owner, node.attr) in ALLOWED_ATTRIBUTES:
                    continue
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)} (no {node.attr} of ours)")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                "getattr", "setattr", "hasattr", "delattr"
            ):
                # getattr(widget, "_private") is the same access spelt as a string
                if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                    name = node.args[1].value
                    if isinstance(name, str) and is_private(name) and name not in ours:
                        found.append(f"{where}:{node.lineno}: {ast.unparse(node)} (no {name} of ours)")
    return found


# ------------------------------------------------------------------ kind 3: subclasses


@cache
def _names_in_source(module_name: str) -> frozenset[str]:
    """Private names a module of another library defines or sets on `self` (its classes'
    instance attributes, which no dir() shows)."""
    module = sys.modules.get(module_name)
    try:
        source = inspect.getsource(module) if module is not None else ""
    except (OSError, TypeError):
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):  # methods and class attributes
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(item.name)
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    for target in item.targets if isinstance(item, ast.Assign) else [item.target]:
                        if isinstance(target, ast.Name):
                            names.add(target.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
              and isinstance(node.value, ast.Name) and node.value.id == "self"):
            names.add(node.attr)  # instance attributes
    return frozenset(n for n in names if is_private(n))


def _foreign_private_names(cls: type, own_prefixes: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        module = base.__module__ or ""
        if module.startswith(own_prefixes) or module == "builtins":
            continue
        names.update(n for n in vars(base) if is_private(n))
        names.update(_names_in_source(module))
    return names


def _class_private_uses(cls: type) -> Iterator[tuple[int, str]]:
    """(line, name) of private names the class body defines, or uses as `self._name`."""
    try:
        source, first = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return
    tree = ast.parse(textwrap.dedent("".join(source)))
    cls_node = tree.body[0]
    for node in cls_node.body:  # type: ignore[attr-defined]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and is_private(node.name):
            yield first + node.lineno - 1, node.name
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and is_private(target.id):
                    yield first + node.lineno - 1, target.id
    for node in ast.walk(cls_node):
        if (isinstance(node, ast.Attribute) and is_private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")):
            yield first + node.lineno - 1, node.attr


def subclass_findings(module_names: Iterable[str], own_prefixes: tuple[str, ...]) -> list[str]:
    """Kind 3 above: import the modules, look at every class they define."""
    found: list[str] = []
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            foreign = _foreign_private_names(cls, own_prefixes)
            if not foreign:
                continue
            seen: set[str] = set()
            for line, name in _class_private_uses(cls):
                if name in foreign and name not in seen and name not in ALLOWED_NAMES:
                    seen.add(name)
                    found.append(f"{module_name}.{cls.__qualname__}:{line}: {name} belongs to a base class "
                                 "from another library")
    return found
