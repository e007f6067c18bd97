"""Following a pick walk: which units are in the tote, which were shorted, what comes next.

Pure and in memory, so a scan is answered without touching the database (the answer must come
within 50 ms, and a wrong item must record nothing). Only finishing the walk and confirming a short
pick are written, through the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.picking import PickTask, PickWalk, Portion, ShortLine


@dataclass(frozen=True, slots=True)
class ScanVerdict:
    """The answer to one scan or tap: `outcome` ok/warn/error, in words, and where the unit goes."""

    outcome: str
    text: str
    portion: Portion | None = None


class WalkProgress:
    """Counts per (task, fulfilment); the current task is the first with units still to pick."""

    def __init__(self, walk: PickWalk) -> None:
        self.walk = walk
        self._picked: dict[tuple[int, str], int] = {}
        self._shorted: dict[tuple[int, str], int] = {}
        self._by_code: dict[str, int] = {}
        for index, task in enumerate(walk.tasks):
            for code in task.barcodes:
                self._by_code.setdefault(code, index)
        self._restore(walk.in_totes)

    def _restore(self, in_totes: tuple[tuple[str, str, int], ...]) -> None:
        """Units already in the totes from an earlier session of this walk, within what is still due."""
        index_of = {task.sku: index for index, task in enumerate(self.walk.tasks)}
        for fulfilment_id, sku, units in in_totes:
            index = index_of.get(sku)
            if index is not None and units > 0:
                due = self.remaining(index, fulfilment_id)
                if due > 0:
                    self._picked[(index, fulfilment_id)] = min(units, due)

    # ------------------------------------------------------------------ reading
    def picked(self, index: int, fulfilment_id: str | None = None) -> int:
        return self._sum(self._picked, index, fulfilment_id)

    def shorted(self, index: int, fulfilment_id: str | None = None) -> int:
        return self._sum(self._shorted, index, fulfilment_id)

    @staticmethod
    def _sum(counts: dict[tuple[int, str], int], index: int, fulfilment_id: str | None) -> int:
        return sum(q for (i, f), q in counts.items() if i == index and fulfilment_id in (None, f))

    def remaining(self, index: int, fulfilment_id: str | None = None) -> int:
        task = self.walk.tasks[index]
        wanted = sum(p.qty for p in task.portions if fulfilment_id in (None, p.fulfilment_id))
        return wanted - self.picked(index, fulfilment_id) - self.shorted(index, fulfilment_id)

    @property
    def current(self) -> int | None:
        return next((i for i in range(len(self.walk.tasks)) if self.remaining(i) > 0), None)

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def units_done(self) -> int:
        return sum(self._picked.values()) + sum(self._shorted.values())

    @property
    def units_total(self) -> int:
        return sum(t.qty for t in self.walk.tasks)

    def complete_fulfilments(self) -> list[str]:
        """Fulfilments whose every unit is in a tote and at least one was picked: ready to mark picked."""
        done = []
        for fulfilment_id, _order, _badge in self.walk.badges:
            tasks = [
                i
                for i, t in enumerate(self.walk.tasks)
                if any(p.fulfilment_id == fulfilment_id for p in t.portions)
            ]
            if all(self.remaining(i, fulfilment_id) == 0 for i in tasks) and any(
                self.picked(i, fulfilment_id) for i in tasks
            ):
                done.append(fulfilment_id)
        return done

    def picked_units(self, fulfilment_id: str) -> dict[str, int]:
        """SKU → units in this fulfilment's tote (what `finish_walk` checks against the order)."""
        units: dict[str, int] = {}
        for (index, fid), qty in self._picked.items():
            if fid == fulfilment_id and qty:
                sku = self.walk.tasks[index].sku
                units[sku] = units.get(sku, 0) + qty
        return units

    # ------------------------------------------------------------------ acting
    def scan(self, code: str) -> ScanVerdict:
        """A scanned product: one unit of the current task, or a clear refusal that changes nothing."""
        index = self.current
        if index is None:
            return ScanVerdict("warn", "Every item of this walk is done: tap Finish.")
        task = self.walk.tasks[index]
        if code in task.barcodes:
            return self._count(index)
        other = self._by_code.get(code)
        needed = f"This task needs {task.name} ({task.sku}) from bin {task.shelf.label}."
        if other is not None:
            later = self.walk.tasks[other]
            where = (
                "was already picked"
                if self.remaining(other) == 0
                else f"is task {other + 1}, bin {later.shelf.label}"
            )
            return ScanVerdict("error", f"Wrong item: {later.name} ({later.sku}) {where}. {needed}")
        return ScanVerdict("error", f"Wrong item: {code} is not in this walk. Nothing was counted. {needed}")

    def tap(self) -> ScanVerdict:
        """A counted tap for an item without a barcode (if the store allows taps)."""
        index = self.current
        if index is None:
            return ScanVerdict("warn", "Every item of this walk is done: tap Finish.")
        task = self.walk.tasks[index]
        if task.barcodes:
            return ScanVerdict("error", f"{task.name} has a barcode: scan it (or type it) to confirm.")
        if not self.walk.taps_allowed:
            return ScanVerdict(
                "error", "This store does not allow confirming by tap: scan the item or short-pick it."
            )
        return self._count(index)

    def _count(self, index: int) -> ScanVerdict:
        task = self.walk.tasks[index]
        portion = next(p for p in task.portions if self.remaining(index, p.fulfilment_id) > 0)
        key = (index, portion.fulfilment_id)
        self._picked[key] = self._picked.get(key, 0) + 1
        left = self.remaining(index)
        tote = f" into tote {portion.badge} (order {portion.order_id})" if len(self.walk.badges) > 1 else ""
        more = f"{left} more from this bin." if left else "Bin done."
        return ScanVerdict("ok", f"{task.name}: 1 unit{tote}. {more}", portion)

    def short_lines(self, index: int, qty: int) -> list[ShortLine]:
        """Which orders lose `qty` units of task `index`: the latest promise (last badge) first."""
        task: PickTask = self.walk.tasks[index]
        lines: list[ShortLine] = []
        for portion in reversed(task.portions):
            take = min(qty, self.remaining(index, portion.fulfilment_id))
            if take > 0:
                lines.append(ShortLine(portion.fulfilment_id, task.sku, take))
                qty -= take
        return lines

    def record_short(self, index: int, lines: list[ShortLine] | tuple[ShortLine, ...]) -> None:
        """After the service confirmed the short pick: those units are no longer to be picked."""
        for line in lines:
            key = (index, line.fulfilment_id)
            self._shorted[key] = self._shorted.get(key, 0) + line.qty

    def drop_fulfilment(self, fulfilment_id: str) -> None:
        """The hub took a whole fulfilment away mid-walk: nothing more to pick for it."""
        for index, task in enumerate(self.walk.tasks):
            left = self.remaining(index, fulfilment_id)
            if left > 0 and any(p.fulfilment_id == fulfilment_id for p in task.portions):
                self.record_short(index, [ShortLine(fulfilment_id, task.sku, left)])
