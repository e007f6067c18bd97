"""The OpenAPI document, with the push body described by the protocol's `PushRequest`.

The push route receives events as plain objects so it can validate them one by one (one bad event
is one rejected result, not a 422 for the batch); without this the schema would say only
"objects". The protocol models' definitions are added to `components/schemas`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from sync.protocol import PushRequest

REF = "#/components/schemas/{model}"


def install(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schema = PushRequest.model_json_schema(ref_template=REF)
            components = spec.setdefault("components", {}).setdefault("schemas", {})
            components.update(schema.pop("$defs", {}))
            components["PushRequest"] = schema
            body = spec["paths"]["/v1/sync/push"]["post"]["requestBody"]
            body["content"]["application/json"]["schema"] = {"$ref": REF.format(model="PushRequest")}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
