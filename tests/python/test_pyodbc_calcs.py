"""The TDVT Calcs table, loaded into e6data-local with --data, read through pyodbc. Expected
values come from the CSV file itself (../shared/data/tdvt/Calcs.csv)."""

from __future__ import annotations

import csv

import pytest


@pytest.fixture(scope="module")
def calcs_rows(calcs_csv):
    with open(calcs_csv, newline="", encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: row["key"])


@pytest.fixture
def calcs_cnxn(make_engine, calcs_data_dir, odbc_connect):
    engine = make_engine("--data", str(calcs_data_dir))
    return odbc_connect(engine, Schema="tdvt")


def optional(text, convert):
    return None if text == "" else convert(text)


def test_calcs_row_count(calcs_cnxn, calcs_rows):
    assert calcs_cnxn.cursor().execute('select count(*) from "Calcs"').fetchone()[0] == len(calcs_rows)
    assert len(calcs_rows) == 17


def test_calcs_values_match_the_csv(calcs_cnxn, calcs_rows):
    rows = calcs_cnxn.cursor().execute(
        'select "key", "num0", "str2", "int0", "date0" from "Calcs" order by "key"'
    ).fetchall()
    actual = [(r[0], r[1], r[2], r[3], None if r[4] is None else r[4].isoformat()) for r in rows]
    expected = [
        (
            row["key"],
            optional(row["num0"], float),
            optional(row["str2"], str),
            optional(row["int0"], int),
            optional(row["date0"], str),
        )
        for row in calcs_rows
    ]
    assert actual == expected


def test_calcs_aggregate_with_nulls(calcs_cnxn, calcs_rows):
    row = calcs_cnxn.cursor().execute(
        'select count("int0"), sum("int0"), count(*) - count("num4") from "Calcs"'
    ).fetchone()
    ints = [int(r["int0"]) for r in calcs_rows if r["int0"] != ""]
    assert row[0] == len(ints)
    assert row[1] == sum(ints)
    assert row[2] == sum(1 for r in calcs_rows if r["num4"] == "")


def test_calcs_lower_case_name_also_works(calcs_cnxn):
    assert calcs_cnxn.cursor().execute("select count(*) from calcs").fetchone()[0] == 17
