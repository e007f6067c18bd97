"""Pure domain: value types, state machines and rules with no storage or I/O."""
