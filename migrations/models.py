"""Every ORM module, imported so Base.metadata holds the whole schema (for Alembic and tests)."""

from __future__ import annotations


def import_all() -> None:
    import certification.appeal_models  # noqa: F401
    import certification.call_models  # noqa: F401
    import certification.models  # noqa: F401
    import certification.monitoring_models  # noqa: F401
    import core.accounts  # noqa: F401
    import core.idempotency  # noqa: F401
    import core.outbox  # noqa: F401
    import core.signin  # noqa: F401
    import evidence.models  # noqa: F401
    import matching.models  # noqa: F401
    import notices.models  # noqa: F401
    import portal.models  # noqa: F401
    import programme.kpi_models  # noqa: F401
    import programme.models  # noqa: F401
    import programme.selection_models  # noqa: F401
    import registry.models  # noqa: F401
    import shopdata.models  # noqa: F401
