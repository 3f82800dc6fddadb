"""The command line over the shipped data, and the README documenting every setting and command."""

from __future__ import annotations

from mandate_metrics import cli, config
from mandate_metrics.paths import PROJECT_DIR


def test_check_reconciles_shipped_data(capsys):
    assert cli.main(["check"]) == 0
    assert "ledger reconciles with 19 of 19 published figures" in capsys.readouterr().out


def test_figures_as_of_brussels(capsys):
    assert cli.main(["figures", "--as-of", "2024-05-29"]) == 0
    out = capsys.readouterr().out
    for line in (
        "requests_received: 375",
        "requesting_jurisdictions: 16",
        "requests_supported: 261",
        "investigations_supported: 192",
    ):
        assert line in out


def test_broken_data_exits_1_with_a_message(tmp_path, capsys):
    assert cli.main(["--data", str(tmp_path), "check"]) == 1
    assert "published_figures.csv: missing" in capsys.readouterr().err


def test_every_setting_and_command_is_in_the_readme():
    readme = (PROJECT_DIR / "README.md").read_text()
    for setting in config.SETTINGS:
        assert setting.env in readme
    for command in ("make run", "make test", "mandate-metrics check", "mandate-metrics seed"):
        assert command in readme
