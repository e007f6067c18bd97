"""Which typed words may be searched across the network as a customer."""

from __future__ import annotations

import pytest

from core.domain.return_desk import names_a_customer


@pytest.mark.parametrize("text", ["Ava Kim", "ava@example.com", "kim", "(312) 555-0100", "+1 312 555 0100"])
def test_names_e_mails_and_phone_numbers_name_a_customer(text: str) -> None:
    assert names_a_customer(text)


@pytest.mark.parametrize("text", ["4006381333931", "036000291452", "0100", "55-01"])
def test_barcodes_and_a_few_digits_do_not(text: str) -> None:
    assert not names_a_customer(text)
