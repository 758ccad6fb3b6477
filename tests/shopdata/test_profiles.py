"""The data profile vocabulary: what ships, and how a bad document is refused (every problem, both languages)."""

from __future__ import annotations

import copy

import pytest

from shopdata.errors import ProfilesInvalid
from shopdata.profiles import FIELD_TYPES, UNITS, parse, shipped


def test_the_shipped_vocabulary_has_ten_profiles_or_more_each_mapped_to_a_named_standard():
    vocab = shipped()
    assert vocab.version == "v1"
    assert len(vocab.profiles) >= 10
    for p in vocab.profiles.values():
        assert p.standards, p.code
        assert all(f.type in FIELD_TYPES and (f.unit is None or f.unit in UNITS) for f in p.fields)
    assert vocab.profiles["vibration_timeseries"].label_ko == "진동"
    assert vocab.profiles["vibration_timeseries"].sampled
    names = {s.name for p in vocab.profiles.values() for s in p.standards}
    assert {"IEC 62264-2", "ISO 22400-2", "KS X 9101", "OPC 10000-8"} <= names
    assert vocab.profiles["lot_genealogy"].standards[0].element == "material lot / material sublot (genealogy)"


def test_a_round_trip_through_data_keeps_the_vocabulary():
    vocab = shipped()
    assert parse(vocab.to_data()) == vocab


def test_every_problem_is_listed_in_korean_and_english():
    doc = copy.deepcopy(shipped().to_data())
    doc["version"] = "v2"
    doc["profiles"][0]["fields"][0]["unit"] = "furlong"
    doc["profiles"][1]["fields"][1]["type"] = "blob"
    doc["profiles"][2]["code"] = doc["profiles"][3]["code"]
    del doc["profiles"][4]["label_ko"]
    with pytest.raises(ProfilesInvalid) as exc:
        parse(doc)
    where = [p["where"] for p in exc.value.problems]
    assert where == ["profiles[0].fields[0].unit", "profiles[1].fields[1].type", "profiles[3].code",
                     "profiles[4].label_ko"]
    assert "알 수 없는 단위 'furlong'" in exc.value.detail_ko
    assert "unknown field type 'blob'" in exc.value.detail_en
    assert "중복됩니다" in exc.value.problems[2]["ko"]


def test_a_document_that_is_no_vocabulary_is_refused():
    with pytest.raises(ProfilesInvalid) as exc:
        parse(["not", "a", "mapping"])
    assert exc.value.problems[0]["en"].startswith("must be a mapping")
    with pytest.raises(ProfilesInvalid) as exc:
        parse({"version": "", "profiles": []})
    assert [p["where"] for p in exc.value.problems] == ["version", "profiles"]


def test_a_profile_without_descriptions_survives_being_stored_and_read_again():
    doc = {"version": "v9", "profiles": [{"code": "spindle_load", "label_ko": "주축 부하", "label_en": "spindle load",
                                          "acquire_ko": "CNC 데이터 수집", "acquire_en": "CNC data collection",
                                          "fields": [{"name": "load", "type": "number", "unit": "%"}]}]}
    vocab = parse(doc)
    assert parse(vocab.to_data()) == vocab
