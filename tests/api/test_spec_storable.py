"""Every string a request body takes refuses NUL (registry/fields.py `_storable`, because PostgreSQL cannot store
it), and the served spec says so (found by the contract run: `POST /v1/admin/reviewers` with a NUL in
`related_orgs`, `POST /v1/applications/{app_id}/panel` with one in `reviewers`, a group resource's `solution_id`
were schema-valid and answered 422)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from registry.fields import Strict
from tests.conftest import bearer


def _strict_models() -> set[str]:
    found, todo = set(), [Strict]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found


def _strings(schema: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each string schema in a body model's properties, its options and its list items."""
    for name, prop in schema.get("properties", {}).items():
        for option in (prop, *prop.get("anyOf", ())):
            items = option.get("items")
            inner = [items, *items.get("anyOf", ())] if isinstance(items, dict) else []
            for target in (option, *inner):
                if target.get("type") == "string":
                    yield f"{where}.{name}", target


def test_every_request_body_string_states_that_nul_is_refused(app) -> None:
    spec = app.openapi()
    bodies = {ref.rsplit("/", 1)[-1] for item in spec["paths"].values() for op in item.values()
              if isinstance(op, dict) for kind, media in op.get("requestBody", {}).get("content", {}).items()
              if kind == "application/json"
              for ref in re.findall(r"'\$ref': '([^']+)'", str(media.get("schema", {})))}
    checked = 0
    strict = bodies & _strict_models()  # the request bodies `_storable` checks
    assert len(strict) >= 40
    for model in strict:
        for where, target in _strings(spec["components"]["schemas"][model], model):
            if "enum" in target or "const" in target:
                continue
            if target.get("format") in ("date", "date-time", "email"):  # the format's grammar has no NUL
                continue
            assert "pattern" in target, where
            assert not re.search(target["pattern"], "a\x00b"), (where, target["pattern"])
            checked += 1
    assert checked > 50


def test_a_nul_in_a_list_item_is_refused_as_the_spec_says(client, app, mint) -> None:
    items = app.openapi()["components"]["schemas"]["ReviewerCreate"]["properties"]["related_orgs"]["items"]
    admin = bearer(mint("admin"))
    body = {"sub": "reviewer-x", "name": "이서연", "org": "ministry", "related_orgs": ["a\x00b"]}
    r = client.post("/v1/admin/reviewers", json=body, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "#/related_orgs"
    assert not re.search(items["pattern"], "a\x00b")
    assert re.search(items["pattern"], "공급기업-01")


def test_a_nul_in_a_date_or_an_email_is_refused_by_its_format(client, mint) -> None:
    """Fields whose `format` states a grammar without NUL carry no NUL pattern beside it; the NUL is still 422."""
    from tests import factories

    headers = bearer(mint("supplier"))
    for field, value in (("founded_on", "2019-03\x00-15"), ("contact_email", "info\x00@hanbit.kr")):
        r = client.post("/v1/companies", json=factories.company() | {field: value}, headers=headers)
        assert r.status_code == 422, (field, r.text)
        assert [e["pointer"] for e in r.json()["errors"]] == [f"#/{field}"]
    assert client.get("/v1/companies", headers=headers).json()["items"] == []
