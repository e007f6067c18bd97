"""Returns: find the order, choose what comes back, see the refund, record it, hand over the receipt.

The screen owns the operations (`ui.ops`) and hands the paper work to `returns_paper`; its pages only
show and collect. A scan anywhere on the screen looks up a receipt or packing slip (or, on the
receipt-less page, adds the scanned product). Each change of units, reason or condition asks the
service for a fresh quote after a short pause; answers to older questions are dropped by number.
Whatever the policy refuses (a closed window, more units than may come back, a missing manager) is
said in words on the sheet and in the scan banner, and nothing is recorded.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStackedWidget, QWidget

from core.domain.associates import SignedIn
from core.domain.return_desk import (
    OrderHit,
    ReturnableLine,
    ReturnOutcome,
    ReturnReceipt,
    TaskProgress,
    names_a_customer,
)
from core.domain.returns import ReturnQuote
from ui.ops import OpRunner, person_message
from ui.return_words import money
from ui.returns_ports import ReturnsServices
from ui.scan_panel import ManualEntry, ScanAnswer, ScanBanner
from ui.screens.pick_model import if_alive
from ui.screens.returns_done import PREVIEW_WIDTH, DonePage
from ui.screens.returns_find import FindPage
from ui.screens.returns_hub import HubAsker
from ui.screens.returns_inspection import InspectionPage
from ui.screens.returns_line import ReturnLineRow
from ui.screens.returns_paper import ReceiptPaper
from ui.screens.returns_parts import column
from ui.screens.returns_sheet import ManagerApproval, ReturnSheet
from ui.sounds import ScanSounds

CHANGES = ("stock", "outbox", "returns")
QUOTE_PAUSE_MS = 150
NO_MANAGER = (
    "A return without a receipt needs a manager: the manager types their id and PIN. Nothing was recorded."
)


class ReturnsScreen(QWidget):
    def __init__(
        self,
        ops: OpRunner,
        services: ReturnsServices,
        sounds: ScanSounds | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.services = ops, services
        self.person: SignedIn | None = None
        self.order: OrderHit | None = None
        self.lines: list[ReturnableLine] = []  # the order's lines as shown
        self.hub_hits: set[str] = set()  # orders listed from the hub's search, not copied here yet
        self.receipt: ReturnReceipt | None = None
        self.busy = False
        self._asked = 0  # number of the latest quote question
        self.hub = HubAsker(services.fetch_order, services.search_hub, self)
        self.hub.found.connect(self._hub_answered)
        self.hub.searched.connect(self._hub_searched)
        self.hub.failed.connect(self._failed)
        self.hub.updated.connect(self._reload_lines)
        self.find = FindPage()
        self.find.search.connect(lambda text: self.look_up(text, scanned=False))
        self.find.submitted.connect(lambda text: self.look_up(text, scanned=True))
        self.find.chosen.connect(self._choose_hit)
        self.find.no_receipt.connect(self.start_receiptless)
        self.find.inspections.connect(self.show_inspections)
        self.sheet = ReturnSheet("← Find", "Refund")
        self.receiptless = ReturnSheet("← Find", "Approve store credit")
        self.approval = ManagerApproval()
        self.receiptless.quote.extra.addWidget(self.approval)
        for sheet in (self.sheet, self.receiptless):
            sheet.back.connect(self.show_find)
            sheet.choices_changed.connect(self._quote_later)
        self.sheet.quote.confirm.connect(self._record)
        self.receiptless.quote.confirm.connect(self._record_receiptless)
        self.done = DonePage()
        self.done.print_receipt.connect(self.print_receipt)
        self.done.save_pdf.connect(self.save_pdf)
        self.done.next_return.connect(self.show_find)
        self.inspection = InspectionPage()
        self.inspection.back.connect(self.show_find)
        self.inspection.decided.connect(self._resolve)
        self.pages = QStackedWidget()
        for page in (self.find, self.sheet, self.receiptless, self.done, self.inspection):
            self.pages.addWidget(page)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(QUOTE_PAUSE_MS)
        self._pause.timeout.connect(self._ask_quote)
        self.banner = ScanBanner(sounds)
        self.paper = ReceiptPaper(self, services.documents_dir, self.banner.show_answer)
        self.entry = ManualEntry("Type a receipt, order or product code")
        self.entry.submitted.connect(lambda code: self.handle_scan(code, None))
        column(self, self.pages, self.banner, self.entry, stretch=0).setContentsMargins(24, 20, 24, 20)

    # ------------------------------------------------------------------ pages

    @property
    def page(self) -> QWidget:
        return self.pages.currentWidget()

    def set_person(self, person: SignedIn | None) -> None:
        self.person = person
        self.show_find()

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        if self.page is self.find:
            self._count_inspections()

    def show_find(self) -> None:
        self.order, self.receipt = None, None
        self.find.field.clear()
        self.find.show_hits([], "")
        self.pages.setCurrentWidget(self.find)
        self.banner.show_answer(ScanAnswer("idle", "Ready to scan."), sound=False)
        self._count_inspections()

    def _count_inspections(self) -> None:
        self.ops.run(
            self.services.inspections(),
            if_alive(self, lambda tasks: self.find.set_inspections(len(tasks))),
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.banner.show_answer(ScanAnswer("error", person_message(exc)))

    # ------------------------------------------------------------------ scans and finding the order

    def handle_scan(self, code: str, suffix: str | None) -> None:
        if self.page is self.receiptless:
            self._add_item(code)
        elif self.page is self.inspection:
            row = self.inspection.find(code)
            self.banner.show_answer(
                ScanAnswer("ok", f"{row.task.name}: how many are fit to sell? Then Record decision.")
                if row is not None
                else ScanAnswer("error", f"{code}: no returned item waits for inspection under this label.")
            )
        else:
            self.look_up(code, scanned=True)

    def look_up(self, text: str, *, scanned: bool) -> None:
        def found(hits: list[OrderHit]) -> None:
            if not scanned and (self.page is not self.find or self.find.field.text().strip() != text):
                return  # typed words answered after the person moved on (or typed more)
            if scanned and len(hits) == 1:
                self.banner.show_answer(
                    ScanAnswer("ok", f"Order {hits[0].order_id} · {hits[0].customer_name}.")
                )
                self.open_order(hits[0])
                self.hub.refresh(hits[0])  # units other stores took back since it was copied
                return
            if self.page is not self.find:
                self.pages.setCurrentWidget(self.find)
            self.hub_hits = set()
            self.find.show_hits(hits, text)
            if scanned and not hits and self.hub.ask(text):  # not sold here: any channel, any store
                self.banner.show_answer(
                    ScanAnswer("idle", f"{text}: not sold here. Asking the hub…"), sound=False
                )
            elif scanned:
                self.banner.show_answer(
                    ScanAnswer(
                        "error", f"{text}: no order with this receipt or slip code in this store's records."
                    )
                )

        self.ops.run(self.services.find_orders(text), if_alive(self, found), if_alive(self, self._failed))

    def _reload_lines(self, hit: OrderHit) -> None:
        """The hub brought the copy up to date: the lines again, if that changed what may come back."""

        def show(lines: list[ReturnableLine]) -> None:  # operations answer in order: this is the newest
            if self.order is hit and self.page is self.sheet and lines != self.lines:
                self.lines = lines
                self.sheet.show_order_lines(lines)
                self.banner.show_answer(
                    ScanAnswer("warn", "Updated from the hub: units returned at other stores are counted.")
                )

        self.ops.run(
            self.services.returnable(hit.order_id), if_alive(self, show), if_alive(self, self._failed)
        )

    def _hub_answered(self, code: str, hit: OrderHit | None) -> None:
        if self.page is not self.find:
            return  # the person moved on meanwhile
        if hit is None and names_a_customer(code) and self.hub.search(code):  # a name, e-mail or phone
            self.banner.show_answer(ScanAnswer("idle", f"Asking the hub for “{code}”…"), sound=False)
            return
        if hit is None:
            self.banner.show_answer(
                ScanAnswer("error", f"{code}: no order with this receipt or slip code here or at the hub.")
            )
            return
        self.banner.show_answer(
            ScanAnswer("ok", f"Order {hit.order_id} · {hit.customer_name} (from the hub: sold elsewhere).")
        )
        self.open_order(hit)

    def _hub_searched(self, words: str, hits: list[OrderHit]) -> None:
        if self.page is not self.find:
            return
        self.hub_hits = {hit.order_id for hit in hits}
        self.find.show_hits(hits, words)
        self.banner.show_answer(
            ScanAnswer("ok", f"{len(hits)} order(s) sold elsewhere, found at the hub. Tap the customer's.")
            if hits
            else ScanAnswer("error", f"No order matches “{words}” here or at the hub.")
        )

    def _choose_hit(self, order_id: str) -> None:
        hit = next((h for h in self.find.hits if h.order_id == order_id), None)
        if hit is not None and order_id in self.hub_hits:
            self.hub.ask(order_id)  # copied here first, then opened like the store's own
        elif hit is not None:
            self.open_order(hit)
            self.hub.refresh(hit)

    def open_order(self, hit: OrderHit) -> None:
        self.order = hit
        self.sheet.title.setText(f"Order {hit.order_id} · {hit.customer_name}")
        placed = hit.placed_at.astimezone().strftime("%a %d %b %Y")
        self.sheet.subtitle.setText(
            f"{hit.channel.capitalize()} order · placed {placed} · {money(hit.total)}"
        )
        self.sheet.clear_rows()
        self.sheet.quote.say("Loading the order's lines…")
        self.pages.setCurrentWidget(self.sheet)

        def show(lines: list[ReturnableLine]) -> None:
            if self.order is hit:
                self.lines = lines
                self.sheet.show_order_lines(lines)

        self.ops.run(
            self.services.returnable(hit.order_id), if_alive(self, show), if_alive(self, self._failed)
        )

    # ------------------------------------------------------------------ the quote

    def _quote_later(self) -> None:
        self._asked += 1  # a quote on screen no longer matches the choices
        sheet = self.page
        if isinstance(sheet, ReturnSheet):
            sheet.quote.show_quote(None)
        self._pause.start()

    def _ask_quote(self) -> None:
        sheet = self.page
        if not isinstance(sheet, ReturnSheet):
            return
        missing = sheet.missing()
        if missing:
            sheet.quote.say(missing)
            return
        asked = self._asked
        call = (
            self.services.quote(self.order.order_id, self.sheet.order_requests())
            if sheet is self.sheet and self.order is not None
            else self.services.quote_receiptless(self.receiptless.receiptless_items())
        )

        def show(quote: ReturnQuote) -> None:
            if asked == self._asked:
                sheet.quote.show_quote(quote, confirm_text=self._confirm_text(sheet, quote))
                sheet.quote.say("")

        def refused(exc: BaseException) -> None:
            if asked == self._asked:
                sheet.quote.say(person_message(exc), "error")

        self.ops.run(call, if_alive(self, show), if_alive(self, refused))

    def _confirm_text(self, sheet: ReturnSheet, quote: ReturnQuote) -> str:
        if sheet is self.receiptless:
            return f"Approve {money(quote.total)} credit"
        return f"Refund {money(quote.total)}"

    # ------------------------------------------------------------------ recording

    def _record(self) -> None:
        if self.person is None or self.order is None or self.sheet.quote.quote is None:
            return
        self.busy = True
        self.sheet.quote.hold()
        self.ops.run(
            self.services.record(self.person, self.order.order_id, self.sheet.order_requests()),
            if_alive(self, self._recorded),
            if_alive(self, lambda exc: self._refused(self.sheet, person_message(exc))),
            changes=CHANGES,
        )

    def _refused(self, sheet: ReturnSheet, message: str, *, approval: bool = False) -> None:
        """Said on the sheet and in the banner (with the error sound); nothing was recorded. A refused
        approval keeps the quote (the manager types again); a refused return waits for new choices."""
        self.busy = False
        if approval:
            sheet.quote.show_quote(sheet.quote.quote)
        else:
            sheet.quote.show_quote(None)
        sheet.quote.say(message, "error")
        self.banner.show_answer(ScanAnswer("error", f"Not recorded: {message}"))

    def _recorded(self, receipt: ReturnReceipt) -> None:
        self.busy = False
        self.receipt = receipt
        self.done.show_receipt(receipt)
        self.pages.setCurrentWidget(self.done)
        self.banner.show_answer(
            ScanAnswer("ok", f"Return {receipt.return_id} recorded: {money(receipt.total)}.")
        )
        self.paper.preview(receipt, PREVIEW_WIDTH, lambda image: self._preview_ready(receipt, image))

    def _preview_ready(self, receipt: ReturnReceipt, image: QImage) -> None:
        if self.done.receipt is receipt:
            self.done.set_preview(image)

    # ------------------------------------------------------------------ without a receipt

    def start_receiptless(self) -> None:
        self.receiptless.title.setText("Return without a receipt")
        self.receiptless.subtitle.setText(
            "Scan each item's barcode. Store credit only, at today's price, approved by a manager."
        )
        self.receiptless.clear_rows()
        self.approval.clear()
        self.receiptless.quote.say("Scan the first item.")
        self.banner.show_answer(ScanAnswer("idle", "Scan each item the customer brings back."), sound=False)
        self.pages.setCurrentWidget(self.receiptless)

    def _add_item(self, code: str) -> None:
        def add(product: tuple[str, str, Decimal] | None) -> None:
            if product is None:
                self.banner.show_answer(
                    ScanAnswer("error", f"{code}: no product of this store has this code.")
                )
                return
            sku, name, price = product
            row = self.receiptless.row(sku) or self.receiptless.add_row(ReturnLineRow(sku, name, sku, price))
            row.set_limit(row.most + 1, counted=f"{row.most + 1} scanned")
            row.set_qty(row.qty + 1)
            self.banner.show_answer(ScanAnswer("ok", f"{name}: {row.qty} to return."))

        self.ops.run(self.services.product(code), if_alive(self, add), if_alive(self, self._failed))

    def _record_receiptless(self) -> None:
        manager, pin = self.approval.values()
        if self.person is None or self.receiptless.quote.quote is None:
            return
        if not manager or not pin:
            self._refused(self.receiptless, NO_MANAGER, approval=True)
            return
        self.busy = True
        self.receiptless.quote.hold()

        def answered(outcome: ReturnOutcome) -> None:
            self.approval.pin.clear()
            if outcome.receipt is None:
                self._refused(self.receiptless, f"{outcome.message} Nothing was recorded.", approval=True)
            else:
                self._recorded(outcome.receipt)

        self.ops.run(
            self.services.record_receiptless(self.person, self.receiptless.receiptless_items(), manager, pin),
            if_alive(self, answered),
            if_alive(self, lambda exc: self._refused(self.receiptless, person_message(exc))),
            changes=CHANGES,
        )

    # ------------------------------------------------------------------ inspections

    def show_inspections(self) -> None:
        self.pages.setCurrentWidget(self.inspection)
        self.ops.run(self.services.inspections(), if_alive(self, self.inspection.show_tasks), self._failed)

    def _resolve(self, task_id: int, sellable: int, damaged: int) -> None:
        if self.person is None:
            return

        def done(progress: TaskProgress) -> None:
            self.banner.show_answer(ScanAnswer("ok", f"Inspection {task_id}: {progress.message}."))
            self.show_inspections()

        self.ops.run(
            self.services.resolve_inspection(self.person, task_id, sellable, damaged),
            if_alive(self, done),
            if_alive(self, self._failed),
            changes=CHANGES,
        )

    # ------------------------------------------------------------------ the receipt on paper

    def save_pdf(self) -> None:
        if self.receipt is not None:
            self.paper.save(self.receipt)

    def print_receipt(self) -> None:
        if self.receipt is not None:
            self.paper.print(self.receipt)

    def close_jobs(self) -> None:
        self.paper.close()
