"""The OpenAPI contract as YAML: `axr openapi` writes it to openapi.yaml, and a test keeps the two equal."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml

from core.settings import Settings


def served_spec() -> dict[str, Any]:
    from api.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/spec.db", data_dir=Path(tmp), _env_file=None)  # type: ignore[call-arg]
        app = create_app(settings)
        spec = app.openapi()
        app.state.engine.dispose()
    return spec


def spec_yaml() -> str:
    return yaml.safe_dump(served_spec(), allow_unicode=True, sort_keys=False, width=120)
