"""The schemathesis configuration of the contract run: real ids and cursors to aim at, and the statuses the spec
documents for rules a JSON Schema cannot state."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# path parameter -> (collection to read as admin, field holding the value)
ID_SOURCES = {
    "company_id": ("/v1/companies", "id"), "solution_id": ("/v1/solutions", "id"), "sme_id": ("/v1/smes", "id"),
    "need_id": ("/v1/needs", "id"), "app_id": ("/v1/applications", "id"), "number": ("/v1/certificates", "number"),
    "group_id": ("/v1/programme/groups", "id"), "project_id": ("/v1/programme/projects", "id"),
    "year": ("/v1/programme/cohorts", "year"), "endpoint_id": ("/v1/webhooks", "id"),
    "call_id": ("/v1/public/calls?status=all", "id"), "appeal_id": ("/v1/appeals", "id"),
    "dataset_id": ("/v1/datasets", "id"),
}
CURSOR_SOURCES = (("cursor_keyset", "/v1/companies", {"limit": 1}), ("cursor_keyset", "/v1/solutions", {"limit": 1}),
                  ("cursor_search", "/v1/search", {"q": "불량", "limit": 1}),
                  ("cursor_feed", "/v1/feed/changes", {"limit": 1}))

POSITIVE = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis's default for valid input
# Rules a JSON Schema cannot state, each answered with its own problem type; for these operations a
# schema-valid request may get that status (every other check still applies to them).
UNSTATABLE: list[tuple[str, str, list[str]]] = [
    (r"^/v1/(public/)?certificates/\{number\}", "the certificate number's check character", ["422"]),
    (r"^/v1/public/audit/(inclusion|consistency)$", "a proof request beyond the current tree size", ["422"]),
    (r"^/v1/(companies|smes|programme/consultants)$", "the NTS check digit of a business number", ["422"]),
    (r"^/v1/companies(/\{company_id\})?$",
     "an e-mail address at a special-use domain name (RFC 6761), refused as the field's description says", ["422"]),
    (r"^/v1/solutions(/\{solution_id\})?$", "price_min_krw <= price_max_krw", ["422"]),
    (r"^/v1/admin/criteria$", "the eligibility rules' own language (rules as data)", ["422"]),
    (r"^/v1/admin/calls(/\{call_id\})?$",
     "a call's window (closes after it opens, not in the past) and known criteria and rubric versions", ["422"]),
    (r"^/v1/applications$",
     "an open call named once the registry has calls, and its field when the call has quotas", ["422"]),
    (r"^/v1/appeals$", "exactly one of application_id and certificate_number (and the number's check character)",
     ["422"]),
    (r"^/v1/admin/thesaurus$", "the thesaurus's own format", ["422"]),
    (r"^/v1/admin/data-profiles$", "the data profile vocabulary's own format (closed sets of field types and units)",
     ["422"]),
    (r"^/v1/(solutions/\{solution_id\}/data-requirements|smes/\{sme_id\}/data-inventory)$",
     "profile codes of the vocabulary in force, each at most once", ["422"]),
    (r"^/v1/datasets$", "a profile code of the vocabulary in force, file_uri or document_id, a group named for "
                        "access=group and one the SME leads or accepted to join, temporal_start <= temporal_end",
     ["422"]),
    (r"^/v1/programme/groups$", "an admin names the lead firm (lead_org), a lead firm does not", ["422"]),
    (r"^/v1/programme/groups/\{group_id\}/members$", "only an admin sets `share` (the SME chooses on accepting)",
     ["422"]),
    (r"^/v1/programme/cohorts/\{year\}/candidates$", "the columns of the uploaded CSV file", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/(budget-lines|expenditures)$",
     "the approved budget, the government cap per SME and year, the year's planned AI stage (budget-rule)", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/budget-lines/\{line_id\}/approve$",
     "the government cap per SME and year and the fiscal year's envelope over the approved lines (budget-rule)",
     ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/stages$",
     "the stage rules for the SME's confirmed level and size, programme years (stage-rule)", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/completion/return$", "a non-blank reason (reason-required)", ["422"]),
    (r"^/v1/programme/selection/\{year\}/appeals/\{appeal_id\}/decision$", "a non-blank reason (reason-required)",
     ["422"]),
    (r"^/v1/programme/envelopes/\{year\}$", "an envelope not below what is already approved (budget-rule)", ["422"]),
    (r"^/v1/programme/selection/rules$",
     "the selection rule's own constraints: known weight names, not all zero, the last size band open-ended", ["422"]),
    (r"^/v1/programme/selection/\{year\}/runs$", "the rule's capacity within the cohort's capacity", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/(consultations|outcomes)$",
     "fields required by the kind of record (diagnosis level, the unit of each metric)", ["422"]),
    (r"^/v1/programme/cohorts/\{year\}/members/\{sme_id\}/\{action\}$",
     "what a move of a cohort member needs: a reason to drop (reason-required)", ["422"]),
    (r"^/v1/programme/projects$", "only an SME selected in a cohort opens a project (programme-rule)", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/supplier$",
     "the supplier's active designation and a stage plan reaching the solution's level (programme-rule)", ["422"]),
    (r"^/v1/programme/projects/\{project_id\}/transitions$",
     "what a move needs in the project's current state: a reason to cancel, a chosen designated supplier and an "
     "approved budget to contract (reason-required, programme-rule, budget-rule)", ["422"]),
]


def collect_ids(client: Any, admin: str) -> dict[str, list[Any]]:
    """Up to 20 real values of each path parameter, read as admin (random ids would only ever find 404s)."""
    found: dict[str, list[Any]] = {}
    headers = {"Authorization": f"Bearer {admin}"}
    for name, (path, field) in ID_SOURCES.items():
        r = client.get(path, headers=headers)
        if r.status_code != 200:
            continue
        body = r.json()
        items = body["items"] if isinstance(body, dict) else body
        values = [item[field] for item in items if item.get(field) is not None][:20]
        if values:
            found[name] = values
    return found


def collect_cursors(client: Any, admin: str) -> dict[str, list[str]]:
    """Real cursors of each kind (a cursor is opaque: one the server did not make is a 400 by design)."""
    from urllib.parse import parse_qs, urlsplit

    headers = {"Authorization": f"Bearer {admin}"}
    found: dict[str, list[str]] = {}
    for kind, path, params in CURSOR_SOURCES:
        body = client.get(path, params=params, headers=headers).json()
        cursor = body.get("cursor")
        if not cursor and body.get("next"):
            cursor = (parse_qs(urlsplit(body["next"]).query).get("cursor") or [None])[0]
        if cursor:
            found.setdefault(kind, []).append(cursor)
    return found


def write_config(spec: dict[str, Any], ids: dict[str, list[Any]], cursors: dict[str, list[str]], path: Path) -> Path:
    """A schemathesis.toml: real ids as dictionaries for half of the generated path parameters, real cursors
    for the `cursor` query parameters, If-Match `*` (412 and 428 have tests of their own), 428 as the answer
    to a missing If-Match (RFC 6585), and the statuses of UNSTATABLE rules."""
    lines = [f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n" for name, values in {**ids, **cursors}.items()]
    lines.append('[dictionaries.etag]\nvalues = ["*"]\n')
    lines.append('[checks.missing_required_header]\nexpected-statuses = [400, 401, 403, 406, 415, 422, 428]\n')
    # Fuzzing draws path ids from the dictionaries above (half of them real), not only from values captured in
    # earlier responses: with capture on, an operation whose inputs are all path ids (DELETE a group member)
    # draws from the few pairs captured, hypothesis exhausts them and stops at 9 examples. The stateful phase
    # still chains responses into requests.
    lines.append("[phases.fuzzing.extra-data-sources]\nresponses = false\n")
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}' for name in ids]
    lines.append('"header.If-Match" = { dictionary = "etag", probability = 1.0 }')
    for route, item in spec["paths"].items():
        extra = [status for rx, _, statuses in UNSTATABLE if re.search(rx, route) for status in statuses]
        params = {p.get("name") for op in item.values() if isinstance(op, dict) for p in op.get("parameters", ())}
        block = [f'\n[[operations]]\ninclude-path = "{route}"']
        if "cursor" in params:
            extra.append("400")  # a cursor is opaque: one the server did not make is refused (bad-cursor)
            kind = "cursor_search" if route == "/v1/search" else "cursor_feed" if route.startswith("/v1/feed") \
                else "cursor_keyset"
            if kind in cursors:
                block.append(f'parameters = {{ "query.cursor" = {{ dictionary = "{kind}", probability = 1.0 }} }}')
        if "If-Match" in params:
            extra.append("412")  # an If-Match other than `*` names another version
        if extra:
            block.append(f"checks.positive_data_acceptance.expected-statuses = {json.dumps(POSITIVE + extra)}")
        if len(block) > 1:
            lines += block
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
