"""How pytest-xdist hands out the tests: everything else on every worker, then the screens alone.

The store app's screen tests (`tests/ui/`) fail when the UI thread waits or is kept from its event
loop for long (`tests/ui/conftest.py`), so they must not share the machine with the rest of the suite. They run
last, all on one worker, started only once every other worker has finished; until then the
workers share the other tests, the slowest first (`SLOWEST_FIRST`) so that no worker is left with
a long test at the end while the others wait.

Tests go out a few at a time, consecutive ones of one module together (so a module's fixtures are
mostly made once), and each worker is kept two tests ahead: a worker starts a test only when it
knows the next one (or that there is none), to tear down the fixtures the next one does not share.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

import pytest

SCREENS = "tests/ui/"
CHUNK = 8  # tests of one module sent together

# The longest tests (about 10 s or more each on a two-core machine, the first ones a minute), sent
# first and one at a time. A name that no longer exists only costs a little balance.
SLOWEST_FIRST = (
    "tests/sync/test_client_stateful.py",
    "tests/app/test_app_command.py::test_screenshots_renders_every_screen_offscreen",
    "tests/core/test_ledger_properties.py",
    "tests/sync/test_client_crash.py",
    "tests/sync/test_hub_process.py",
    "tests/sync/test_bench_sync.py",
    "tests/app/test_demo.py",
    "tests/app/test_cli.py::test_the_installed_oms_script_runs",
    "tests/core/routing/test_decision_day.py",
    "tests/core/routing/test_baseline.py",
    "tests/core/routing/test_optimum.py",
    "tests/core/routing/test_planner_fast_paths.py",
    "tests/core/routing/test_planner_optimal.py",
    "tests/app/test_app_exit.py",
)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _rank(nodeid: str) -> int | None:
    for rank, prefix in enumerate(SLOWEST_FIRST):
        if nodeid == prefix or nodeid.startswith((prefix + "::", prefix + "[")):
            return rank
    return None


class PhasedScheduling:
    """An xdist scheduler (`pytest_xdist_make_scheduler`): the other tests spread over the
    workers, then the screens' tests on one worker with the others finished."""

    def __init__(self, config: pytest.Config, log: Any) -> None:
        from xdist.workermanage import parse_tx_spec_config

        self.config = config
        self.log = log.phasedsched
        self.numnodes = len(parse_tx_spec_config(config))
        self.node2collection: dict[Any, list[str]] = {}
        self.node2pending: dict[Any, list[int]] = {}
        self.collection: list[str] | None = None
        self.units: deque[list[int]] = deque()  # the other tests, still to send
        self.screens: list[int] = []  # the screens' tests, still to send
        self.screens_node: Any = None

    # --- the Scheduling protocol --------------------------------------------------------------

    @property
    def nodes(self) -> list[Any]:
        return list(self.node2pending)

    @property
    def collection_is_completed(self) -> bool:
        return len(self.node2collection) >= self.numnodes

    @property
    def tests_finished(self) -> bool:
        if not self.collection_is_completed or self.collection is None:
            return False
        if self.units or self.screens:
            return False
        return all(len(pending) < 2 for pending in self.node2pending.values())

    @property
    def has_pending(self) -> bool:
        return bool(self.units or self.screens or any(self.node2pending.values()))

    def add_node(self, node: Any) -> None:
        assert node not in self.node2pending
        self.node2pending[node] = []

    def add_node_collection(self, node: Any, collection: Sequence[str]) -> None:
        assert node in self.node2pending
        if self.collection is not None and list(collection) != self.collection:
            self.log(f"{node.gateway.id} collected different tests: not used")
            return
        self.node2collection[node] = list(collection)

    def schedule(self) -> None:
        assert self.collection_is_completed
        if self.collection is None:
            collections = list(self.node2collection.values())
            if any(c != collections[0] for c in collections[1:]):
                from xdist.report import report_collection_diff

                nodes = list(self.node2collection)
                for node in nodes[1:]:
                    self.log(
                        report_collection_diff(
                            collections[0],
                            self.node2collection[node],
                            nodes[0].gateway.id,
                            node.gateway.id,
                        )
                    )
                self.log("**Different tests collected, aborting run**")
                return
            self.collection = collections[0]
            self._plan(self.collection)
        for node in self.nodes:
            self.check_schedule(node)

    def mark_test_complete(self, node: Any, item_index: int, duration: float = 0) -> None:
        self.node2pending[node].remove(item_index)
        self.check_schedule(node)
        self._maybe_start_screens()

    def mark_test_pending(self, item: str) -> None:
        assert self.collection is not None
        index = self.collection.index(item)
        if item.startswith(SCREENS):
            self.screens.insert(0, index)
        else:
            self.units.appendleft([index])
        for node in self.nodes:
            self.check_schedule(node)

    def remove_pending_tests_from_node(self, node: Any, indices: Sequence[int]) -> None:
        raise NotImplementedError

    def remove_node(self, node: Any) -> str | None:
        pending = self.node2pending.pop(node)
        if node is self.screens_node:
            self.screens_node = None
        crashed = None
        if pending:  # the worker died: what it had not finished goes to the others
            assert self.collection is not None
            crashed = self.collection[pending.pop(0)]
            for index in reversed(pending):
                if self.collection[index].startswith(SCREENS):
                    self.screens.insert(0, index)
                else:
                    self.units.appendleft([index])
        for other in self.nodes:
            self.check_schedule(other)
        self._maybe_start_screens()
        return crashed

    def check_schedule(self, node: Any, duration: float = 0) -> None:
        if node.shutting_down or self.collection is None:
            return
        pending = self.node2pending[node]
        while self.units and len(pending) < 2:
            self._send(node, self.units.popleft())
        if self.units or len(pending) >= 2:
            return
        # Nothing else left to send: the screens' worker waits (holding its last test, if any)
        # until every other worker is done; every other worker may finish.
        if self.screens and self.screens_node in (None, node):
            self.screens_node = node
            self._maybe_start_screens()
        else:
            node.shutdown()

    # --- the plan -----------------------------------------------------------------------------

    def _plan(self, collection: list[str]) -> None:
        slow: list[tuple[int, int]] = []
        rest: list[int] = []
        for index, nodeid in enumerate(collection):
            if nodeid.startswith(SCREENS):
                self.screens.append(index)
            elif (rank := _rank(nodeid)) is not None:
                slow.append((rank, index))
            else:
                rest.append(index)
        self.units.extend([index] for _, index in sorted(slow))
        unit: list[int] = []
        for index in rest:
            if unit and (len(unit) >= CHUNK or _module(collection[index]) != _module(collection[unit[0]])):
                self.units.append(unit)
                unit = []
            unit.append(index)
        if unit:
            self.units.append(unit)
        self.log(f"{len(collection) - len(self.screens)} tests spread, {len(self.screens)} screens' last")

    def _maybe_start_screens(self) -> None:
        node = self.screens_node
        if not self.screens or node is None or self.units or node.shutting_down:
            return
        if any(pending for other, pending in self.node2pending.items() if other is not node):
            return  # another worker is still running tests
        self._send(node, self.screens)
        self.screens = []
        node.shutdown()

    def _send(self, node: Any, indices: list[int]) -> None:
        self.node2pending[node].extend(indices)
        node.send_runtest_some(indices)
