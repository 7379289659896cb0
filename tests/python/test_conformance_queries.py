"""Conformance (issue #3 item 5): the unchanged e6data Python connector against e6data-local.

The connector is an independent implementation of the e6data protocol; every answer here is
decoded by its own gRPC stubs and Thrift decoder. Expected values are TPC-H facts at SF 0.01 or
are recomputed on the client from raw rows, never copied from the engine's own output.
"""

from __future__ import annotations

import collections
import datetime
import decimal

import pytest
from e6data_python_connector import Connection

TPCH_SF001_ROWS = {
    "lineitem": 60175,
    "orders": 15000,
    "customer": 1500,
    "part": 2000,
    "partsupp": 8000,
    "supplier": 100,
    "nation": 25,
    "region": 5,
}


@pytest.fixture(scope="module")
def conn(engine):
    # The connector divides the unscaled DECIMAL128 value by 10**scale in the caller's decimal
    # context, whose default 28 digits would round DECIMAL(38, x) values: widen it.
    decimal.getcontext().prec = 80
    connection = Connection(
        host=engine.host,
        port=engine.port,
        username="demo",
        password="demo",
        catalog="local",
        database="tpch",
    )
    yield connection
    connection.close()


def query(conn, sql, parameters=None):
    cursor = conn.cursor()
    try:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
        description = cursor.description
    finally:
        cursor.clear()
    undecodable = [row for row in rows if "Failed to parse." in row]
    assert not undecodable, f"the connector could not decode rows of {sql!r}: {undecodable[:3]}"
    return rows, description


@pytest.mark.parametrize("table,expected", sorted(TPCH_SF001_ROWS.items()))
def test_tpch_row_counts(conn, table, expected):
    rows, _ = query(conn, f"select count(*) from {table}")
    assert rows == [[expected]] or rows == [(expected,)]


def test_lineitem_count_with_three_part_name_and_semicolon(conn):
    rows, description = query(conn, "select count(*) as n from local.tpch.lineitem;")
    assert rows[0][0] == 60175
    assert description[0][0] == "n"
    assert description[0][1] == "LONG"


def test_join_group_by_matches_client_side_aggregation(conn):
    rows, _ = query(
        conn,
        "select n_name, count(*) as customers, sum(c_acctbal) as balance "
        "from customer join nation on c_nationkey = n_nationkey "
        "group by n_name order by n_name",
    )
    customers, _ = query(conn, "select c_nationkey, c_acctbal from customer")
    nations, _ = query(conn, "select n_nationkey, n_name from nation")
    names = {key: name for key, name in nations}
    counts = collections.Counter()
    balances = collections.defaultdict(decimal.Decimal)
    for nation_key, balance in customers:
        counts[names[nation_key]] += 1
        balances[names[nation_key]] += decimal.Decimal(str(balance))
    expected = [(name, counts[name], balances[name]) for name in sorted(counts)]
    actual = [(name, count, decimal.Decimal(str(balance))) for name, count, balance in rows]
    assert actual == expected
    assert sum(c for _, c, _ in actual) == 1500
    assert len(actual) == 25


def test_tpch_q4_matches_client_side_evaluation(conn):
    """TPC-H Q4 (order priority checking), recomputed on the client from raw rows."""
    rows, _ = query(
        conn,
        "select o_orderpriority, count(*) as order_count from orders "
        "where o_orderdate >= date '1993-07-01' and o_orderdate < date '1993-10-01' "
        "and exists (select * from lineitem where l_orderkey = o_orderkey "
        "and l_commitdate < l_receiptdate) "
        "group by o_orderpriority order by o_orderpriority",
    )
    late, _ = query(conn, "select distinct l_orderkey from lineitem where l_commitdate < l_receiptdate")
    late_keys = {key for (key,) in late}
    orders, _ = query(conn, "select o_orderkey, o_orderdate, o_orderpriority from orders")
    expected = collections.Counter(
        priority
        for key, date, priority in orders
        if "1993-07-01" <= str(date)[:10] < "1993-10-01" and key in late_keys
    )
    assert [tuple(r) for r in rows] == sorted(expected.items())
    assert sum(expected.values()) > 0


def test_multi_batch_result_is_complete(conn):
    """lineitem spans several chunks; every (orderkey, linenumber) arrives exactly once."""
    rows, _ = query(conn, "select l_orderkey, l_linenumber, l_quantity from lineitem")
    assert len(rows) == 60175
    assert len({(r[0], r[1]) for r in rows}) == 60175
    total, _ = query(conn, "select sum(l_quantity) from lineitem")
    assert sum(decimal.Decimal(str(r[2])) for r in rows) == decimal.Decimal(str(total[0][0]))


def test_description_and_rowcount(conn):
    cursor = conn.cursor()
    try:
        cursor.execute("select n_nationkey, n_name from nation where n_nationkey < 3 order by n_nationkey")
        names_and_types = [(d[0], d[1]) for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        cursor.clear()
    assert names_and_types == [("n_nationkey", "LONG"), ("n_name", "STRING")]
    assert [r[0] for r in rows] == [0, 1, 2]
    assert [r[1] for r in rows] == ["ALGERIA", "ARGENTINA", "BRAZIL"]


def test_pyformat_parameters_use_backslash_escapes(conn):
    """The connector escapes parameters with backslashes; the engine must read them back."""
    value = "it's a \\ test\twith\nnewline"
    rows, _ = query(conn, "select %(v)s as v, %(n)s + 1 as n", {"v": value, "n": 41})
    assert rows[0][0] == value
    assert rows[0][1] == 42


def test_double_quoted_identifiers(conn):
    rows, _ = query(conn, 'select "n_name" as "Name With Space" from "nation" where "n_nationkey" = 0')
    assert rows[0][0] == "ALGERIA"


def test_bad_sql_raises(conn):
    with pytest.raises(Exception) as raised:
        query(conn, "select * from no_such_table")
    assert "no_such_table" in str(raised.value)


def test_catalogs_schemas_tables_columns(conn):
    catalogs = conn.get_catalogs()
    assert "local" in [c["name"] for c in catalogs]
    schemas = conn.get_schema_names("local")
    assert {"tpch", "demo"} <= set(schemas)
    tables = conn.get_tables("local", "tpch")
    assert set(TPCH_SF001_ROWS) <= set(tables)
    columns = conn.get_columns("local", "tpch", "nation")
    assert [c["fieldName"] for c in columns] == ["n_nationkey", "n_name", "n_regionkey", "n_comment"]
    base_types = [c["fieldType"].split("(")[0].split("<")[0] for c in columns]
    assert base_types[0] in ("bigint", "long", "int")
    assert base_types[1] in ("string", "varchar", "char")
    assert all(t == t.lower() for t in base_types), base_types


def test_demo_schema_is_listed(conn):
    assert "all_types" in conn.get_tables("local", "demo")


def test_bad_password_is_rejected(conn, engine):
    """An empty sessionId is "Invalid credentials" (the process already knows the colour)."""
    query(conn, "select 1")
    connection = Connection(host=engine.host, port=engine.port, username="demo", password="wrong",
                            catalog="local", database="tpch")
    try:
        with pytest.raises(ValueError, match="Invalid credentials"):
            connection.cursor().execute("select 1")
    finally:
        connection.close()


def test_explain_analyze(conn):
    cursor = conn.cursor()
    try:
        cursor.execute("select count(*) from nation")
        cursor.fetchall()
        analysis = cursor.explain_analyse()
        plan = cursor.explain()
    finally:
        cursor.clear()
    assert analysis["planner"]
    assert plan


# demo.all_types as the connector decodes it: ids 1-4 hold edge values, id 5 is NULL everywhere.
# DATE arrives as ISO text (years past 9999 as "+YYYYY"), DATETIME/TIMESTAMP_TZ as ISO text with
# millisecond precision and the zone's offset, INTERVAL_DAY_SECOND as timedelta, nested types as
# the engine's text rendering.
DEC38_MAX = 10**38 - 1
ALL_TYPES_EXPECTED = {
    "bool_col": [True, False, True, False, None],
    "int_col": [0, -(2**31), 2**31 - 1, 42, None],
    "long_col": [0, -(2**63), 2**63 - 1, 1234567890123, None],
    # FLOAT travels as a double: the f32 values widened exactly.
    "float_col": [1.5, -0.25, 3.4028234663852886e38, 0.10000000149011612, None],
    "double_col": [3.141592653589793, -1e308, 5e-324, 0.1, None],
    "dec_10_2": [decimal.Decimal("123.45"), decimal.Decimal("-0.05"), decimal.Decimal("0.00"),
                 decimal.Decimal("99999999.99"), None],
    "dec_38_0": [decimal.Decimal(0), decimal.Decimal(DEC38_MAX), decimal.Decimal(-DEC38_MAX),
                 decimal.Decimal(1), None],
    "dec_38_10": [decimal.Decimal("1.5000000000"), decimal.Decimal("9" * 28 + "." + "9" * 10),
                  decimal.Decimal("-" + "9" * 28 + "." + "9" * 10), decimal.Decimal("-0.0000000001"), None],
    "str_col": ["hello", "", "emoji 😀 and clef 𝄞", "quote ' and backslash \\", None],
    "long_str_col": ["0123456789" * 1000, "short", "", "tab\tnewline\n", None],
    "date_col": ["2024-02-29", "1969-12-31", "0001-01-01", "+10000-01-01", None],
    "datetime_col": ["2024-02-29T12:34:56.123+00:00", "1969-12-31T23:59:59.999+00:00",
                     "1900-01-01T00:00:00.000+00:00", "1970-01-01T00:00:00.000+00:00", None],
    "tstz_col": ["1970-01-01T05:30:00.000+05:30", "2024-02-29T18:04:56.123+05:30",
                 "1970-01-01T05:29:59.999+05:30", "1900-01-01T05:30:00.000+05:30", None],
    "tstz_ny_col": ["1969-12-31T19:00:00.000-05:00", "2024-02-29T07:34:56.123-05:00",
                    "1969-12-31T18:59:59.999-05:00", "1899-12-31T19:00:00.000-05:00", None],
    "time_col": ["12:34:56.123456", "00:00:00", "23:59:59.999999", "01:02:03", None],
    "interval_col": [datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, milliseconds=500),
                     datetime.timedelta(microseconds=-1), datetime.timedelta(0),
                     datetime.timedelta(days=1), None],
    "array_col": ["[1, 2, 3]", "[]", "[null, 4]", "[5]", None],
    "map_col": ["{a: 1, b: 2}", "{}", "{c: null}", "{d: 4}", None],
    "struct_col": ["{a: 1, b: x}", "{a: null, b: y}", "{a: 3, b: null}", "{a: 4, b: z}", None],
    "null_col": [None, None, None, None, None],
}
ALL_TYPES_WIRE_TYPES = {
    "bool_col": "BOOLEAN", "int_col": "INTEGER", "long_col": "LONG", "float_col": "FLOAT",
    "double_col": "DOUBLE", "dec_10_2": "DECIMAL128", "dec_38_0": "DECIMAL128",
    "dec_38_10": "DECIMAL128", "str_col": "STRING", "long_str_col": "STRING", "date_col": "DATE",
    "datetime_col": "DATETIME", "tstz_col": "TIMESTAMP_TZ", "tstz_ny_col": "TIMESTAMP_TZ",
    "time_col": "STRING", "interval_col": "INTERVAL_DAY_SECOND", "array_col": "ARRAY",
    "map_col": "MAP", "struct_col": "STRUCT", "null_col": "NULL",
}


@pytest.mark.parametrize("column", sorted(ALL_TYPES_EXPECTED))
def test_all_types_column_values(conn, column):
    rows, description = query(conn, f"select id, {column} from demo.all_types order by id")
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert description[1][1] == ALL_TYPES_WIRE_TYPES[column]
    assert [r[1] for r in rows] == ALL_TYPES_EXPECTED[column]


def test_all_types_binary_utf8_rows(conn):
    """BINARY travels in varcharData; the connector's Thrift IDL declares those as UTF-8 strings,
    so it can only decode binary values that happen to be valid UTF-8 (ids 2 and 4)."""
    rows, description = query(conn, "select id, bin_col from demo.all_types where id in (2, 4, 5) order by id")
    assert description[1][1] == "BINARY"
    assert [tuple(r) for r in rows] == [(2, ""), (4, "abc"), (5, None)]


def test_all_types_every_column_in_one_query(conn):
    """All columns at once (minus the non-UTF-8 binary): one chunk with every vector type."""
    columns = ", ".join(sorted(ALL_TYPES_EXPECTED))
    rows, _ = query(conn, f"select {columns} from demo.all_types order by id")
    for index, column in enumerate(sorted(ALL_TYPES_EXPECTED)):
        assert [r[index] for r in rows] == ALL_TYPES_EXPECTED[column], column
