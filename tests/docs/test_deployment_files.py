"""The sample deployment in deploy/ names only settings and `axr serve` options that exist, so a ministry
engineer copying it gets a service that starts (docs/deployment.md)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app as cli
from core.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _setting_names() -> set[str]:
    return {"AXR_" + name.upper() for name in Settings.model_fields}


def test_every_variable_of_the_sample_environment_is_a_setting():
    names = _setting_names()
    env = (DEPLOY / "axr.env.example").read_text(encoding="utf-8")
    used = re.findall(r"^(AXR_[A-Z0-9_]+)=", env, flags=re.M)
    assert used, "the sample environment sets nothing"
    assert [n for n in used if n not in names] == []
    unit = (DEPLOY / "systemd" / "axr@.service").read_text(encoding="utf-8")
    assert [n for n in re.findall(r"Environment=(AXR_[A-Z0-9_]+)=", unit) if n not in names] == []


def test_the_unit_starts_axr_serve_with_options_it_has():
    unit = (DEPLOY / "systemd" / "axr@.service").read_text(encoding="utf-8")
    (command,) = re.findall(r"^ExecStart=\S+/axr (.+)$", unit, flags=re.M)
    options = re.findall(r"--[a-z-]+", command)
    assert options == ["--host", "--port"]
    shown = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert [o for o in options if o not in shown.output] == []
    # every instance its own index folder: the instance name is in it
    assert "AXR_INDEX_DIR=/var/lib/axr/index-%i" in unit


def test_nginx_sends_the_two_instances_and_skips_one_that_is_not_ready():
    conf = (DEPLOY / "nginx" / "axr.conf").read_text(encoding="utf-8")
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", conf) == ["8101", "8102"]
    assert "http_503" in conf
