"""`oms associates`: add people who sign in on the store app, list them, lift a lockout.

Until the app has a manager screen for this, a store's first people are added here (the command
line acts as the system, which may create managers).
"""

from __future__ import annotations

import argparse

from app.cli.context import add_database_option, open_database
from app.cli.output import print_table


def register(commands: argparse._SubParsersAction) -> None:
    people = commands.add_parser("associates", help="people who sign in on the store app")
    actions = people.add_subparsers(title="actions", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an associate or manager with a PIN")
    add_database_option(add)
    add.add_argument("id", metavar="ID", help="badge number or login (1-32 characters)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=["associate", "manager"], default="associate")
    add.add_argument("--pin", required=True, help="4 to 8 digits")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="list the people who may sign in")
    add_database_option(listing)
    listing.set_defaults(run=run_list)

    unlock = actions.add_parser("unlock", help="lift a lockout after too many wrong PINs")
    add_database_option(unlock)
    unlock.add_argument("id", metavar="ID")
    unlock.set_defaults(run=run_unlock)


def run_add(args: argparse.Namespace) -> int:
    from core.services.associates import create_associate
    from core.services.orders import SYSTEM

    with open_database(args).transaction() as session:
        card = create_associate(session, args.id, args.name, args.role, args.pin, by=SYSTEM)
    print(f"Added {card.name} ({card.role.value}, id {card.associate_id}).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from core.services.associates import list_associates

    with open_database(args).transaction() as session:
        cards = list_associates(session)
    rows = [(c.associate_id, c.name, c.role.value, c.locked_until or "") for c in cards]
    print_table(["id", "name", "role", "locked until"], rows)
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    from core.services.associates import unlock_associate
    from core.services.orders import SYSTEM

    with open_database(args).transaction() as session:
        unlock_associate(session, args.id, by=SYSTEM)
    print(f"Unlocked {args.id}.")
    return 0
