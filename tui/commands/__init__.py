"""One module per group of `claimdesk` sub-commands (see `tui.cli`)."""
