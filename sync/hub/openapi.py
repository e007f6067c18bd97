"""The OpenAPI document, with the push body described by the protocol's `PushRequest`.

The push route reads its body as bytes and parses it when the push's turn comes (one bad event is
one rejected result, not a 422 for the batch); without this the schema would not show the body.
The protocol models' definitions are added to `components/schemas`.
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
            schema_ref = {"$ref": REF.format(model="PushRequest")}
            push = spec["paths"]["/v1/sync/push"]["post"]
            push["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema_ref}}}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
