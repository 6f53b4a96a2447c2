"""`claimdesk config [--keys] [--path]`: each setting, its value and where it came from.

Sources, strongest first: the flag, the environment variable, the config file, the default
(see `tui.config`). With --keys, every binding id of the review screen with its key(s) now,
and a check of the key map (unknown ids, unknown keys, clashes).
"""

from __future__ import annotations

import argparse

from claimdesk.tui.commands.common import add_db_option, add_reviewer_option, console, fail, settings
from claimdesk.tui.config import CONFIG_ENV, ENV, SETTINGS
from claimdesk.tui.commands.common import Subcommands


def register(sub: Subcommands) -> None:
    from claimdesk.tui.commands.review import add_screen_options

    p = sub.add_parser(
        "config",
        help="show your settings (reviewer, database, keys, auto-advance) and where each comes from",
        description="Show each setting's value and its source: a flag, an environment variable "
                    f"({', '.join('$' + v for v in ENV.values())}), the config file (TOML; "
                    f"${CONFIG_ENV} names another), or the default. Flags given here are shown "
                    "as they would apply to the other commands.",
    )
    add_db_option(p)
    add_reviewer_option(p)
    add_screen_options(p)
    p.add_argument("--path", action="store_true", help="print only the config file's path")
    p.add_argument("--list-keys", dest="list_keys", action="store_true",
                   help="list every binding id with its key(s) after your key map")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from claimdesk.tui.commands.demo import demo_db_path
    from claimdesk.tui.config import data_path
    from claimdesk.tui.keys import bindings, check_keymap

    user = settings(args)
    out = console()
    if args.path:
        out.print(str(user.config_file), markup=False)
        return 0
    state = "found" if user.config_found else "not there (all optional; see README)"
    out.print(Text(f"config file: {user.config_file} ({state})"))
    table = Table(box=box.SIMPLE_HEAD)
    for col in ("setting", "value", "from"):
        table.add_column(col)
    for name in SETTINGS:
        v = user.values[name]
        if name == "keys":
            value = "; ".join(f"{i}={k}" for i, k in user.keymap.items()) or "(the defaults)"
        elif name == "auto_advance":
            value = "true" if v.value else "false"
        else:
            value = str(v.value)
        table.add_row(Text(name), Text(value), Text(v.source))
    table.add_row(Text("demo database"), Text(str(demo_db_path())), Text(f"data folder {data_path()}"))
    out.print(table)
    problems = check_keymap(user.keymap, {i: v.source for i, v in user.keys.items()}) if user.keymap else []
    if args.list_keys:
        keys = Table(box=box.SIMPLE_HEAD, title=Text("review screen keys"), title_justify="left")
        for col in ("binding id", "key(s)", "from"):
            keys.add_column(col)
        for ident, default in bindings().items():
            if ident in user.keys:
                keys.add_row(Text(ident), Text(user.keys[ident].value), Text(user.keys[ident].source))
            else:
                keys.add_row(Text(ident), Text(",".join(default)), Text("default"))
        out.print(keys)
    for problem in problems:
        fail(problem)
    return 2 if problems else 0
