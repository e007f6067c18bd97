"""Use cases: each function is one unit of work on a `Session` that the caller commits.

The command line, the hub and the tablet app call these and nothing below them, so a rule is
enforced once whichever door the request came through.
"""
