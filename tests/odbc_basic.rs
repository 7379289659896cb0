//! The driver through the unixODBC driver manager with odbc-api (narrow calls, the Linux
//! default): connect, types, NULLs, block fetch, long data, parameters, describe, errors.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer, TextRowSet};
use odbc_api::sys::{Date, Timestamp};
use odbc_api::{
    Bit, ConnectionOptions, Cursor, DataType, Environment, IntoParameter, Nullable,
    ResultSetMetadata,
};

use driver::{conn_str, conn_str_with};
use engine::Engine;

fn env() -> Environment {
    Environment::new().expect("ODBC environment")
}

fn must_fail<T>(r: Result<T, odbc_api::Error>, what: &str) -> odbc_api::Error {
    match r {
        Ok(_) => panic!("{what} must fail"),
        Err(e) => e,
    }
}

fn sqlstate(e: &odbc_api::Error) -> String {
    match e {
        odbc_api::Error::Diagnostics { record, .. } => record.state.as_str().to_string(),
        other => panic!("expected a diagnostic record, got {other}"),
    }
}

#[test]
fn connects_reports_info_and_disconnects() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .expect("connect");
    assert_eq!(conn.database_management_system_name().unwrap(), "e6data");
    assert!(!conn.is_dead().unwrap());
    let cursor = conn.execute("SELECT 1 AS one", (), None).unwrap().unwrap();
    let mut cursor = cursor;
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut one = 0i64;
    row.get_data(1, &mut one).unwrap();
    assert_eq!(one, 1);
    drop(cursor);
    drop(conn);
}

#[test]
fn bad_password_is_28000_and_bad_host_is_08001() {
    let engine = Engine::start();
    let env = env();
    let bad = format!(
        "Driver={};Host={};Port={};UID=demo;PWD=wrong",
        driver::driver_path().display(),
        engine.host,
        engine.port
    );
    let err = must_fail(
        env.connect_with_connection_string(&bad, ConnectionOptions::default()),
        "bad password must fail",
    );
    assert_eq!(sqlstate(&err), "28000", "{err}");
    let err = must_fail(
        env.connect_with_connection_string(
            &format!(
                "Driver={};Host=127.0.0.1;Port=1;UID=demo;PWD=demo",
                driver::driver_path().display()
            ),
            ConnectionOptions::default(),
        ),
        "closed port must fail",
    );
    assert_eq!(sqlstate(&err), "08001", "{err}");
}

/// Reads column `col` of the current row as text (None for NULL).
fn text(row: &mut odbc_api::CursorRow<'_>, col: u16) -> Option<String> {
    let mut buf = Vec::new();
    row.get_text(col, &mut buf)
        .unwrap()
        .then(|| String::from_utf8(buf).expect("UTF-8 text"))
}

#[test]
fn every_type_of_demo_all_types_has_the_right_value() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .unwrap();
    let sql = "SELECT id, bool_col, int_col, long_col, float_col, double_col, dec_10_2, dec_38_0, \
               dec_38_10, str_col, long_str_col, bin_col, date_col, datetime_col, tstz_col, \
               tstz_ny_col, time_col, interval_col, array_col, map_col, struct_col, null_col \
               FROM demo.all_types ORDER BY id";
    let mut cursor = conn.execute(sql, (), None).unwrap().expect("a result set");
    // Metadata: finite sizes, the documented SQL types.
    assert_eq!(cursor.num_result_cols().unwrap(), 22);
    for col in 1..=22u16 {
        let dt = cursor.col_data_type(col).unwrap();
        if let Some(size) = dt.column_size() {
            assert!(size.get() < 1 << 20, "column {col}: size {size}");
        }
    }
    assert!(matches!(cursor.col_data_type(4).unwrap(), DataType::BigInt));
    assert!(matches!(
        cursor.col_data_type(3).unwrap(),
        DataType::Integer
    ));
    assert!(matches!(
        cursor.col_data_type(7).unwrap(),
        DataType::Decimal {
            precision: 38,
            scale: 2
        } | DataType::Numeric {
            precision: 38,
            scale: 2
        }
    ));
    assert!(matches!(cursor.col_data_type(13).unwrap(), DataType::Date));
    assert!(matches!(
        cursor.col_data_type(14).unwrap(),
        DataType::Timestamp { precision: 6 }
    ));
    assert_eq!(cursor.col_name(10).unwrap(), "str_col");

    // Row 1.
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut id = 0i32;
    row.get_data(1, &mut id).unwrap();
    assert_eq!(id, 1);
    let mut b = Bit(0);
    row.get_data(2, &mut b).unwrap();
    assert!(b.as_bool());
    let mut i = Nullable::<i32>::null();
    row.get_data(3, &mut i).unwrap();
    assert_eq!(i.into_opt(), Some(0));
    let mut f = 0f32;
    row.get_data(5, &mut f).unwrap();
    assert_eq!(f, 1.5);
    let mut d = 0f64;
    row.get_data(6, &mut d).unwrap();
    assert_eq!(d, std::f64::consts::PI);
    assert_eq!(text(&mut row, 7).as_deref(), Some("123.45"));
    assert_eq!(text(&mut row, 8).as_deref(), Some("0"));
    assert_eq!(text(&mut row, 9).as_deref(), Some("1.5000000000"));
    assert_eq!(text(&mut row, 10).as_deref(), Some("hello"));
    assert_eq!(text(&mut row, 11), Some("0123456789".repeat(1000)));
    let mut bin = Vec::new();
    assert!(row.get_binary(12, &mut bin).unwrap());
    assert_eq!(bin, [0xde, 0xad, 0xbe, 0xef]);
    let mut date = Date::default();
    row.get_data(13, &mut date).unwrap();
    assert_eq!((date.year, date.month, date.day), (2024, 2, 29));
    let mut ts = Timestamp::default();
    row.get_data(14, &mut ts).unwrap();
    assert_eq!(
        (
            ts.year,
            ts.month,
            ts.day,
            ts.hour,
            ts.minute,
            ts.second,
            ts.fraction
        ),
        (2024, 2, 29, 12, 34, 56, 123_456_000)
    );
    assert_eq!(
        text(&mut row, 15).as_deref(),
        Some("1970-01-01 05:30:00+05:30")
    );
    let mut tz = Timestamp::default();
    row.get_data(16, &mut tz).unwrap();
    assert_eq!(
        (tz.year, tz.month, tz.day, tz.hour),
        (1969, 12, 31, 19),
        "New York local time"
    );
    assert_eq!(text(&mut row, 17).as_deref(), Some("12:34:56.123456"));
    assert_eq!(text(&mut row, 18).as_deref(), Some("1 02:03:04.500000"));
    assert_eq!(text(&mut row, 19).as_deref(), Some("[1, 2, 3]"));
    assert!(text(&mut row, 20).is_some_and(|m| m.contains('a') && m.contains('2')));
    assert!(text(&mut row, 21).is_some_and(|s| s.contains('x')));
    assert_eq!(text(&mut row, 22), None);

    // Row 2: extremes.
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut i = 0i32;
    row.get_data(3, &mut i).unwrap();
    assert_eq!(i, i32::MIN);
    let mut l = 0i64;
    row.get_data(4, &mut l).unwrap();
    assert_eq!(l, i64::MIN);
    assert_eq!(text(&mut row, 8), Some("9".repeat(38)));
    assert_eq!(
        text(&mut row, 9),
        Some(format!("{}.{}", "9".repeat(28), "9".repeat(10)))
    );
    assert_eq!(text(&mut row, 10).as_deref(), Some(""));
    let mut bin = Vec::new();
    assert!(row.get_binary(12, &mut bin).unwrap());
    assert!(bin.is_empty());
    let mut date = Date::default();
    row.get_data(13, &mut date).unwrap();
    assert_eq!((date.year, date.month, date.day), (1969, 12, 31));
    let mut ts = Timestamp::default();
    row.get_data(14, &mut ts).unwrap();
    assert_eq!((ts.year, ts.second, ts.fraction), (1969, 59, 999_999_000));

    // Row 3: non-BMP text, year 1.
    let mut row = cursor.next_row().unwrap().unwrap();
    assert_eq!(text(&mut row, 10).as_deref(), Some("emoji 😀 and clef 𝄞"));
    assert_eq!(text(&mut row, 13).as_deref(), Some("0001-01-01"));

    // Row 4: year 10000.
    let mut row = cursor.next_row().unwrap().unwrap();
    assert_eq!(text(&mut row, 13).as_deref(), Some("+10000-01-01"));
    assert_eq!(
        text(&mut row, 10).as_deref(),
        Some("quote ' and backslash \\")
    );

    // Row 5: NULL everywhere but id.
    let mut row = cursor.next_row().unwrap().unwrap();
    for col in 2..=22u16 {
        assert_eq!(text(&mut row, col), None, "column {col} of the NULL row");
    }
    let mut n = Nullable::<i64>::null();
    row.get_data(4, &mut n).unwrap();
    assert_eq!(n.into_opt(), None);
    assert!(cursor.next_row().unwrap().is_none());
}

#[test]
fn block_fetch_with_columnar_and_text_buffers() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .unwrap();

    // 1M rows through a 10k-row column-wise I64 buffer.
    let cursor = conn
        .execute("SELECT n FROM demo.numbers", (), None)
        .unwrap()
        .unwrap();
    let buffer = ColumnarDynBuffer::from_descs(10_000, [BufferDesc::I64 { nullable: false }]);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let (mut rows, mut sum) = (0u64, 0i128);
    while let Some(batch) = block.fetch().unwrap() {
        let values = batch.column(0).as_slice::<i64>().unwrap();
        rows += values.len() as u64;
        sum += values.iter().map(|v| i128::from(*v)).sum::<i128>();
    }
    assert_eq!(rows, 1_000_000);
    assert_eq!(sum, 500_000_500_000);

    // TPC-H lineitem through a text row set of 1000 rows.
    let mut cursor = conn
        .execute(
            "SELECT l_orderkey, l_comment, l_shipdate FROM tpch.lineitem",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    let buffer = TextRowSet::for_cursor(1000, &mut cursor, Some(4096)).unwrap();
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut rows = 0usize;
    while let Some(batch) = block.fetch().unwrap() {
        for r in 0..batch.num_rows() {
            let date = batch.at_as_str(2, r).unwrap().expect("shipdate");
            assert_eq!(date.len(), 10, "{date}");
        }
        rows += batch.num_rows();
    }
    assert_eq!(rows, 60_175);
}

#[test]
fn prepared_statements_with_parameters() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .unwrap();
    let mut cursor = conn
        .execute("SELECT ? + 1 AS answer", &41i64, None)
        .unwrap()
        .unwrap();
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut answer = 0i64;
    row.get_data(1, &mut answer).unwrap();
    assert_eq!(answer, 42);
    drop(cursor);

    let mut prepared = conn
        .prepare("SELECT id FROM demo.all_types WHERE id = ? OR str_col = ? ORDER BY id")
        .unwrap();
    for (id, s, expected) in [
        (2i32, "hello", vec![1, 2]),
        (4, "nothing", vec![4]),
        (9, "it's", vec![]),
    ] {
        let text = s.into_parameter();
        let mut cursor = prepared.execute((&id, &text)).unwrap().unwrap();
        let mut got = Vec::new();
        while let Some(mut row) = cursor.next_row().unwrap() {
            let mut v = 0i32;
            row.get_data(1, &mut v).unwrap();
            got.push(v);
        }
        assert_eq!(got, expected, "id={id} s={s}");
    }
}

#[test]
fn describe_after_prepare_before_execute() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .unwrap();
    let mut prepared = conn
        .prepare("SELECT id, str_col, dec_10_2 FROM demo.all_types WHERE id = ?")
        .unwrap();
    assert_eq!(prepared.num_result_cols().unwrap(), 3);
    assert_eq!(prepared.col_name(2).unwrap(), "str_col");
    assert!(matches!(
        prepared.col_data_type(1).unwrap(),
        DataType::Integer
    ));
    assert!(matches!(
        prepared.col_data_type(2).unwrap(),
        DataType::WVarchar { .. } | DataType::Varchar { .. }
    ));
    let mut cursor = prepared.execute(&3i32).unwrap().unwrap();
    assert!(cursor.next_row().unwrap().is_some());
}

#[test]
fn errors_carry_sqlstates() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .unwrap();
    let err = must_fail(conn.execute("SELEC 1", (), None), "syntax error");
    assert_eq!(sqlstate(&err), "42000", "{err}");
    let err = must_fail(
        conn.execute("SELECT * FROM demo.no_such_table", (), None),
        "unknown table",
    );
    assert_eq!(sqlstate(&err), "42000", "{err}");
    let message = err.to_string();
    assert!(message.contains("[e6data][ODBC]"), "{message}");
    // The connection is still usable.
    assert!(conn.execute("SELECT 1", (), None).unwrap().is_some());
}

#[test]
fn catalog_and_schema_keys_apply_to_queries() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(
            &conn_str_with(&engine, "Catalog=local;Schema=demo"),
            ConnectionOptions::default(),
        )
        .unwrap();
    assert_eq!(conn.current_catalog().unwrap(), "local");
    let mut cursor = conn
        .execute("SELECT count(*) FROM all_types", (), None)
        .unwrap()
        .unwrap();
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut n = 0i64;
    row.get_data(1, &mut n).unwrap();
    assert_eq!(n, 5);
}

#[test]
fn connection_dead_reflects_a_lost_link() {
    let engine = Engine::start();
    let env = env();
    let conn = env
        .connect_with_connection_string(&conn_str(&engine), ConnectionOptions::default())
        .unwrap();
    assert!(!conn.is_dead().unwrap());
    let addr = engine.addr.clone();
    drop(engine);
    // Hold the port so no engine another test starts can take it: every connection to it is
    // accepted and dropped at once, as a crashed server's host would reset it.
    let _resetter = ConnectionResetter::bind(&addr);
    let err = must_fail(
        conn.execute("SELECT 1", (), None),
        "a query without a server",
    );
    let state = sqlstate(&err);
    assert!(state.starts_with("08"), "{err}");
    assert!(
        conn.is_dead().unwrap(),
        "SQL_ATTR_CONNECTION_DEAD after {state}"
    );
}

/// Accepts connections on an address and drops them immediately (a server that is gone),
/// keeping the port from being reused while it lives.
struct ConnectionResetter {
    _thread: Option<std::thread::JoinHandle<()>>,
}

impl ConnectionResetter {
    fn bind(addr: &str) -> ConnectionResetter {
        let Ok(listener) = std::net::TcpListener::bind(addr) else {
            // The port was taken in between: the call still cannot reach our engine.
            return ConnectionResetter { _thread: None };
        };
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                drop(stream);
            }
        });
        ConnectionResetter {
            _thread: Some(thread),
        }
    }
}
