"""A hub server process for `oms bench sync`: the real app under uvicorn on a loopback port.

`python -m sync.bench_hub DATABASE_URL PORT PUSH_SLOTS` serves `sync.hub.create_app` as `oms hub` does, with
the sample rate sheet and no access log. The benchmark starts one or more of these so the hub gets
processes (and cores) of its own, apart from the load generator's.
"""

from __future__ import annotations

import sys

import uvicorn

from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.storage.database import Database
from sync.hub import create_app


def main(argv: list[str]) -> None:
    url, port, slots = argv
    router = Router(RateBroker(load_sample_rate_sheet()))
    app = create_app(Database.open(url), router, push_slots=int(slots))
    uvicorn.run(
        app, host="127.0.0.1", port=int(port), log_level="warning", access_log=False, timeout_keep_alive=30
    )


if __name__ == "__main__":
    main(sys.argv[1:])
