"""The Store OMS engine shared by the hub and the store app.

`core.domain` holds pure value types and rules, `core.storage` the database, `core.services` the
use cases that the command line, the hub and the tablet app all call.
"""
