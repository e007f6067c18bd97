"""Which plan an order gets: its single-location plans, the proof that one of them is best, and
otherwise the branch and bound; in compiled loops where they can run, else in Python."""

from __future__ import annotations

from core.routing.problem import Problem
from core.routing.search import Outcome, branch_and_bound
from core.routing.single import seed, single_location_is_optimal
from core.routing.whole_search import settle_whole

# The compiled loops check the quote table for every weight some bundles make together: 2 ** 12
# of them at most. Larger orders (rare, and mostly past the exact search's size) keep Python's.
MAX_COMPILED_BUNDLES = 12


def settle(p: Problem, out: Outcome, search: bool) -> None:
    """Offer every single-location plan and, with `search`, search unless one is proven best."""
    if (
        p.priced_by_lanes
        and len(p.bundles) <= MAX_COMPILED_BUNDLES
        and not any(bd.splittable for bd in p.bundles)
    ):
        settle_whole(p, out, search)
    else:
        settle_in_python(p, out, search)


def settle_in_python(p: Problem, out: Outcome, search: bool) -> None:
    seed(p, out)
    # No location can take any bundle (a pickup store out of stock): there is nothing to search.
    if search and any(b.options for b in p.bundles) and not single_location_is_optimal(p, out.best):
        branch_and_bound(p, out)
