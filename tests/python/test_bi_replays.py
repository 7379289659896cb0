"""Replays of the ODBC call sequences BI tools make when they connect, browse and query
(documented in docs/bi/), through pyodbc and the unixODBC driver manager against e6data-local,
with every answer checked. Plus a metadata walk: catalogs -> schemas -> tables -> columns."""

from __future__ import annotations

import datetime

import pyodbc
import pytest

# SQLGetInfo ids pyodbc has no constant for. (pyodbc itself refuses ids it does not know, such
# as the ODBC 4.0 ones Power BI asks for; tests/odbc_catalog.rs checks those through raw calls.)
SQL_CATALOG_USAGE = 92
SQL_SCHEMA_USAGE = 91
SQL_SQL92_STRING_FUNCTIONS = 164
SQL_AGGREGATE_FUNCTIONS = 169

# The getinfo probe the tools run before generating SQL (Tableau's generic ODBC capability
# probe, Power Query's Odbc.DataSource capability load, MS Query's connect).
CAPABILITY_PROBE = [
    pyodbc.SQL_DBMS_NAME,
    pyodbc.SQL_DBMS_VER,
    pyodbc.SQL_DRIVER_ODBC_VER,
    pyodbc.SQL_IDENTIFIER_QUOTE_CHAR,
    pyodbc.SQL_CATALOG_NAME_SEPARATOR,
    pyodbc.SQL_CATALOG_TERM,
    pyodbc.SQL_SCHEMA_TERM,
    pyodbc.SQL_TABLE_TERM,
    pyodbc.SQL_CATALOG_NAME,
    pyodbc.SQL_MAX_COLUMN_NAME_LEN,
    pyodbc.SQL_MAX_TABLE_NAME_LEN,
    pyodbc.SQL_MAX_SCHEMA_NAME_LEN,
    pyodbc.SQL_MAX_CATALOG_NAME_LEN,
    pyodbc.SQL_TXN_CAPABLE,
    pyodbc.SQL_GETDATA_EXTENSIONS,
    pyodbc.SQL_SEARCH_PATTERN_ESCAPE,
    pyodbc.SQL_STRING_FUNCTIONS,
    pyodbc.SQL_NUMERIC_FUNCTIONS,
    pyodbc.SQL_TIMEDATE_FUNCTIONS,
    pyodbc.SQL_SYSTEM_FUNCTIONS,
    pyodbc.SQL_CONVERT_FUNCTIONS,
    pyodbc.SQL_CONVERT_VARCHAR,
    pyodbc.SQL_CONVERT_INTEGER,
    pyodbc.SQL_OJ_CAPABILITIES,
    pyodbc.SQL_SQL_CONFORMANCE,
    pyodbc.SQL_GROUP_BY,
    pyodbc.SQL_ORDER_BY_COLUMNS_IN_SELECT,
    pyodbc.SQL_KEYWORDS,
    pyodbc.SQL_DATETIME_LITERALS,
    SQL_CATALOG_USAGE,
    SQL_SCHEMA_USAGE,
    SQL_SQL92_STRING_FUNCTIONS,
    SQL_AGGREGATE_FUNCTIONS,
]


@pytest.fixture
def cnxn(engine, odbc_connect):
    return odbc_connect(engine)


def probe(cnxn) -> dict:
    answers = {}
    for info in CAPABILITY_PROBE:
        answers[info] = cnxn.getinfo(info)
    return answers


def test_capability_probe_answers_everything_consistently(cnxn):
    info = probe(cnxn)
    assert info[pyodbc.SQL_DBMS_NAME] == "e6data"
    assert info[pyodbc.SQL_IDENTIFIER_QUOTE_CHAR] == '"'
    assert info[pyodbc.SQL_CATALOG_NAME_SEPARATOR] == "."
    assert info[pyodbc.SQL_SEARCH_PATTERN_ESCAPE] == "\\"
    assert info[pyodbc.SQL_DRIVER_ODBC_VER] == "03.80"
    assert info[pyodbc.SQL_TXN_CAPABLE] == 0
    assert info[SQL_CATALOG_USAGE] & 1 and info[SQL_SCHEMA_USAGE] & 1
    assert info[pyodbc.SQL_STRING_FUNCTIONS] & 0x1000  # UCASE
    assert info[pyodbc.SQL_CONVERT_FUNCTIONS] == 1  # CONVERT
    assert info[pyodbc.SQL_CONVERT_INTEGER] & 0x100  # INTEGER -> VARCHAR
    assert info[SQL_AGGREGATE_FUNCTIONS] == 0x7F


def test_tableau_generic_odbc_sequence(cnxn):
    """Connect + capability probe, type info, catalog/schema/table browse, column metadata
    through an empty query, then the kind of SQL Tableau generates with the TDC's dialect:
    quoted identifiers, {fn} escapes, date literals, GROUP BY, LIMIT."""
    probe(cnxn)
    cursor = cnxn.cursor()
    type_rows = cursor.getTypeInfo().fetchall()
    assert {r.data_type for r in type_rows} >= {1, 12, -9, -8, 3, 4, -5, 8, 91, 93}
    catalogs = [r.table_cat for r in cursor.tables(catalog="%", schema="", table="")]
    assert catalogs == ["local"]
    schemas = [r.table_schem for r in cursor.tables(catalog="", schema="%", table="")]
    assert "tpch" in schemas
    tables = [r.table_name for r in cursor.tables(catalog="local", schema="tpch", table="%", tableType="TABLE,VIEW")]
    assert "nation" in tables
    cursor.execute('SELECT * FROM "local"."tpch"."nation" WHERE 1 = 0')
    assert [d[0] for d in cursor.description][:2] == ["n_nationkey", "n_name"]
    assert cursor.fetchall() == []
    rows = cursor.execute(
        'SELECT {fn UCASE("n_name")} AS "name", COUNT(*) AS "cnt" '
        'FROM "local"."tpch"."nation" WHERE "n_regionkey" = {fn CONVERT(\'1\', SQL_INTEGER)} '
        'GROUP BY {fn UCASE("n_name")} ORDER BY 1 LIMIT 3'
    ).fetchall()
    assert [tuple(r) for r in rows] == [("ARGENTINA", 1), ("BRAZIL", 1), ("CANADA", 1)]
    row = cursor.execute(
        "SELECT {fn YEAR({d '2024-03-05'})} AS y, {fn DAYOFWEEK({ts '2024-03-05 10:00:00'})} AS dw"
    ).fetchone()
    assert tuple(row) == (2024, 3)


def test_excel_ms_query_sequence(cnxn):
    """MS Query: the three SQLTables enumerations, a table list with Excel's quoted type list,
    SQLColumns, SQLStatistics and SQLSpecialColumns on the chosen table, then the query with
    every column read by SQLGetData."""
    cursor = cnxn.cursor()
    assert [tuple(r) for r in cursor.tables(catalog="%", schema="", table="")] == [
        ("local", None, None, None, None)
    ]
    assert [r.table_type for r in cursor.tables(catalog="", schema="", table="", tableType="%")] == ["TABLE"]
    owners = [r.table_schem for r in cursor.tables(catalog="", schema="%", table="")]
    assert owners == sorted(owners) and "demo" in owners
    listed = cursor.tables(schema="tpch", tableType="'TABLE','VIEW','SYSTEM TABLE','ALIAS','SYNONYM'").fetchall()
    assert "region" in [r.table_name for r in listed]
    columns = cursor.columns(table="region", schema="tpch").fetchall()
    assert [c.column_name for c in columns] == ["r_regionkey", "r_name", "r_comment"]
    assert [c.ordinal_position for c in columns] == [1, 2, 3]
    assert cursor.statistics("region", schema="tpch").fetchall() == []
    assert [d[0] for d in cursor.description][:4] == ["table_cat", "table_schem", "table_name", "non_unique"]
    assert cursor.rowIdColumns("region", schema="tpch").fetchall() == []
    assert [d[0] for d in cursor.description][:2] == ["scope", "column_name"]
    rows = cursor.execute(
        'SELECT "r_regionkey", "r_name" FROM "tpch"."region" ORDER BY "r_regionkey"'
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        (0, "AFRICA"),
        (1, "AMERICA"),
        (2, "ASIA"),
        (3, "EUROPE"),
        (4, "MIDDLE EAST"),
    ]


def test_power_bi_navigator_and_folding_sequence(cnxn):
    """Power Query's ODBC connector: capability load, type info for
    folding decisions, navigator (catalogs, schemas, tables), columns, the relationship probes
    (primary and foreign keys) that must return empty typed sets, then a folded query with
    CONVERT to DECIMAL and per-cell reads."""
    probe(cnxn)
    cursor = cnxn.cursor()
    types = cursor.getTypeInfo(pyodbc.SQL_DECIMAL).fetchall()
    assert len(types) == 1 and types[0].type_name == "DECIMAL" and types[0].column_size == 38
    wvarchar = cursor.getTypeInfo(pyodbc.SQL_WVARCHAR).fetchall()
    assert wvarchar and 0 < wvarchar[0].column_size < 2**31
    navigator = cursor.tables(catalog="local", schema="%", table="%").fetchall()
    assert ("tpch", "orders") in {(r.table_schem, r.table_name) for r in navigator}
    cols = cursor.columns(catalog="local", schema="tpch", table="orders").fetchall()
    price = next(c for c in cols if c.column_name == "o_totalprice")
    assert price.data_type in (3, 2, 8)
    assert cursor.primaryKeys("orders", schema="tpch").fetchall() == []
    assert [d[0] for d in cursor.description] == [
        "table_cat", "table_schem", "table_name", "column_name", "key_seq", "pk_name"
    ]
    assert cursor.foreignKeys(table="orders", schema="tpch").fetchall() == []
    assert len(cursor.description) == 14
    total = cursor.execute(
        'SELECT SUM({fn CONVERT("o_totalprice", SQL_DECIMAL)}) AS "t" FROM "tpch"."orders" '
        'WHERE "o_orderdate" < {d \'1993-01-01\'}'
    ).fetchone()[0]
    assert total is not None and float(total) > 0
    row = cursor.execute(
        'SELECT "o_orderkey", "o_orderdate", "o_orderpriority" FROM "tpch"."orders" '
        'ORDER BY "o_orderkey" LIMIT 1'
    ).fetchone()
    assert isinstance(row[0], int) and isinstance(row[1], datetime.date) and isinstance(row[2], str)


def test_libreoffice_base_sequence(cnxn):
    """LibreOffice Base: keywords, type info, every table with NULL arguments, columns, the
    primary-key and index probes, procedures (the Queries pane), then a query."""
    assert cnxn.getinfo(pyodbc.SQL_KEYWORDS) == ""
    cursor = cnxn.cursor()
    assert len(cursor.getTypeInfo().fetchall()) >= 10
    every = cursor.tables().fetchall()
    keys = [(r.table_cat, r.table_schem, r.table_name) for r in every]
    assert keys == sorted(keys)
    assert all(r.table_type == "TABLE" for r in every)
    assert cursor.procedures().fetchall() == []
    assert len(cursor.description) == 8
    assert cursor.procedureColumns().fetchall() == []
    assert len(cursor.description) == 19
    for cat, schem, name in keys[:3]:
        assert cursor.columns(catalog=cat, schema=schem, table=name).fetchall()
        assert cursor.primaryKeys(name, catalog=cat, schema=schem).fetchall() == []
        assert cursor.statistics(name, catalog=cat, schema=schem).fetchall() == []
    assert cursor.execute('SELECT COUNT(*) FROM "tpch"."region"').fetchone()[0] == 5


def test_metadata_walk_lists_catalogs_schemas_tables_and_columns(cnxn):
    cursor = cnxn.cursor()
    walk = {}
    for cat in [r.table_cat for r in cursor.tables(catalog="%", schema="", table="").fetchall()]:
        for schem in sorted({r.table_schem for r in cursor.tables(catalog=cat, schema="%", table="%").fetchall()}):
            for table in [r.table_name for r in cursor.tables(catalog=cat, schema=schem, table="%").fetchall()]:
                cols = cursor.columns(catalog=cat, schema=schem, table=table).fetchall()
                walk[(cat, schem, table)] = [(c.column_name, c.type_name) for c in cols]
    assert ("local", "demo", "all_types") in walk
    assert ("local", "tpch", "lineitem") in walk
    lineitem = dict(walk[("local", "tpch", "lineitem")])
    assert lineitem["l_quantity"] in ("DECIMAL", "DOUBLE", "BIGINT")
    assert lineitem["l_shipdate"] == "DATE"
    assert all(walk.values()), "every table has columns"
    # The column list of SQLColumns matches what a query returns.
    cursor.execute('SELECT * FROM "tpch"."lineitem" LIMIT 0')
    assert [d[0] for d in cursor.description] == [name for name, _ in walk[("local", "tpch", "lineitem")]]
