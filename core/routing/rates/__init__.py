"""The rate broker: carrier rate sheets as data, and the cheapest service that meets a promise.

Public surface (everything else in this package is private):

- `RateSheet` and its parts (`Carrier`, `Service`, `Tier`, `DistanceBand`, `PostalZone`): the validated
  document; `parse_rate_sheet(data)` builds one from plain data.
- `load_rate_sheet(path)`: from `*.json` or a CSV bundle (`*.csv` plus companions, see `csv_format`);
  `load_sample_rate_sheet()`: the fictional carriers shipped in `resources/rates`.
- `write_rate_sheet_csv(sheet, path)`: export as the CSV bundle for spreadsheet editing.
- `RateBroker(sheet)`: the `core.routing.shipping.ShippingQuoter` the planner calls.
"""

from core.routing.rates.broker import RateBroker
from core.routing.rates.csv_format import read_rate_sheet_csv
from core.routing.rates.csv_writer import write_rate_sheet_csv
from core.routing.rates.loading import load_rate_sheet, load_sample_rate_sheet, parse_rate_sheet
from core.routing.rates.sheet import Carrier, DistanceBand, PostalZone, RateSheet, Service, Tier

__all__ = [
    "Carrier",
    "DistanceBand",
    "PostalZone",
    "RateBroker",
    "RateSheet",
    "Service",
    "Tier",
    "load_rate_sheet",
    "load_sample_rate_sheet",
    "parse_rate_sheet",
    "read_rate_sheet_csv",
    "write_rate_sheet_csv",
]
