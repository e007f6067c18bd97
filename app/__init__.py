"""Composition root: the `oms` command, settings and bootstrap. Nothing imports it."""
