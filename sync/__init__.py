"""Sync between stores and the hub: wire protocol, store client, hub application."""
