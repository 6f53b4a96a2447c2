"""`claimdesk completion bash|zsh|fish|tcsh`: the shell completion script, made by shtab from
this command's own argument parser (so it always matches the installed version).

Install (one command each; the README says the same):
    bash:  claimdesk completion bash > ~/.local/share/bash-completion/completions/claimdesk
    zsh:   claimdesk completion zsh > "${fpath[1]}/_claimdesk"   (or any folder on $fpath)
    fish:  claimdesk completion fish > ~/.config/fish/completions/claimdesk.fish
"""

from __future__ import annotations

import argparse
import sys
from claimdesk.tui.commands.common import Subcommands

SHELLS = ("bash", "zsh", "fish", "tcsh")
INSTALL = {
    "bash": "claimdesk completion bash > ~/.local/share/bash-completion/completions/claimdesk",
    "zsh": 'claimdesk completion zsh > "${fpath[1]}/_claimdesk"',
    "fish": "claimdesk completion fish > ~/.config/fish/completions/claimdesk.fish",
    "tcsh": "claimdesk completion tcsh >> ~/.tcshrc",
}


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "completion",
        help="print the shell completion script for bash, zsh or fish",
        description="Print a completion script for your shell (made by shtab). Install it with:\n  "
                    + "\n  ".join(INSTALL[s] for s in SHELLS[:3]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help=" | ".join(SHELLS))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import shtab

    from claimdesk.tui import cli
    from claimdesk.tui.commands import common

    common.PATH_COMPLETION.update(dir=shtab.DIRECTORY, file=shtab.FILE)  # --db folders, PATH / -o files
    script = shtab.complete(cli.build_parser(), shell=args.shell)
    try:
        sys.stdout.write(script if script.endswith("\n") else script + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # pragma: no cover - `... | head`
        return 0
    return 0
