"""Pickup: find the customer's order, verify who is collecting, scan everything out, take the
signature, and put back what was never collected.

The screen owns the operations (`ui.ops`); its pages only display and gather input. Scans go to
the page in front: on any page a pickup QR opens and verifies that order at once (a QR from
another store or for an order already collected is refused in words, nothing recorded); during a
handover each bag or item is scanned out (a stranger to the order is refused, nothing recorded);
on the restock list a product or task label puts units back on sale.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from core.domain.associates import SignedIn
from core.domain.handover import HandoverPlan, LeftLine
from core.domain.pickup import QR_PREFIX
from core.domain.pickup_desk import HandoverResult, HandoverScan, PickupCard, VerifyOutcome
from core.domain.return_desk import TaskProgress
from ui.later import BuiltLater, Part
from ui.ops import OpRunner, person_message
from ui.pickup_ports import IdCheck, PickupServices
from ui.scan_panel import ScanAnswer, scan_footer
from ui.screens.pickup_done import DonePanel
from ui.screens.pickup_finish import FinishPanel
from ui.screens.pickup_handover import HandoverPanel
from ui.screens.pickup_restock import RestockList
from ui.screens.pickup_search import PickupSearch, day_text
from ui.screens.pickup_settings import PickupSettingsPage
from ui.screens.pickup_verify import UnlockPanel, VerifyPanel
from ui.sounds import ScanSounds
from ui.touch import SPACING, touch_size

CHANGES = ("pickups", "fulfilments", "stock", "outbox")
W = TypeVar("W", bound=QWidget)


def card_subtitle(card: PickupCard) -> str:
    items = f"{card.units} item{'s' if card.units != 1 else ''}"
    bags = f"{card.bags} bag{'s' if card.bags != 1 else ''}"
    proxy = f" · may be collected by {card.proxy_name}" if card.proxy_name else ""
    return f"Shelf {card.shelf} · {items} · {bags} · keep until {day_text(card.claim_by)}{proxy}"


class PickupScreen(QWidget):
    def __init__(
        self,
        ops: OpRunner,
        services: PickupServices,
        sounds: ScanSounds | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.services = ops, services
        self.person: SignedIn | None = None
        self.card: PickupCard | None = None
        self.plan: HandoverPlan | None = None
        self.collector = ""
        self.result: HandoverResult | None = None
        self._generation = 0
        self.search = PickupSearch()
        self.search.query.connect(self.run_search)
        self.search.chosen.connect(self.open_pickup)
        self.search.restock.connect(self.show_restock)
        self.search.settings.connect(self.show_settings)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.search)  # the other pages join when built (`build_later`)
        self.banner, self.entry = scan_footer(
            self,
            self.pages,
            sounds,
            "Type a barcode, bag label or task label",
            lambda c: self.handle_scan(c, None),
        )
        ops.changed.connect(self._changed)

    # ------------------------------------------------------------------ parts built after the search
    # The search page is what opens; each other page or step is built on its first use, or on a
    # turn of its own after the search shows (`ui.later`).
    detail: BuiltLater[QWidget] = BuiltLater("_build_detail")
    steps: BuiltLater[QStackedWidget] = BuiltLater("_build_detail")
    back_button: BuiltLater[QPushButton] = BuiltLater("_build_detail")
    title: BuiltLater[QLabel] = BuiltLater("_build_detail")
    subtitle: BuiltLater[QLabel] = BuiltLater("_build_detail")
    verify: BuiltLater[VerifyPanel] = BuiltLater("_build_verify")
    unlock: BuiltLater[UnlockPanel] = BuiltLater("_build_unlock")
    handover: BuiltLater[HandoverPanel] = BuiltLater("_build_handover")
    finish: BuiltLater[FinishPanel] = BuiltLater("_build_finish")
    done: BuiltLater[DonePanel] = BuiltLater("_build_done")
    restock: BuiltLater[RestockList] = BuiltLater("_build_restock")
    settings: BuiltLater[PickupSettingsPage] = BuiltLater("_build_settings")

    def build_later(self) -> list[Part]:
        names = ("detail", "verify", "unlock", "handover", "finish", "done", "restock", "settings")
        return [partial(getattr, self, name) for name in names]

    def _is(self, name: str, widget: QWidget | None) -> bool:
        """Is `widget` the part `name`? (Without building it: one not built yet is not on show.)"""
        part: BuiltLater[QWidget] = getattr(PickupScreen, name)
        return part.built(self) and getattr(self, name) is widget

    def _build_detail(self) -> None:
        self.back_button = touch_size(QPushButton("← Pickups"), width=160)
        self.back_button.clicked.connect(self.show_search)
        self.title = QLabel("")
        self.title.setProperty("kind", "subtitle")
        self.subtitle = QLabel("")
        self.subtitle.setProperty("kind", "hint")
        self.subtitle.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(self.back_button)
        top.addLayout(heading, 1)
        self.steps = QStackedWidget()
        self.detail = QWidget()
        detail = QVBoxLayout(self.detail)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.setSpacing(SPACING)
        detail.addLayout(top)
        detail.addWidget(self.steps, 1)
        self.pages.addWidget(self.detail)

    @staticmethod
    def _join(stack: QStackedWidget, page: W, **slots: Callable[..., object]) -> W:
        """`page` added to `stack`, each signal named connected to its slot."""
        for signal, slot in slots.items():
            getattr(page, signal).connect(slot)
        stack.addWidget(page)
        return page

    def _build_verify(self) -> None:
        self.verify = self._join(
            self.steps,
            VerifyPanel(),
            code_entered=self.verify_code,
            id_checked=self.verify_id,
            proxy_named=self.name_proxy,
            reissue=self.reissue_code,
        )

    def _build_unlock(self) -> None:
        self.unlock = self._join(self.steps, UnlockPanel(), unlock=self.unlock_pickup)

    def _build_handover(self) -> None:
        self.handover = self._join(self.steps, HandoverPanel(), finish=self.show_finish)

    def _build_finish(self) -> None:
        self.finish = self._join(self.steps, FinishPanel(), complete=self.complete, refused=self._say_error)
        self.finish.back_button.clicked.connect(lambda: self.steps.setCurrentWidget(self.handover))

    def _build_done(self) -> None:
        self.done = self._join(self.steps, DonePanel(), next_customer=self.show_search)

    def _build_restock(self) -> None:
        self.restock = self._join(self.pages, RestockList(), back=self.show_search)

    def _build_settings(self) -> None:
        settings = PickupSettingsPage(self.ops, self.services, self.banner.show_answer)
        self.settings = self._join(self.pages, settings, back=self.show_search)

    def _say_error(self, text: str) -> None:
        self.banner.show_answer(ScanAnswer("error", text))

    # ------------------------------------------------------------------ pages

    @property
    def step(self) -> str:
        """Where the screen is: search, restock, settings, verify, unlock, handover, finish or done."""
        page = self.pages.currentWidget()
        if not self._is("detail", page):
            return next((name for name in ("restock", "settings") if self._is(name, page)), "search")
        step = self.steps.currentWidget()
        return next(
            (name for name in ("verify", "unlock", "handover", "finish") if self._is(name, step)), "done"
        )

    def set_person(self, person: SignedIn | None) -> None:
        self.person = person
        self.card = None
        self.search.show_manager_tools(person is not None and person.is_manager)
        self.pages.setCurrentWidget(self.search)

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        if self.step == "search":
            self.refresh()

    def _changed(self, tags: frozenset[str]) -> None:
        if "pickups" in tags and self.step == "search" and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.run_search(self.search.field.text().strip())
        self.ops.run(self.services.restock_tasks(), lambda tasks: self.search.set_restock_count(len(tasks)))

    def run_search(self, text: str) -> None:
        """Waiting pickups for an empty box, else the best matches; older answers are dropped."""
        self._generation += 1
        generation = self._generation
        call = self.services.find(text) if len(text) >= 2 else self.services.waiting()

        def show(cards: list[PickupCard]) -> None:
            if generation != self._generation:
                return
            if len(text) < 2:
                summary = (
                    f"{len(cards)} order{'s' if len(cards) != 1 else ''} waiting, oldest first. "
                    "Scan the customer's QR code, or search."
                    if cards
                    else "No order is waiting for pickup."
                )
            else:
                summary = f"{len(cards)} match{'es' if len(cards) != 1 else ''} for “{text}”, best first."
            self.search.show_cards(cards, summary)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.search.show_cards([], person_message(exc))

        self.ops.run(call, show, failed)

    def show_search(self) -> None:
        self.card = None
        self.pages.setCurrentWidget(self.search)
        self.refresh()

    def show_restock(self) -> None:
        self.pages.setCurrentWidget(self.restock)
        self.ops.run(self.services.restock_tasks(), self.restock.show_tasks, self._failed)
        self.banner.show_answer(
            ScanAnswer("idle", "Scan each unit's barcode, or a task label, as it goes back on the shelf."),
            sound=False,
        )

    def show_settings(self) -> None:
        self.pages.setCurrentWidget(self.settings)
        self.settings.open(self.person)

    def open_pickup(self, pickup_id: str, *, then_handover: bool = False) -> None:
        """The pickup's card on its verify step; verified already (a QR code), straight to the handover.

        The handover then shows, card and all, only once its plan is read: showing the verify step
        meanwhile would lay out and paint a page nobody reads while the database thread works.
        """

        def shown(card: PickupCard) -> None:
            if then_handover:
                self._start_handover(card)
            else:
                self._show_card(card)

        self.ops.run(self.services.card(pickup_id), shown, self._failed)

    def _set_card(self, card: PickupCard) -> None:
        self.card = card
        self.title.setText(f"Order {card.order_id} · {card.customer_name}")
        self.subtitle.setText(card_subtitle(card))
        self.pages.setCurrentWidget(self.detail)

    def _show_card(self, card: PickupCard) -> None:
        self._set_card(card)
        if card.locked:
            self.unlock.reset()
            self.steps.setCurrentWidget(self.unlock)
            self.banner.show_answer(
                ScanAnswer(
                    "warn", f"Order {card.order_id} is locked after 5 wrong codes: a manager must unlock it."
                )
            )
        else:
            self.verify.reset(card.attempts_left, card.proxy_name)
            self.steps.setCurrentWidget(self.verify)
            self.banner.show_answer(
                ScanAnswer(
                    "idle",
                    f"Order {card.order_id}: scan the QR code, or type the pickup code, or check an ID.",
                ),
                sound=False,
            )

    def _failed(self, exc: BaseException) -> None:
        self.banner.show_answer(ScanAnswer("error", person_message(exc)))

    # ------------------------------------------------------------------ verification

    def verify_code(self, code: str) -> None:
        if self.card is None or self.person is None:
            return
        self.collector = self.card.customer_name
        self.ops.run(
            self.services.verify_code(self.person, self.card.pickup_id, code),
            self._verified,
            self._failed,
            changes=("pickups",),
        )

    def verify_id(self, check: IdCheck) -> None:
        if self.card is None or self.person is None:
            return
        self.collector = " ".join(check.holder_name.split())  # as the service records it
        self.ops.run(
            self.services.verify_id(self.person, self.card.pickup_id, check),
            self._verified,
            self._failed,
            changes=("pickups",),
        )

    def verify_qr(self, payload: str) -> None:
        if self.person is None:
            return

        def verified(outcome: VerifyOutcome) -> None:
            if outcome.ok:
                self.banner.show_answer(ScanAnswer("ok", f"QR code accepted: {outcome.message}."))
                self.open_pickup(outcome.pickup_id, then_handover=True)
            else:
                self.banner.show_answer(ScanAnswer("error", outcome.message))
                self.open_pickup(outcome.pickup_id)

        self.collector = ""
        self.ops.run(
            self.services.verify_qr(self.person, payload), verified, self._failed, changes=("pickups",)
        )

    def _verified(self, outcome: VerifyOutcome) -> None:
        if outcome.ok:
            self.banner.show_answer(
                ScanAnswer("ok", f"Verified: {outcome.message}. Now scan the bags and items.")
            )
            self._start_handover()
            return
        self.banner.show_answer(ScanAnswer("error", outcome.message))
        if outcome.locked:
            self.unlock.reset()
            self.steps.setCurrentWidget(self.unlock)
        else:
            self.verify.set_attempts(outcome.attempts_left)

    def name_proxy(self, name: str) -> None:
        if self.card is None or self.person is None:
            return
        pickup_id = self.card.pickup_id

        def named(_none: None) -> None:
            who = f"{name} may now collect with their own photo ID" if name else "No proxy is named now"
            self.banner.show_answer(ScanAnswer("ok", f"{who}."))
            self.ops.run(self.services.card(pickup_id), self._refresh_card, self._failed)

        self.ops.run(
            self.services.name_proxy(self.person, pickup_id, name), named, self._failed, changes=("pickups",)
        )

    def reissue_code(self) -> None:
        if self.card is None or self.person is None:
            return
        card = self.card
        to = card.customer_email or "the customer (no e-mail address on the order: it will not be sent)"

        def sent(_none: None) -> None:
            self.banner.show_answer(
                ScanAnswer(
                    "ok",
                    f"A new code and QR code for order {card.order_id} are on their way to {to}; the old ones no longer work.",
                )
            )

        self.ops.run(
            self.services.reissue_code(self.person, card.pickup_id), sent, self._failed, changes=("pickups",)
        )

    def _refresh_card(self, card: PickupCard) -> None:
        if self.card is not None and self.card.pickup_id == card.pickup_id:
            self.card = card
            self.subtitle.setText(card_subtitle(card))

    def unlock_pickup(self, manager_id: str, pin: str) -> None:
        if self.card is None or self.person is None:
            return

        def answered(outcome: VerifyOutcome) -> None:
            if not outcome.ok:
                self.banner.show_answer(ScanAnswer("error", outcome.message))
                return
            self.banner.show_answer(ScanAnswer("ok", f"{outcome.message}. Verify the customer again."))
            assert self.card is not None
            self.open_pickup(self.card.pickup_id)

        self.ops.run(
            self.services.unlock(self.person, self.card.pickup_id, manager_id, pin),
            answered,
            self._failed,
            changes=("pickups",),
        )

    # ------------------------------------------------------------------ handover

    def _start_handover(self, opening: PickupCard | None = None) -> None:
        """The handover step of the card on show, or of `opening`, shown with it when ready."""
        card = opening or self.card
        if card is None:
            return

        def planned(plan: HandoverPlan) -> None:
            def resumed(progress: tuple[dict[str, int], tuple[int, ...]]) -> None:
                if opening is not None:
                    self._set_card(opening)
                self.plan = plan
                self.handover.show_plan(plan, *progress)
                self.steps.setCurrentWidget(self.handover)

            self.ops.run(self.services.progress(card.pickup_id), resumed, self._failed)

        self.ops.run(self.services.plan(card.pickup_id), planned, self._failed)

    def _scan_out(self, code: str) -> None:
        if self.card is None or self.person is None:
            return

        def counted(scan: HandoverScan) -> None:
            self.handover.scanned(scan.units_scanned, scan.bags_scanned)
            done = " Everything is scanned: next, the signature." if self.handover.complete else ""
            self.banner.show_answer(ScanAnswer("ok", f"Scanned {scan.message}.{done}"))

        def refused(exc: BaseException) -> None:
            text = person_message(exc)
            self.handover.refuse(text)
            self.banner.show_answer(ScanAnswer("error", f"{text}. Nothing was recorded."))

        self.ops.run(self.services.scan(self.person, self.card.pickup_id, code), counted, refused)

    def show_finish(self) -> None:
        if self.plan is None or self.card is None:
            return
        self.finish.show_plan(self.plan, self.collector or self.card.customer_name)
        self.steps.setCurrentWidget(self.finish)
        self.banner.show_answer(
            ScanAnswer(
                "idle", "The customer signs; mark anything that stays behind, then Complete handover."
            ),
            sound=False,
        )

    def complete(self, signature: bytes, left: list[LeftLine], outcome: str) -> None:
        if self.card is None or self.person is None:
            return

        def completed(result: HandoverResult) -> None:
            self.result = result
            names = {item.sku: item.name for item in self.plan.items} if self.plan else {}
            self.done.show_result(
                result, self.collector or (self.card.customer_name if self.card else ""), names
            )
            self.steps.setCurrentWidget(self.done)
            self.banner.show_answer(ScanAnswer("ok", f"Order {result.order_id}: handover recorded."))

        self.ops.run(
            self.services.complete(self.person, self.card.pickup_id, signature, left, outcome),
            completed,
            self._failed,
            changes=CHANGES,
        )

    # ------------------------------------------------------------------ scans

    def handle_scan(self, code: str, suffix: str | None) -> None:
        code = code.strip()
        if code.startswith(f"{QR_PREFIX}."):
            self.verify_qr(code)
            return
        step = self.step
        if step == "handover":
            self._scan_out(code)
        elif step == "restock":
            self._restock(code)
        elif step == "search":
            self.search.field.setText(code)  # an order number on a receipt: searched after the pause
            self.banner.show_answer(ScanAnswer("warn", f"Searching for {code}: tap the order to open it."))
        elif step == "finish":
            self.banner.show_answer(
                ScanAnswer(
                    "warn", f"{code}: go back to scanning (← Scanning) to scan more. Nothing was recorded."
                )
            )
        else:
            self.banner.show_answer(
                ScanAnswer(
                    "warn",
                    f"{code}: verify the customer first (their QR code, pickup code or ID). Nothing was recorded.",
                )
            )

    def _restock(self, code: str) -> None:
        if self.person is None:
            return

        def put_back(progress: TaskProgress) -> None:
            self.banner.show_answer(ScanAnswer("ok", progress.message))
            self.ops.run(self.services.restock_tasks(), self.restock.show_tasks, self._failed)

        self.ops.run(
            self.services.scan_restock(self.person, code), put_back, self._failed, changes=("stock", "outbox")
        )
