"""The Tableau TDVT Calcs table loaded into e6data-local with --data: every column of every row,
fetched through pyodbc, matches the CSV (empty CSV fields are NULLs), and SQLColumns describes
the table with the types the values arrive in."""

from __future__ import annotations

import csv
import datetime
import decimal
import math

import pytest


@pytest.fixture(scope="module")
def csv_table(calcs_csv):
    with open(calcs_csv, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = sorted(reader, key=lambda row: row[0])
    return header, rows


@pytest.fixture
def cnxn(make_engine, calcs_data_dir, odbc_connect):
    engine = make_engine("--data", str(calcs_data_dir))
    return odbc_connect(engine, Schema="tdvt")


def from_odbc(value):
    """A fetched value in the CSV's notation (numbers as floats, NULL as None)."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, decimal.Decimal)):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def from_csv(text: str):
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def same(actual, expected) -> bool:
    if isinstance(actual, float) and isinstance(expected, float):
        return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)
    return actual == expected


def test_every_column_matches_the_csv_nulls_included(cnxn, csv_table):
    header, expected_rows = csv_table
    quoted = ", ".join(f'"{name}"' for name in header)
    cursor = cnxn.cursor()
    rows = cursor.execute(f'SELECT {quoted} FROM "Calcs" ORDER BY "key"').fetchall()
    assert [d[0] for d in cursor.description] == header
    assert len(rows) == len(expected_rows) == 17
    mismatches = []
    nulls = 0
    for got, want in zip(rows, expected_rows):
        for name, value, text in zip(header, got, want):
            actual, expected = from_odbc(value), from_csv(text)
            nulls += expected is None
            if not same(actual, expected):
                mismatches.append(f"{want[0]}.{name}: got {value!r}, CSV has {text!r}")
    assert not mismatches, "\n".join(mismatches)
    assert nulls > 20, "the CSV has NULLs in every type; they must arrive as None"


def test_each_column_fetched_alone_with_getdata(cnxn, csv_table):
    """Single-column queries (the per-cell SQLGetData pattern of Power BI / .NET)."""
    header, expected_rows = csv_table
    cursor = cnxn.cursor()
    for index, name in enumerate(header):
        values = [r[0] for r in cursor.execute(f'SELECT "{name}" FROM "Calcs" ORDER BY "key"').fetchall()]
        expected = [from_csv(row[index]) for row in expected_rows]
        assert all(same(from_odbc(v), e) for v, e in zip(values, expected)), name


def test_columns_metadata_matches_the_fetched_types(cnxn, csv_table):
    header, _ = csv_table
    cursor = cnxn.cursor()
    described = {r.column_name: r for r in cursor.columns(table="Calcs", schema="tdvt")}
    assert list(described) == header
    assert [r.ordinal_position for r in described.values()] == list(range(1, len(header) + 1))
    types = {name: r.data_type for name, r in described.items()}
    assert types["num0"] == 8  # SQL_DOUBLE
    assert types["date0"] == 91  # SQL_TYPE_DATE
    assert types["datetime0"] == 93  # SQL_TYPE_TIMESTAMP
    assert types["str0"] in (12, -9)  # SQL_VARCHAR / SQL_WVARCHAR
    assert all(r.column_size and r.column_size > 0 for r in described.values())
    cursor.execute('SELECT * FROM "Calcs" WHERE 1 = 0')
    fetched = {d[0]: d[1] for d in cursor.description}
    assert fetched["num0"] is float and fetched["int0"] is int
    assert fetched["date0"] is datetime.date and fetched["datetime0"] is datetime.datetime
