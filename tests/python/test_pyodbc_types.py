"""Every demo.all_types column through pyodbc with exact Python values (issue #4 item 10).

ids 1-4 hold edge values, id 5 is NULL in every column. pyodbc has no native type for
SQL_INTERVAL_DAY_TO_SECOND and cannot build a Python date past 9999, so those two are read
through pyodbc output converters, which fetch the value as SQL_C_BINARY: the driver then returns
the SQL_INTERVAL_STRUCT / SQL_DATE_STRUCT bytes, decoded here.
"""

from __future__ import annotations

import datetime
import decimal
import struct

import pyodbc
import pytest

from odbcutil import connection_string

D = decimal.Decimal
DEC38_MAX = 10**38 - 1
SQL_TYPE_DATE = 91
SQL_INTERVAL_DAY_TO_SECOND = 110
SQL_IS_DAY_TO_SECOND = 10


def ts(*parts):
    return datetime.datetime(*parts)


ALL_TYPES_EXPECTED = {
    "bool_col": [True, False, True, False, None],
    "int_col": [0, -(2**31), 2**31 - 1, 42, None],
    "long_col": [0, -(2**63), 2**63 - 1, 1234567890123, None],
    # REAL read as a double: the f32 values widened exactly.
    "float_col": [1.5, -0.25, 3.4028234663852886e38, 0.10000000149011612, None],
    "double_col": [3.141592653589793, -1e308, 5e-324, 0.1, None],
    "dec_10_2": [D("123.45"), D("-0.05"), D("0.00"), D("99999999.99"), None],
    "dec_38_0": [D(0), D(DEC38_MAX), D(-DEC38_MAX), D(1), None],
    "dec_38_10": [D("1.5000000000"), D("9" * 28 + "." + "9" * 10), D("-" + "9" * 28 + "." + "9" * 10),
                  D("-0.0000000001"), None],
    "str_col": ["hello", "", "emoji 😀 and clef 𝄞", "quote ' and backslash \\", None],
    "long_str_col": ["0123456789" * 1000, "short", "", "tab\tnewline\n", None],
    "bin_col": [b"\xde\xad\xbe\xef", b"", b"\xff\x00\xfe\x80", b"abc", None],
    "datetime_col": [ts(2024, 2, 29, 12, 34, 56, 123456), ts(1969, 12, 31, 23, 59, 59, 999999),
                     ts(1900, 1, 1), ts(1970, 1, 1, 0, 0, 0, 1), None],
    # TIMESTAMP_TZ as SQL_TYPE_TIMESTAMP is the wall time in the value's own zone.
    "tstz_col": [ts(1970, 1, 1, 5, 30), ts(2024, 2, 29, 18, 4, 56, 123456),
                 ts(1970, 1, 1, 5, 29, 59, 999999), ts(1900, 1, 1, 5, 30), None],
    "tstz_ny_col": [ts(1969, 12, 31, 19, 0), ts(2024, 2, 29, 7, 34, 56, 123456),
                    ts(1969, 12, 31, 18, 59, 59, 999999), ts(1899, 12, 31, 19, 0), None],
    "time_col": ["12:34:56.123456", "00:00:00", "23:59:59.999999", "01:02:03", None],
    "array_col": ["[1, 2, 3]", "[]", "[null, 4]", "[5]", None],
    "map_col": ["{a: 1, b: 2}", "{}", "{c: null}", "{d: 4}", None],
    "struct_col": ["{a: 1, b: x}", "{a: null, b: y}", "{a: 3, b: null}", "{a: 4, b: z}", None],
    "null_col": [None, None, None, None, None],
}

EXPECTED_PYTHON_TYPES = {
    "bool_col": bool, "int_col": int, "long_col": int, "float_col": float, "double_col": float,
    "dec_10_2": decimal.Decimal, "dec_38_0": decimal.Decimal, "dec_38_10": decimal.Decimal,
    "str_col": str, "long_str_col": str, "bin_col": bytearray, "datetime_col": datetime.datetime,
    "tstz_col": datetime.datetime, "tstz_ny_col": datetime.datetime, "time_col": str,
    "array_col": str, "map_col": str, "struct_col": str,
}


@pytest.fixture(scope="module")
def types_cnxn(engine, odbc_config):
    cnxn = pyodbc.connect(connection_string(engine), autocommit=True, timeout=30)
    yield cnxn
    cnxn.close()


def column_values(cnxn, column):
    cursor = cnxn.cursor().execute(f"select id, {column} from demo.all_types order by id")
    rows = cursor.fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    return cursor.description[1], [r[1] for r in rows]


@pytest.mark.parametrize("column", sorted(ALL_TYPES_EXPECTED))
def test_all_types_column(types_cnxn, column):
    description, values = column_values(types_cnxn, column)
    expected = ALL_TYPES_EXPECTED[column]
    if column == "bin_col":
        values = [None if v is None else bytes(v) for v in values]
    assert values == expected
    if column in EXPECTED_PYTHON_TYPES:
        assert description[1] in (EXPECTED_PYTHON_TYPES[column], bytes), description


def test_all_types_null_row_in_one_query(types_cnxn):
    columns = ", ".join(sorted(ALL_TYPES_EXPECTED))
    row = types_cnxn.cursor().execute(f"select {columns} from demo.all_types where id = 5").fetchone()
    assert tuple(row) == (None,) * len(ALL_TYPES_EXPECTED)


def test_dates_native_up_to_9999(types_cnxn):
    rows = types_cnxn.cursor().execute(
        "select date_col from demo.all_types where id <> 4 order by id"
    ).fetchall()
    assert [r[0] for r in rows] == [
        datetime.date(2024, 2, 29), datetime.date(1969, 12, 31), datetime.date(1, 1, 1), None
    ]


def _date_struct(raw):
    if raw is None:
        return None
    year, month, day = struct.unpack("=hHH", raw)
    return (year, month, day)


def _interval_struct(raw):
    if raw is None:
        return None
    kind, negative, day, hour, minute, second, fraction = struct.unpack("=ih2x5I", raw)
    assert kind == SQL_IS_DAY_TO_SECOND
    magnitude = datetime.timedelta(days=day, hours=hour, minutes=minute, seconds=second,
                                   microseconds=fraction)
    return -magnitude if negative else magnitude


def test_dates_as_date_struct_including_year_10000(engine, odbc_config):
    cnxn = pyodbc.connect(connection_string(engine), autocommit=True, timeout=30)
    try:
        cnxn.add_output_converter(SQL_TYPE_DATE, _date_struct)
        rows = cnxn.cursor().execute("select date_col from demo.all_types order by id").fetchall()
    finally:
        cnxn.close()
    assert [r[0] for r in rows] == [(2024, 2, 29), (1969, 12, 31), (1, 1, 1), (10000, 1, 1), None]


def test_intervals_as_interval_struct(engine, odbc_config):
    cnxn = pyodbc.connect(connection_string(engine), autocommit=True, timeout=30)
    try:
        cnxn.add_output_converter(SQL_INTERVAL_DAY_TO_SECOND, _interval_struct)
        cursor = cnxn.cursor().execute("select interval_col from demo.all_types order by id")
        assert cursor.description[0][1] is not None
        rows = cursor.fetchall()
    finally:
        cnxn.close()
    assert [r[0] for r in rows] == [
        datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, milliseconds=500),
        datetime.timedelta(microseconds=-1),
        datetime.timedelta(0),
        datetime.timedelta(days=1),
        None,
    ]


def test_column_metadata_sizes_are_finite(types_cnxn):
    cursor = types_cnxn.cursor().execute("select * from demo.all_types where id = 1")
    for name, _type, display, internal, precision, scale, _nullable in cursor.description:
        for value in (display, internal, precision):
            assert value is None or 0 <= value < 2**31, (name, display, internal, precision)
    by_name = {d[0]: d for d in cursor.description}
    assert by_name["dec_10_2"][5] == 2
    assert by_name["dec_38_10"][5] == 10
    assert by_name["dec_38_0"][5] == 0
