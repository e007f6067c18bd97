"""The `oms` command: one subcommand module per area, all calling `core.services`."""
