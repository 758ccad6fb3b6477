"""The data readiness figures of the KPI report as a pure computation."""

from __future__ import annotations

from matching.readiness import Holding, Requirement
from shopdata.kpis import figures

CUR = Requirement("motor_current", "모터 전류", "motor current", "", "", min_rate_hz=1_000)
VIB = Requirement("vibration_timeseries", "진동", "vibration", "", "", min_rate_hz=10_000)
LOG = Requirement("maintenance_log", "설비 보전 이력", "maintenance log", "", "", required=False)


def test_shares_of_confirmed_inventories_and_of_completed_projects_whose_data_was_met():
    holdings = {"a": [(Holding("motor_current", 2_000), True)],
                "b": [(Holding("motor_current", 500), True), (Holding("plc_tags"), False)],
                "c": [(Holding("vibration_timeseries", 20_000), True)]}
    completed = [("a", "s-cur"), ("b", "s-cur"), ("c", "s-vib"), ("a", "s-none"), ("c", "s-optional")]
    needs = {"s-cur": [CUR, LOG], "s-vib": [VIB], "s-optional": [LOG]}
    out = figures({"a", "b", "d"}, holdings, completed, needs)
    assert out == {"selected_smes": 3, "with_confirmed_inventory": 1, "confirmed_inventory_share": 0.3333,
                   "completed_projects": 5, "with_data_requirements": 3, "requirements_met": 2,
                   "requirements_met_share": 0.6667}


def test_nothing_to_count_is_no_share():
    out = figures(set(), {}, [], {})
    assert out["confirmed_inventory_share"] is None
    assert out["requirements_met_share"] is None
