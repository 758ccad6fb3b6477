"""Readiness fit as a pure function: met, partly met and missing required data, with the reasons an SME reads."""

from __future__ import annotations

import pytest

from matching.readiness import Holding, Requirement, fit, rate_text

VIB = Requirement("vibration_timeseries", "진동", "vibration", "센서 설치", "sensor installation",
                  min_rate_hz=10_000)
CUR = Requirement("motor_current", "모터 전류", "motor current", "전류 센서(CT) 설치",
                  "current sensor (CT) installation", min_rate_hz=1_000)
IMG = Requirement("part_image_labelled", "부품 외관 이미지", "part images", "카메라 설치·라벨링",
                  "camera installation and labelling", labelling=True)


def test_no_inventory_or_no_required_data_is_neutral():
    assert fit([VIB], None) == (0.0, [])
    optional = Requirement("maintenance_log", "설비 보전 이력", "maintenance logs", "기록", "records", required=False)
    assert fit([optional], [Holding("motor_current")]) == (0.0, [])


def test_missing_vibration_names_the_stage_that_produces_it():
    value, reasons = fit([VIB], [Holding("motor_current", rate_hz=2_000)])
    assert value == -1.0
    assert reasons == [("필요 데이터: 진동 10 kHz, 보유: 없음 → 센서 설치 단계 필요",
                        "Data needed: vibration at 10 kHz; you have: none → a sensor installation stage is needed")]


def test_met_and_partly_met():
    value, reasons = fit([CUR], [Holding("motor_current", rate_hz=2_000)])
    assert value == 1.0
    assert reasons == [("필요 데이터 보유: 모터 전류 1 kHz", "Data in hand: motor current at 1 kHz")]
    value, reasons = fit([VIB, IMG], [Holding("vibration_timeseries", rate_hz=1_000),
                                      Holding("part_image_labelled", labelled=False)], partial=0.25)
    assert value == pytest.approx(0.25)
    assert reasons[0][0] == "필요 데이터: 진동 10 kHz, 보유: 진동 1 kHz → 데이터 보완 단계 필요"
    assert reasons[1][0] == ("필요 데이터: 부품 외관 이미지 (라벨 포함), 보유: 부품 외관 이미지 (라벨 없음) "
                             "→ 데이터 보완 단계 필요")


def test_rates_read_as_people_write_them():
    assert [rate_text(x) for x in (10_000, 2_500, 50, 0.5)] == ["10 kHz", "2.5 kHz", "50 Hz", "0.5 Hz"]
