"""pyodbc through the unixODBC driver manager and libe6data_odbc.so against e6data-local
(issue #4 item 10): connection, NULLs, Unicode, long data, errors with SQLSTATEs, parameters,
block fetch, DSN handling."""

from __future__ import annotations

import datetime
import decimal

import pyodbc
import pytest

from odbcutil import connection_string, register_dsn


@pytest.fixture
def cnxn(engine, odbc_connect):
    return odbc_connect(engine)


def scalar(cnxn, sql, *params):
    row = cnxn.cursor().execute(sql, *params).fetchone()
    assert row is not None, f"{sql!r} returned no row"
    return row[0]


def test_connect_and_count_lineitem(cnxn):
    assert scalar(cnxn, "select count(*) from lineitem") == 60175


def test_getinfo_basics(cnxn):
    assert cnxn.getinfo(pyodbc.SQL_DBMS_NAME)
    assert cnxn.getinfo(pyodbc.SQL_DRIVER_NAME)
    assert cnxn.getinfo(pyodbc.SQL_IDENTIFIER_QUOTE_CHAR) == '"'
    # pyodbc turns the "Y"/"N" answer of this info type into a bool.
    assert cnxn.getinfo(pyodbc.SQL_DATA_SOURCE_READ_ONLY) is True


def test_description_and_rowcount(cnxn):
    cursor = cnxn.cursor().execute(
        "select n_nationkey, n_name from nation where n_nationkey < 2 order by n_nationkey"
    )
    assert [d[0] for d in cursor.description] == ["n_nationkey", "n_name"]
    assert cursor.description[0][1] is int
    assert cursor.description[1][1] is str
    assert cursor.rowcount == -1
    assert [tuple(r) for r in cursor.fetchall()] == [(0, "ALGERIA"), (1, "ARGENTINA")]


def test_nulls_of_every_basic_type(cnxn):
    row = cnxn.cursor().execute(
        "select cast(null as int) as a, cast(null as bigint) as b, cast(null as double) as c, "
        "cast(null as varchar) as d, cast(null as date) as e, cast(null as timestamp) as f, "
        "cast(null as boolean) as g, cast(null as decimal(10,2)) as h"
    ).fetchone()
    assert tuple(row) == (None,) * 8


def test_unicode_non_bmp_round_trip_as_parameter(cnxn):
    text = "héllo wörld 😀 𝄞 日本語"
    assert scalar(cnxn, "select ?", text) == text


def test_unicode_non_bmp_in_sql_text(cnxn):
    value = scalar(cnxn, "select 'emoji 😀 and clef 𝄞'")
    assert value == "emoji 😀 and clef 𝄞"
    assert scalar(cnxn, "select length('😀𝄞')") == 2


def test_long_string_10k_comes_back_whole(cnxn):
    value = scalar(cnxn, "select repeat('abcdefghij', 1000)")
    assert value == "abcdefghij" * 1000


def test_long_string_parameter_round_trip(cnxn):
    text = "".join(chr(0x4E00 + i % 500) for i in range(10000)) + "😀"
    assert scalar(cnxn, "select ?", text) == text


def test_very_long_string_parameter_is_sent_in_pieces(cnxn):
    # Longer than the driver's VARCHAR column size (65535): pyodbc binds it as
    # SQL_DATA_AT_EXEC and sends it with SQLParamData + SQLPutData in 65535-byte pieces, so
    # UTF-16 code units and surrogate pairs are split between pieces.
    text = "abcdéfgh😀" * 100_000
    assert scalar(cnxn, "select length(?) as n", text) == len(text)


def test_put_data_pieces_round_trip(cnxn):
    # A small maxwrite makes pyodbc use data-at-execution for shorter values too.
    cnxn.maxwrite = 1001
    text = "héllo 😀 𝄞 日本語 " * 300
    assert scalar(cnxn, "select ?", text) == text
    data = bytes(range(256)) * 20
    assert scalar(cnxn, "select ?", data) == data
    assert scalar(cnxn, "select ?", "short") == "short"


def test_parameter_arithmetic(cnxn):
    assert scalar(cnxn, "select ? + 1", 41) == 42


def test_parameters_of_several_types(cnxn):
    row = cnxn.cursor().execute(
        "select ? as s, ? as i, ? as f, ? as d, ? as n, ? as b",
        "it's \\ quoted",
        -7,
        2.5,
        datetime.date(1969, 12, 31),
        decimal.Decimal("12345.678"),
        None,
    ).fetchone()
    assert row[0] == "it's \\ quoted"
    assert row[1] == -7
    assert row[2] == 2.5
    assert str(row[3]) == "1969-12-31"
    assert decimal.Decimal(str(row[4])) == decimal.Decimal("12345.678")
    assert row[5] is None


def test_parameter_in_where_clause(cnxn):
    rows = cnxn.cursor().execute(
        "select n_name from nation where n_regionkey = ? order by n_name", 0
    ).fetchall()
    assert [r[0] for r in rows] == ["ALGERIA", "ETHIOPIA", "KENYA", "MOROCCO", "MOZAMBIQUE"]


def test_bad_sql_is_42000(cnxn):
    with pytest.raises(pyodbc.Error) as raised:
        cnxn.cursor().execute("select * from no_such_table")
    assert raised.value.args[0] == "42000"
    assert "no_such_table" in raised.value.args[1]


def test_syntax_error_is_42000(cnxn):
    with pytest.raises(pyodbc.Error) as raised:
        cnxn.cursor().execute("selec 1")
    assert raised.value.args[0] == "42000"


def test_connection_survives_an_error(cnxn):
    with pytest.raises(pyodbc.Error):
        cnxn.cursor().execute("select * from no_such_table")
    assert scalar(cnxn, "select count(*) from region") == 5


def test_bad_password_is_28000(engine, odbc_config):
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect(connection_string(engine, PWD="wrong"), autocommit=True, timeout=30)
    assert raised.value.args[0] == "28000"
    assert "wrong" not in raised.value.args[1], "the password leaked into the message"


def test_nothing_listening_is_08001(engine, odbc_config):
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect(connection_string(engine, Port="1"), autocommit=True, timeout=10)
    assert raised.value.args[0] == "08001"


def test_autocommit_off_is_refused(engine, odbc_config):
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect(connection_string(engine), autocommit=False, timeout=30)
    assert raised.value.args[0] == "HYC00"


def test_fetchmany_blocks_over_lineitem(cnxn):
    cursor = cnxn.cursor()
    cursor.arraysize = 1000
    cursor.execute("select l_orderkey, l_linenumber, l_quantity from lineitem")
    total_rows = 0
    blocks = 0
    keys = set()
    quantity = decimal.Decimal(0)
    while True:
        rows = cursor.fetchmany()
        if not rows:
            break
        assert len(rows) <= 1000
        blocks += 1
        total_rows += len(rows)
        for orderkey, linenumber, qty in rows:
            keys.add((orderkey, linenumber))
            quantity += decimal.Decimal(str(qty))
    assert total_rows == 60175
    assert blocks == 61
    assert len(keys) == 60175
    expected = scalar(cnxn, "select sum(l_quantity) from lineitem")
    assert quantity == decimal.Decimal(str(expected))


def test_dsn_from_odbc_ini(engine, driver_so, odbc_config):
    register_dsn(odbc_config, driver_so, "e6data-pytest", engine)
    cnxn = pyodbc.connect("DSN=e6data-pytest", autocommit=True, timeout=30)
    try:
        assert scalar(cnxn, "select count(*) from nation") == 25
    finally:
        cnxn.close()


def test_connection_string_overrides_dsn(engine, driver_so, odbc_config):
    register_dsn(odbc_config, driver_so, "e6data-pytest-override", engine)
    cnxn = pyodbc.connect("DSN=e6data-pytest-override;Schema=demo", autocommit=True, timeout=30)
    try:
        assert scalar(cnxn, "select count(*) from all_types") > 0
    finally:
        cnxn.close()


def test_dsn_with_wrong_password_is_28000(engine, driver_so, odbc_config):
    register_dsn(odbc_config, driver_so, "e6data-pytest-badpwd", engine)
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect("DSN=e6data-pytest-badpwd;PWD=wrong", autocommit=True, timeout=30)
    assert raised.value.args[0] == "28000"


def test_two_cursors_on_one_connection(cnxn):
    first = cnxn.cursor().execute("select n_nationkey from nation order by n_nationkey")
    second = cnxn.cursor().execute("select r_regionkey from region order by r_regionkey")
    assert [r[0] for r in second.fetchall()] == [0, 1, 2, 3, 4]
    assert [r[0] for r in first.fetchall()] == list(range(25))
