//! The BI surface through the unixODBC driver manager (odbc-api, narrow calls): SQLTables and
//! its enumerations, SQLColumns, SQLGetTypeInfo, the typed empty catalog result sets, the
//! SQLGetInfo function bitmasks, and every advertised `{fn}` escape run against e6data-local
//! with its result checked.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::ffi::c_void;

use odbc_api::{Connection, ConnectionOptions, Cursor, Environment};

use driver::conn_str;
use driver::raw;
use engine::Engine;

type Rows = Vec<Vec<Option<String>>>;

fn env() -> Environment {
    Environment::new().expect("ODBC environment")
}

fn connect<'e>(env: &'e Environment, engine: &Engine) -> Connection<'e> {
    env.connect_with_connection_string(&conn_str(engine), ConnectionOptions::default())
        .expect("connect")
}

/// Every row of `cursor` as text (None = NULL), plus the column names.
fn read_all(mut cursor: impl Cursor) -> (Vec<String>, Rows) {
    let names: Vec<String> = cursor.column_names().unwrap().map(|n| n.unwrap()).collect();
    let mut rows = Vec::new();
    while let Some(mut row) = cursor.next_row().unwrap() {
        let mut cells = Vec::new();
        for i in 1..=names.len() as u16 {
            let mut buf = Vec::new();
            let present = row.get_text(i, &mut buf).unwrap();
            cells.push(present.then(|| String::from_utf8(buf).unwrap()));
        }
        rows.push(cells);
    }
    (names, rows)
}

/// The error text of a call that must fail.
fn error_of<T>(result: Result<T, odbc_api::Error>) -> String {
    match result {
        Ok(_) => panic!("the call must fail"),
        Err(e) => e.to_string(),
    }
}

fn text(cell: &Option<String>) -> &str {
    cell.as_deref().unwrap_or("<NULL>")
}

/// SQLTables through raw narrow calls (odbc-api turns empty strings into NULL pointers, and
/// the enumeration modes need real empty strings). `None` passes a NULL pointer.
fn raw_tables(c: &raw::Conn, args: [Option<&str>; 4]) -> (Vec<String>, Rows) {
    let h = c.stmt();
    let ptr = |a: Option<&str>| a.map_or(std::ptr::null(), str::as_ptr);
    let len = |a: Option<&str>| a.map_or(0, |s| s.len() as i16);
    let rc = unsafe {
        SQLTables(
            h,
            ptr(args[0]),
            len(args[0]),
            ptr(args[1]),
            len(args[1]),
            ptr(args[2]),
            len(args[2]),
            ptr(args[3]),
            len(args[3]),
        )
    };
    raw::check(rc, raw::SQL_HANDLE_STMT, h, "SQLTables");
    let out = raw_rows(h);
    unsafe { raw::SQLFreeHandle(raw::SQL_HANDLE_STMT, h) };
    out
}

/// Column names and every row as text, through SQLDescribeColW, SQLFetch and SQLGetData.
fn raw_rows(h: raw::H) -> (Vec<String>, Rows) {
    let mut n = 0i16;
    unsafe { raw::SQLNumResultCols(h, &mut n) };
    let mut names = Vec::new();
    for i in 1..=n as u16 {
        let mut name = [0u16; 64];
        let (mut len, mut ty, mut size, mut digits, mut nullable) =
            (0i16, 0i16, 0usize, 0i16, 0i16);
        let rc = unsafe {
            raw::SQLDescribeColW(
                h,
                i,
                name.as_mut_ptr(),
                64,
                &mut len,
                &mut ty,
                &mut size,
                &mut digits,
                &mut nullable,
            )
        };
        raw::check(rc, raw::SQL_HANDLE_STMT, h, "SQLDescribeColW");
        names.push(String::from_utf16_lossy(&name[..len as usize]));
    }
    let mut rows = Vec::new();
    while unsafe { raw::SQLFetch(h) } == raw::SQL_SUCCESS {
        let mut row = Vec::new();
        for i in 1..=n as u16 {
            let mut buf = [0u8; 512];
            let mut ind = 0isize;
            let rc = unsafe { raw::SQLGetData(h, i, 1, buf.as_mut_ptr().cast(), 512, &mut ind) };
            raw::check(rc, raw::SQL_HANDLE_STMT, h, "SQLGetData");
            row.push(
                (ind != raw::SQL_NULL_DATA)
                    .then(|| String::from_utf8_lossy(&buf[..ind as usize]).into_owned()),
            );
        }
        rows.push(row);
    }
    (names, rows)
}

#[test]
fn tables_enumerations_and_patterns() {
    let engine = Engine::start();
    let c = raw::Conn::connect(&conn_str(&engine));

    let (names, rows) = raw_tables(&c, [Some("%"), Some(""), Some(""), None]);
    assert_eq!(
        names,
        [
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "TABLE_TYPE",
            "REMARKS"
        ]
    );
    assert_eq!(
        rows,
        vec![vec![Some("local".into()), None, None, None, None]]
    );

    let (_, rows) = raw_tables(&c, [Some(""), Some("%"), Some(""), None]);
    let schemas: Vec<&str> = rows.iter().map(|r| text(&r[1])).collect();
    assert_eq!(schemas, ["demo", "tpch"]);
    assert!(rows.iter().all(|r| r[0].is_none() && r[2].is_none()));

    let (_, rows) = raw_tables(&c, [Some(""), Some(""), Some(""), Some("%")]);
    assert_eq!(
        rows,
        vec![vec![None, None, None, Some("TABLE".into()), None]]
    );

    let (_, rows) = raw_tables(&c, [Some("local"), Some("demo"), Some("%"), Some("TABLE")]);
    let tables: Vec<&str> = rows.iter().map(|r| text(&r[2])).collect();
    assert!(tables.contains(&"all_types"), "{tables:?}");
    assert!(
        rows.iter()
            .all(|r| text(&r[3]) == "TABLE" && text(&r[1]) == "demo")
    );
    let mut sorted = tables.clone();
    sorted.sort();
    assert_eq!(tables, sorted, "sorted by TABLE_NAME within a schema");

    // NULL arguments select everything, ordered by catalog, schema, name.
    let (_, all) = raw_tables(&c, [None, None, None, None]);
    let keys: Vec<(String, String)> = all
        .iter()
        .map(|r| (text(&r[1]).to_owned(), text(&r[2]).to_owned()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.contains(&("tpch".into(), "lineitem".into())));

    // `_` is a one-character wildcard; `\_` a literal underscore.
    let (_, rows) = raw_tables(&c, [None, Some("tpc_"), Some("p_rt"), None]);
    let tables: Vec<&str> = rows.iter().map(|r| text(&r[2])).collect();
    assert_eq!(tables, ["part"]);
    let (_, rows) = raw_tables(&c, [None, Some("demo"), Some(r"all\_types"), None]);
    assert_eq!(rows.len(), 1);
    let (_, rows) = raw_tables(&c, [None, Some("demo"), Some(r"all\_typ"), None]);
    assert!(rows.is_empty());
    // Views do not exist.
    let (_, rows) = raw_tables(&c, [None, None, None, Some("'VIEW'")]);
    assert!(rows.is_empty());

    // SQL_ATTR_METADATA_ID: arguments are identifiers (case-insensitive unless quoted).
    let h = c.stmt();
    let rc = unsafe { raw::SQLSetStmtAttr(h, 10014, std::ptr::without_provenance_mut(1), 0) };
    raw::check(rc, raw::SQL_HANDLE_STMT, h, "SQLSetStmtAttr(METADATA_ID)");
    let (schema, table) = ("DEMO", "All_Types");
    let rc = unsafe {
        SQLTables(
            h,
            std::ptr::null(),
            0,
            schema.as_ptr(),
            schema.len() as i16,
            table.as_ptr(),
            table.len() as i16,
            std::ptr::null(),
            0,
        )
    };
    raw::check(rc, raw::SQL_HANDLE_STMT, h, "SQLTables(METADATA_ID)");
    assert_eq!(raw_rows(h).1.len(), 1);
    unsafe { raw::SQLFreeHandle(raw::SQL_HANDLE_STMT, h) };
}
#[test]
fn columns_have_the_odbc3_shape_and_mapped_types() {
    let engine = Engine::start();
    let env = env();
    let conn = connect(&env, &engine);
    let cursor = conn.preallocate().unwrap();
    let cursor = cursor
        .into_columns_cursor("local", "demo", "all_types", "%")
        .unwrap();
    let (names, rows) = read_all(cursor);
    assert_eq!(
        names,
        [
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "COLUMN_NAME",
            "DATA_TYPE",
            "TYPE_NAME",
            "COLUMN_SIZE",
            "BUFFER_LENGTH",
            "DECIMAL_DIGITS",
            "NUM_PREC_RADIX",
            "NULLABLE",
            "REMARKS",
            "COLUMN_DEF",
            "SQL_DATA_TYPE",
            "SQL_DATETIME_SUB",
            "CHAR_OCTET_LENGTH",
            "ORDINAL_POSITION",
            "IS_NULLABLE",
        ]
    );
    let find = |name: &str| {
        rows.iter()
            .find(|r| text(&r[3]) == name)
            .unwrap_or_else(|| panic!("column {name} missing"))
            .iter()
            .map(|c| text(c).to_owned())
            .collect::<Vec<_>>()
    };
    let dec = find("dec_10_2");
    assert_eq!((dec[4].as_str(), dec[5].as_str()), ("3", "DECIMAL"));
    assert_eq!(
        (dec[6].as_str(), dec[8].as_str(), dec[9].as_str()),
        ("10", "2", "10")
    );
    let id = find("id");
    assert_eq!(
        (id[4].as_str(), id[5].as_str(), id[16].as_str()),
        ("4", "INTEGER", "1")
    );
    let s = find("str_col");
    assert_eq!(
        (s[4].as_str(), s[6].as_str()),
        ("-9", "65535"),
        "finite VARCHAR size"
    );
    assert_ne!(s[15], "<NULL>", "CHAR_OCTET_LENGTH for text");
    let ts = find("datetime_col");
    assert_eq!(
        (ts[4].as_str(), ts[13].as_str(), ts[14].as_str()),
        ("93", "9", "3")
    );
    let ordinals: Vec<i32> = rows.iter().map(|r| text(&r[16]).parse().unwrap()).collect();
    assert_eq!(ordinals, (1..=rows.len() as i32).collect::<Vec<_>>());

    let cursor = conn.preallocate().unwrap();
    let (_, rows) = read_all(
        cursor
            .into_columns_cursor("local", "demo", "all_types", "dec%")
            .unwrap(),
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn type_info_rows_and_empty_catalog_sets() {
    let engine = Engine::start();
    let env = env();
    let conn = connect(&env, &engine);
    let mut stmt = conn.preallocate().unwrap();
    let (names, rows) = read_all(
        stmt.primary_keys_cursor(None, Some("demo"), "all_types")
            .unwrap(),
    );
    assert_eq!(
        names,
        [
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "COLUMN_NAME",
            "KEY_SEQ",
            "PK_NAME"
        ]
    );
    assert!(rows.is_empty());
    let st = conn.preallocate().unwrap();
    let cursor = st
        .into_foreign_keys_cursor("", "", "", "local", "demo", "all_types")
        .unwrap();
    let (names, rows) = read_all(cursor);
    assert_eq!(names.len(), 14);
    assert_eq!(names[8], "KEY_SEQ");
    assert!(rows.is_empty());

    // SQLGetTypeInfo through raw calls (odbc-api has no wrapper).
    let c = raw::Conn::connect(&conn_str(&engine));
    let h = c.stmt();
    unsafe {
        raw::check(
            SQLGetTypeInfo(h, 0),
            raw::SQL_HANDLE_STMT,
            h,
            "SQLGetTypeInfo",
        );
        let mut n = 0i16;
        raw::SQLNumResultCols(h, &mut n);
        assert_eq!(n, 19);
        let mut type_rows = Vec::new();
        while raw::SQLFetch(h) == raw::SQL_SUCCESS {
            let mut name = [0u8; 64];
            let mut len = 0isize;
            raw::SQLGetData(h, 1, 1, name.as_mut_ptr().cast(), 64, &mut len);
            let mut data_type = 0i16;
            raw::SQLGetData(h, 2, 5, (&raw mut data_type).cast(), 2, &mut len);
            let mut size = 0i32;
            raw::SQLGetData(h, 3, 4, (&raw mut size).cast(), 4, &mut len);
            let name = String::from_utf8_lossy(&name[..name.iter().position(|b| *b == 0).unwrap()])
                .into_owned();
            type_rows.push((name, data_type, size));
        }
        let types: Vec<i16> = type_rows.iter().map(|r| r.1).collect();
        let mut sorted = types.clone();
        sorted.sort();
        assert_eq!(types, sorted, "ordered by DATA_TYPE");
        for wanted in [1, 12, -8, -9, 3, 2] {
            assert!(types.contains(&wanted), "type {wanted} in {type_rows:?}");
        }
        assert!(
            type_rows.iter().all(|r| r.2 > 0),
            "finite sizes: {type_rows:?}"
        );
        raw::SQLFreeHandle(raw::SQL_HANDLE_STMT, h);
    }
}

#[link(name = "odbc")]
unsafe extern "system" {
    fn SQLGetTypeInfo(stmt: raw::H, data_type: i16) -> i16;
    fn SQLTables(
        stmt: raw::H,
        catalog: *const u8,
        catalog_len: i16,
        schema: *const u8,
        schema_len: i16,
        table: *const u8,
        table_len: i16,
        types: *const u8,
        types_len: i16,
    ) -> i16;
    fn SQLNativeSql(
        dbc: raw::H,
        text: *const u8,
        len: i32,
        out: *mut u8,
        cap: i32,
        out_len: *mut i32,
    ) -> i16;
}

fn info_u32(c: &raw::Conn, info: u16) -> u32 {
    let mut v = 0u32;
    let mut len = 0i16;
    let rc = unsafe { raw::SQLGetInfoW(c.dbc, info, (&raw mut v).cast::<c_void>(), 4, &mut len) };
    raw::check(rc, raw::SQL_HANDLE_DBC, c.dbc, "SQLGetInfoW");
    v
}

/// (SQLGetInfo type, bit, escape expression, expected text; "*" = any non-NULL value,
/// "rand" = a number in [0, 1)). USER() and DATABASE() expect the `UID` and `Catalog` of
/// [`CATALOG_KEY`]'s connection.
const CASES: &[(u16, u32, &str, &str)] = &[
    (50, 0x0000_0001, "{fn CONCAT('ab', 'cd')}", "abcd"),
    (
        50,
        0x0000_0002,
        "{fn INSERT('abcdef', 2, 3, 'XY')}",
        "aXYef",
    ),
    (50, 0x0000_0002, "{fn INSERT('abc', 1, 0, 'X')}", "Xabc"),
    (50, 0x0000_0002, "{fn INSERT('abc', 4, 0, 'de')}", "abcde"),
    (
        50,
        0x0000_0002,
        "{fn IFNULL({fn INSERT(NULL, 1, 1, 'x')}, 'null')}",
        "null",
    ),
    (50, 0x0000_0004, "{fn LEFT('abcdef', 2)}", "ab"),
    (50, 0x0000_0008, "{fn LTRIM('  ab')}", "ab"),
    (50, 0x0000_0010, "{fn LENGTH('abc')}", "3"),
    (50, 0x0000_0020, "{fn LOCATE('c', 'abcabc', 4)}", "6"),
    (50, 0x0000_0040, "{fn LCASE('AbC')}", "abc"),
    (50, 0x0000_0080, "{fn REPEAT('ab', 3)}", "ababab"),
    (50, 0x0000_0100, "{fn REPLACE('abcb', 'b', 'x')}", "axcx"),
    (50, 0x0000_0200, "{fn RIGHT('abcdef', 2)}", "ef"),
    (
        50,
        0x0000_0400,
        "{fn CONCAT({fn RTRIM('ab  ')}, '|')}",
        "ab|",
    ),
    (50, 0x0000_0800, "{fn SUBSTRING('abcdef', 2, 3)}", "bcd"),
    (50, 0x0000_1000, "{fn UCASE('abc')}", "ABC"),
    (50, 0x0000_2000, "{fn ASCII('A')}", "65"),
    (50, 0x0000_4000, "{fn CHAR(66)}", "B"),
    (50, 0x0000_8000, "{fn DIFFERENCE('Robert', 'Rupert')}", "4"),
    (50, 0x0000_8000, "{fn DIFFERENCE('Green', 'Blue')}", "1"),
    (50, 0x0002_0000, "{fn SOUNDEX('Miller')}", "M460"),
    (50, 0x0002_0000, "{fn SOUNDEX('Ashcraft')}", "A261"),
    (50, 0x0001_0000, "{fn LOCATE('c', 'abcabc')}", "3"),
    (50, 0x0004_0000, "{fn CONCAT({fn SPACE(2)}, '|')}", "  |"),
    (50, 0x0008_0000, "{fn BIT_LENGTH('ab')}", "16"),
    (50, 0x0010_0000, "{fn CHAR_LENGTH('abc')}", "3"),
    (50, 0x0020_0000, "{fn CHARACTER_LENGTH('abcd')}", "4"),
    (50, 0x0040_0000, "{fn OCTET_LENGTH('ab')}", "2"),
    (49, 0x0000_0001, "{fn ABS(-2)}", "2"),
    (49, 0x0000_0002, "{fn ACOS(1)}", "0"),
    (49, 0x0000_0004, "{fn ASIN(0)}", "0"),
    (49, 0x0000_0008, "{fn ATAN(0)}", "0"),
    (49, 0x0000_0010, "{fn ATAN2(0, 1)}", "0"),
    (49, 0x0000_0020, "{fn CEILING(1.2)}", "2"),
    (49, 0x0000_0040, "{fn COS(0)}", "1"),
    (49, 0x0000_0080, "{fn COT(1)}", "0.6420926159343306"),
    (49, 0x0000_0100, "{fn EXP(0)}", "1"),
    (49, 0x0000_0200, "{fn FLOOR(1.8)}", "1"),
    (49, 0x0000_0400, "{fn LOG(1)}", "0"),
    (49, 0x0000_0800, "{fn MOD(7, 3)}", "1"),
    (49, 0x0000_1000, "{fn SIGN(-5)}", "-1"),
    (49, 0x0000_2000, "{fn SIN(0)}", "0"),
    (49, 0x0000_4000, "{fn SQRT(16)}", "4"),
    (49, 0x0000_8000, "{fn TAN(0)}", "0"),
    (49, 0x0001_0000, "{fn PI()}", "3.141592653589793"),
    (49, 0x0002_0000, "{fn RAND()}", "rand"),
    (49, 0x0004_0000, "{fn DEGREES({fn PI()})}", "180"),
    (49, 0x0008_0000, "{fn LOG10(100)}", "2"),
    (49, 0x0010_0000, "{fn POWER(2, 10)}", "1024"),
    (49, 0x0020_0000, "{fn RADIANS(180)}", "3.141592653589793"),
    (49, 0x0040_0000, "{fn ROUND(2.567, 2)}", "2.57"),
    (49, 0x0080_0000, "{fn TRUNCATE(2.567, 1)}", "2.5"),
    (52, 0x0000_0001, "{fn NOW()}", "*"),
    (52, 0x0000_0002, "{fn CURDATE()}", "*"),
    (52, 0x0000_0004, "{fn DAYOFMONTH({d '2024-03-05'})}", "5"),
    (52, 0x0000_0008, "{fn DAYOFWEEK({d '2024-03-05'})}", "3"),
    (52, 0x0000_0010, "{fn DAYOFYEAR({d '2024-03-05'})}", "65"),
    (52, 0x0000_0020, "{fn MONTH({d '2024-03-05'})}", "3"),
    (52, 0x0000_0040, "{fn QUARTER({d '2024-08-05'})}", "3"),
    (52, 0x0000_0080, "{fn WEEK({d '2024-12-30'})}", "53"),
    (52, 0x0000_0080, "{fn WEEK({d '2024-01-06'})}", "1"),
    (
        52,
        0x0000_0080,
        "{fn WEEK({ts '2024-01-07 12:00:00'})}",
        "2",
    ),
    (52, 0x0000_0080, "{fn WEEK({d '2023-01-01'})}", "1"),
    (
        52,
        0x0000_0100,
        "{fn HOUR({ts '2024-03-05 10:11:12'})}",
        "10",
    ),
    (
        52,
        0x0000_0200,
        "{fn MINUTE({ts '2024-03-05 10:11:12'})}",
        "11",
    ),
    (
        52,
        0x0000_0400,
        "{fn SECOND({ts '2024-03-05 10:11:12.5'})}",
        "12",
    ),
    (52, 0x0000_0800, "{fn YEAR({d '2024-03-05'})}", "2024"),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, {ts '2024-01-31 10:00:00'})}",
        "2024-02-29 10:00:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SQL_TSI_YEAR, 1, {ts '2024-02-29 08:00:00'})}",
        "2025-02-28 08:00:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SQL_TSI_QUARTER, -1, {ts '2024-05-31 00:00:00'})}",
        "2024-02-29 00:00:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SQL_TSI_WEEK, -1, {ts '2024-01-03 00:00:00'})}",
        "2023-12-27 00:00:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SQL_TSI_DAY, 1, {d '2024-12-31'})}",
        "2025-01-01 00:00:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SQL_TSI_HOUR, 25, {ts '2024-12-31 23:30:00'})}",
        "2025-01-02 00:30:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(sql_tsi_minute, -90, {ts '2024-01-01 00:30:00'})}",
        "2023-12-31 23:00:00",
    ),
    (
        52,
        0x0000_2000,
        "{fn TIMESTAMPADD(SECOND, 61, {ts '2024-01-01 00:00:00'})}",
        "2024-01-01 00:01:01",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_MONTH, {ts '2024-01-31 23:00:00'}, {ts '2024-02-01 01:00:00'})}",
        "1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_MONTH, {d '2024-03-15'}, {d '2023-01-20'})}",
        "-14",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_YEAR, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00'})}",
        "1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_YEAR, {d '2021-01-01'}, {d '1900-03-28'})}",
        "-121",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_QUARTER, {d '2024-03-31'}, {d '2024-04-01'})}",
        "1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_DAY, {ts '2024-03-10 23:59:59'}, {ts '2024-03-11 00:00:01'})}",
        "1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_DAY, {d '2024-03-01'}, {d '2024-01-01'})}",
        "-60",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_WEEK, {d '2024-12-28'}, {d '2024-12-29'})}",
        "1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_WEEK, {d '2024-12-29'}, {d '2025-01-04'})}",
        "0",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_WEEK, {d '2025-01-05'}, {d '2024-12-21'})}",
        "-3",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_HOUR, {ts '2024-01-01 10:59:59'}, {ts '2024-01-01 11:00:00'})}",
        "1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(MINUTE, {ts '2024-01-01 00:00:59'}, {ts '2023-12-31 23:59:00'})}",
        "-1",
    ),
    (
        52,
        0x0000_4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_SECOND, {ts '2024-01-01 00:00:00.9'}, {ts '2024-01-01 00:00:01.1'})}",
        "1",
    ),
    (52, 0x0000_8000, "{fn DAYNAME({d '2024-03-05'})}", "Tuesday"),
    (52, 0x0001_0000, "{fn MONTHNAME({d '2024-03-05'})}", "March"),
    (52, 0x0002_0000, "{fn CURRENT_DATE()}", "*"),
    (52, 0x0008_0000, "{fn CURRENT_TIMESTAMP()}", "*"),
    (
        52,
        0x0010_0000,
        "{fn EXTRACT(YEAR FROM {d '2024-03-05'})}",
        "2024",
    ),
    (51, 0x0000_0001, "{fn USER()}", "demo"),
    (51, 0x0000_0002, "{fn DATABASE()}", "local"),
    (51, 0x0000_0004, "{fn IFNULL(NULL, 'x')}", "x"),
    (48, 0x0000_0001, "{fn CONVERT('42', SQL_INTEGER)}", "42"),
];

/// The connection-string pair the scalar-function test connects with, for `{fn DATABASE()}`.
const CATALOG_KEY: &str = "Catalog=local;";

fn same(actual: &str, expected: &str) -> bool {
    match (actual.parse::<f64>(), expected.parse::<f64>()) {
        (Ok(a), Ok(e)) => (a - e).abs() < 1e-9,
        _ => actual == expected,
    }
}

#[test]
fn every_advertised_scalar_function_runs_on_e6data_local() {
    let engine = Engine::start();
    let raw_conn = raw::Conn::connect(&conn_str(&engine));
    for info in [48u16, 49, 50, 51, 52] {
        let mask = info_u32(&raw_conn, info);
        let tested = CASES
            .iter()
            .filter(|c| c.0 == info)
            .fold(0u32, |m, c| m | c.1);
        assert_eq!(
            mask, tested,
            "info {info}: advertised bits without a test (or the reverse)"
        );
    }
    // SQL_TIMEDATE_ADD_INTERVALS / SQL_TIMEDATE_DIFF_INTERVALS: SECOND..YEAR, tested above
    // and below; SQL_TSI_FRAC_SECOND (bit 1) is refused.
    assert_eq!(
        info_u32(&raw_conn, 109),
        0x1FE,
        "SQL_TIMEDATE_ADD_INTERVALS"
    );
    assert_eq!(
        info_u32(&raw_conn, 110),
        0x1FE,
        "SQL_TIMEDATE_DIFF_INTERVALS"
    );
    for (bit, interval) in [
        (0x002, "SECOND"),
        (0x004, "MINUTE"),
        (0x008, "HOUR"),
        (0x010, "DAY"),
        (0x020, "WEEK"),
        (0x040, "MONTH"),
        (0x080, "QUARTER"),
        (0x100, "YEAR"),
    ] {
        assert_ne!(0x1FE & bit, 0, "{interval}");
        for function in ["TIMESTAMPADD", "TIMESTAMPDIFF"] {
            let tested = CASES.iter().any(|c| {
                let expr = c.2.to_ascii_uppercase();
                expr.starts_with(&format!("{{FN {function}("))
                    && (expr.contains(&format!("({interval},"))
                        || expr.contains(&format!("SQL_TSI_{interval},")))
            });
            assert!(tested, "{function} with {interval} has no case");
        }
    }
    let env = env();
    let conn = env
        .connect_with_connection_string(
            &driver::conn_str_with(&engine, CATALOG_KEY),
            ConnectionOptions::default(),
        )
        .expect("connect");
    let mut failures = Vec::new();
    for (_, _, expr, expected) in CASES {
        let sql = format!("SELECT {expr} AS v");
        let value = match conn.execute(&sql, (), None) {
            Ok(Some(cursor)) => read_all(cursor).1.first().and_then(|r| r[0].clone()),
            Ok(None) => None,
            Err(e) => {
                failures.push(format!("{expr}: {e}"));
                continue;
            }
        };
        let ok = match (value.as_deref(), *expected) {
            (Some(_), "*") => true,
            (Some(v), "rand") => v.parse::<f64>().is_ok_and(|x| (0.0..1.0).contains(&x)),
            (Some(v), e) => same(v, e),
            (None, _) => false,
        };
        if !ok {
            failures.push(format!("{expr}: got {value:?}, expected {expected}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let mut conv = Vec::new();
    let cursor = conn
        .execute(
            "SELECT {fn CONVERT({fn CONVERT(7, SQL_VARCHAR)}, SQL_DOUBLE)} AS d, \
             {fn CONVERT('2024-01-02', SQL_DATE)} AS dt",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    conv.extend(read_all(cursor).1);
    assert_eq!(conv[0][0].as_deref().map(|v| same(v, "7")), Some(true));
    assert_eq!(conv[0][1].as_deref(), Some("2024-01-02"));
}

#[test]
fn escapes_in_where_clauses_native_sql_and_errors() {
    let engine = Engine::start();
    let env = env();
    let conn = connect(&env, &engine);
    let cursor = conn
        .execute(
            "SELECT COUNT(*) FROM demo.all_types a {oj LEFT OUTER JOIN demo.all_types b ON a.id = b.id} \
             WHERE a.date_col >= {d '1900-01-01'} OR a.date_col IS NULL",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    let (_, rows) = read_all(cursor);
    assert!(text(&rows[0][0]).parse::<i64>().unwrap() > 0);
    // e6data string literals take backslash escapes: 'a\\_b' is the pattern a\_b, and
    // DataFusion's LIKE only accepts the backslash as its escape character.
    let cursor = conn
        .execute(
            r"SELECT CASE WHEN 'a_b' LIKE 'a\\_b' {escape '\'} THEN 'y' ELSE 'n' END AS m1,
                     CASE WHEN 'axb' LIKE 'a\\_b' {escape '\'} THEN 'y' ELSE 'n' END AS m2",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    let rows = read_all(cursor).1;
    assert_eq!(
        (rows[0][0].as_deref(), rows[0][1].as_deref()),
        (Some("y"), Some("n"))
    );

    let err = error_of(conn.execute("SELECT {fn CURTIME()}", (), None));
    assert!(err.contains("HYC00"), "{err}");
    let err = error_of(conn.execute(
        "SELECT {fn TIMESTAMPADD(SQL_TSI_FRAC_SECOND, 1, {ts '2024-01-01 00:00:00'})}",
        (),
        None,
    ));
    assert!(
        err.contains("HYC00") && err.contains("SQL_TSI_FRAC_SECOND"),
        "{err}"
    );
    let err = error_of(conn.execute(
        "SELECT {fn TIMESTAMPDIFF(SQL_TSI_FORTNIGHT, {d '2024-01-01'}, {d '2024-02-01'})}",
        (),
        None,
    ));
    assert!(err.contains("42000"), "{err}");
    let err = error_of(conn.execute("{call p(1)}", (), None));
    assert!(err.contains("HYC00"), "{err}");
    let err = error_of(conn.execute("SELECT {fn UCASE('a')", (), None));
    assert!(err.contains("42000"), "{err}");

    let c = raw::Conn::connect(&conn_str(&engine));
    for (sql, native) in [
        (
            "SELECT {fn UCASE(name)} FROM t WHERE d = {d '2024-01-02'}",
            "SELECT upper(name) FROM t WHERE d = DATE '2024-01-02'",
        ),
        // The connection's user name; no Catalog key, so DATABASE() is empty like
        // SQLGetInfo(SQL_DATABASE_NAME).
        ("SELECT {fn USER()}, {fn DATABASE()}", "SELECT 'demo', ''"),
    ] {
        let mut out = [0u8; 256];
        let mut len = 0i32;
        let rc = unsafe {
            SQLNativeSql(
                c.dbc,
                sql.as_ptr(),
                sql.len() as i32,
                out.as_mut_ptr(),
                256,
                &mut len,
            )
        };
        raw::check(rc, raw::SQL_HANDLE_DBC, c.dbc, "SQLNativeSql");
        assert_eq!(std::str::from_utf8(&out[..len as usize]).unwrap(), native);
    }
}

#[test]
fn get_info_answers_unknown_and_odbc4_types() {
    let engine = Engine::start();
    let c = raw::Conn::connect(&conn_str(&engine));
    for info in [180u16, 1750] {
        let mut v = 99u32;
        let mut len = 0i16;
        let rc = unsafe { raw::SQLGetInfoW(c.dbc, info, (&raw mut v).cast(), 4, &mut len) };
        assert!(
            rc == raw::SQL_SUCCESS || rc == raw::SQL_SUCCESS_WITH_INFO,
            "info {info}: rc {rc}"
        );
        assert_eq!(v, 0);
    }
    assert_eq!(info_u32(&c, 115), 0x7F, "SQL_OJ_CAPABILITIES");
    assert_ne!(info_u32(&c, 56) & 0x8000, 0, "CHAR converts to DATE");
}
