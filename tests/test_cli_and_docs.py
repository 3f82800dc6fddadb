"""The command line over the shipped data, and the README documenting every setting and command."""

from __future__ import annotations

import pytest

from mandate_metrics import cli, command, config
from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.store import open_store


def test_check_reconciles_shipped_data(capsys):
    assert cli.main(["check"]) == 0
    assert "ledger reconciles with 28 of 28 published figures" in capsys.readouterr().out


def test_figures_as_of_brussels_come_from_the_record_with_their_source(capsys):
    assert cli.main(["figures", "--as-of", "2024-05-29"]) == 0
    out = capsys.readouterr().out
    assert "Published record" in out
    for line in (
        "requests_received: 375 (published 2024-05-29: IIIM press release, 29 May 2024 (Brussels VIII))",
        "requesting_jurisdictions: 16 (published 2024-05-29",
        "requests_supported: 261 (published 2024-05-29",
        "investigations_supported: 192 (published 2024-05-29",
        "investigations_related: 271 (published 2024-04-24",
    ):
        assert line in out


def test_figures_of_the_sample_say_what_each_value_is(capsys):
    assert cli.main(["figures", "--view", "sample"]) == 0
    out = capsys.readouterr().out
    assert "requests_received: 534 (illustrative, v0001)" in out
    assert "investigations_supported: 256 (published 2025-12-08: IIIM Bulletin No. 14" in out


def test_broken_data_exits_1_with_a_message(tmp_path, capsys):
    assert cli.main(["--data", str(tmp_path), "check"]) == 1
    assert "published_figures.csv: missing" in capsys.readouterr().err


def test_every_setting_and_command_is_in_the_readme():
    readme = (PROJECT_DIR / "README.md").read_text()
    for setting in config.SETTINGS:
        assert setting.env in readme
    for words in ("make run", "make test", "mandate-metrics check", "mandate-metrics seed"):
        assert words in readme


UPLOADS = PROJECT_DIR / "tests" / "data" / "uploads"


@pytest.fixture
def store_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MANDATE_METRICS_STAFF_FILE", str(tmp_path / "staff.json"))
    return tmp_path / "store"


def test_validate_exit_codes(store_dir, capsys):
    store = ["--store", str(store_dir)]
    assert cli.main([*store, "validate", "requests", str(UPLOADS / "ok_semicolon.csv")]) == 0
    assert "notice: Read as semicolon-separated." in capsys.readouterr().out
    assert cli.main([*store, "validate", "requests", str(UPLOADS / "bad_many_problems.csv")]) == 1
    out = capsys.readouterr().out
    assert "5 problems; nothing was published" in out and "Paste Special > Values" in out
    with pytest.raises(SystemExit) as usage:
        cli.main([*store, "validate", "no_such_dataset", "x.csv"])
    assert usage.value.code == 2
    assert cli.main([*store, "validate", "requests", "missing.csv"]) == 2


def test_publish_history_rollback(store_dir, capsys):
    store = ["--store", str(store_dir)]
    assert (
        cli.main(
            [
                *store,
                "publish",
                "budget",
                str(UPLOADS / "ok_thousands.csv"),
                "--by",
                "ana",
                "--note",
                "2024 only",
                "--official",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    # one row of the eight: it changes that row and keeps the others (the summary comes first)
    assert "ok_thousands.csv: valid. 0 added, 1 changed, 0 removed; the other 7 rows are unchanged." in out
    assert "published budget v0002 (official): 8 rows" in out
    bad = str(UPLOADS / "bad_not_a_number.csv")
    assert cli.main([*store, "publish", "budget", bad, "--by", "ana", "--official"]) == 1
    with pytest.raises(SystemExit) as usage:  # what the file is must be said: no default
        cli.main([*store, "publish", "budget", str(UPLOADS / "ok_thousands.csv"), "--by", "ana"])
    assert usage.value.code == 2
    assert cli.main([*store, "rollback", "budget", "v0001", "--by", "ana"]) == 0
    assert cli.main([*store, "history", "budget"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("* v0003") and "rollback to v0001" in lines[-1]
    assert "official" in lines[-2] and "shipped" in lines[-1]  # the rollback keeps v0001's declaration
    assert cli.main([*store, "rollback", "budget", "v0099", "--by", "ana"]) == 1


def test_add_staff_from_standard_input(store_dir, monkeypatch, capsys):
    import io

    from mandate_metrics import auth

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert cli.main(["add-staff", "ana", "--password-stdin"]) == 0
    accounts = auth.load_accounts(store_dir.parent / "staff.json")
    assert auth.verify_password("a long enough password", accounts["ana"])
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["add-staff", "bob", "--password-stdin"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err


def test_an_empty_store_setting_is_refused_not_taken_as_the_current_folder(monkeypatch, capsys):
    monkeypatch.setenv("MANDATE_METRICS_STORE", "")
    assert cli.main(["history", "budget"]) == 1
    assert "MANDATE_METRICS_STORE is set but empty" in capsys.readouterr().err


def test_a_store_path_that_is_a_file_is_a_message(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    assert cli.main(["--store", str(path), "history", "budget"]) == 2  # a usage error, not invalid data
    assert "is a file; name a folder" in capsys.readouterr().err


def test_a_read_only_store_is_a_message_and_changes_nothing(tmp_path, capsys, monkeypatch):
    import errno

    from mandate_metrics.store import LocalStore

    store = tmp_path / "store"
    assert cli.main(["--store", str(store), "figures"]) == 0
    before = LocalStore(store).pointers()

    def read_only(*_args, **_kwargs):  # as the file system answers (root ignores chmod, so simulate)
        raise OSError(errno.EROFS, "Read-only file system", str(store))

    monkeypatch.setattr(LocalStore, "_write_object", read_only)
    upload = str(UPLOADS / "ok_thousands.csv")
    assert cli.main(["--store", str(store), "publish", "budget", upload, "--by", "a", "--official"]) == 1
    err = capsys.readouterr().err
    assert "Read-only file system" in err and "nothing was changed" in err
    assert LocalStore(store).pointers() == before


def test_streamlits_own_upload_bound_is_ours_not_its_200_mb_default():
    import tomllib

    server = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text())["server"]
    ours = config.load_config().max_upload_bytes / 1e6
    assert ours <= server["maxUploadSize"] <= ours + 10  # just above ours: never Streamlit's 200 MB


def test_the_command_line_speaks_french_and_arabic(store_dir, capsys):
    store = ["--store", str(store_dir)]
    assert (
        cli.main([*store, "--lang", "fr", "validate", "requests", str(UPLOADS / "bad_many_problems.csv")])
        == 1
    )
    out = capsys.readouterr().out
    assert "5 problèmes ; rien n’a été publié".replace(" ;", "\u202f;") in out
    assert "Ligne" in out and "Problème" in out
    assert cli.main([*store, "--lang", "ar", "figures", "--as-of", "2024-05-29"]) == 0
    assert "الأرقام في 2024-05-29" in capsys.readouterr().out


def test_publish_shows_what_changes_dry_run_publishes_nothing_and_removals_need_a_flag(
    store_dir, tmp_path, capsys
):
    store = ["--store", str(store_dir)]
    lines = (PROJECT_DIR / "data" / "requests.csv").read_text().splitlines()
    fewer = tmp_path / "requests.csv"
    fewer.write_text("\n".join([lines[0], *lines[4:]]) + "\n")  # the current table, three rows deleted
    publish = [*store, "publish", "requests", str(fewer), "--by", "ana", "--official"]
    assert cli.main([*publish, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 changed, 3 removed; the other 531 rows are unchanged." in out
    assert "  - RFA-0001" in out and "dry run: nothing was published" in out
    assert cli.main(publish) == 1  # a removal is never silent
    assert "add --remove-rows to confirm" in capsys.readouterr().err
    assert open_store(str(store_dir)).current("requests").version == "v0001"
    assert cli.main([*publish, "--remove-rows"]) == 0
    assert "published requests v0002 (official): 531 rows" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["validate", "requests", "a.xlsx"], ("a.xlsx", None)),
        (
            ["--lang", "fr", "publish", "requests", "B.XLSX", "--sheet", "Ledger", "--by", "x"],
            ("B.XLSX", "Ledger"),
        ),
        (["validate", "requests", "a.xlsx", "--sheet=Feuil 1"], ("a.xlsx", "Feuil 1")),
        (["validate", "requests", "a.csv"], None),
        (["history", "requests"], None),
    ],
)
def test_the_program_guesses_the_workbook_from_the_words_alone(words, named):
    from pathlib import Path  # noqa: PLC0415

    found = command.workbook_named(words)
    assert found == (None if named is None else (Path(named[0]), named[1]))


@pytest.mark.parametrize(
    ("file", "sheet"),
    [
        ("bad_formula.xlsx", None),  # a formula: the early parse's formulas are used
        ("ok_workbook_named_sheet.xlsx", "Ledger"),
        ("ok_workbook_named_sheet.xlsx", "Nope"),  # no such sheet: read again, and said
        ("bad_text_named_xlsx.xlsx", None),  # not a workbook: never started, said
    ],
)
def test_a_workbook_parsed_while_the_program_loads_gives_the_same_report(store_dir, capsys, file, sheet):
    words = ["--store", str(store_dir), "validate", "requests", str(UPLOADS / file)]
    words += ["--sheet", sheet] if sheet else []
    expected = cli.main(words)
    plain = capsys.readouterr().out
    assert command.main(words) == expected
    assert capsys.readouterr().out == plain


def test_a_damaged_store_is_said_even_when_the_file_has_problems(store_dir, capsys):
    words = ["--store", str(store_dir), "validate", "requests"]
    assert cli.main([*words, str(UPLOADS / "ok_semicolon.csv")]) == 0  # seeds the store
    capsys.readouterr()
    (store_dir / "requests" / "CURRENT.json").unlink()  # versions, but no pointer to the current one
    assert command.main([*words, str(UPLOADS / "bad_formula.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "requests" in err and "repair" in err
