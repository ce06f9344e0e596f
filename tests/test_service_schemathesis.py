"""Property-based tests of the API from its own OpenAPI document (schemathesis, in process over
ASGI): no request gives a 5xx, and every response has a documented status, content type and a
body that matches its schema. With an admin token, so writes are exercised too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plancycle.service import ServiceConfig, create_app

NOW = dt.datetime(2028, 3, 10, 9, 0, tzinfo=dt.UTC)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def served(sqlite_store: Any) -> Iterator[tuple[Any, str]]:
    app = create_app(ServiceConfig(clock=lambda: NOW, today=dt.date(2028, 3, 1)), sqlite_store)
    token, _ = sqlite_store.create_token("admin", label="schemathesis", now=NOW)
    sqlite_store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 3, 9), now=NOW)
    yield app, token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_document(served: tuple[Any, str], mode: GenerationMode) -> None:
    app, token = served
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert len(operations) == 4, operations
    seen: set[int] = set()

    headers = {"Authorization": f"Bearer {token}"}
    free = schema.as_strategy(mode, headers=headers)
    followed = schema.as_strategy(mode, headers=headers,
                                  path_parameters={"owner": "1103", "election_year": "2027"})

    @given(case=free | followed)
    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS)
        seen.add(response.status_code)

    check()
    assert any(status >= 400 for status in seen)
    if mode == GenerationMode.POSITIVE:
        assert any(200 <= status < 300 for status in seen), seen
