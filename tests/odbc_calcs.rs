//! The Tableau TDVT `Calcs` table through odbc-api (narrow calls, unixODBC driver manager):
//! `../shared/data/tdvt/Calcs.csv` is loaded into e6data-local with `--data`, and every column
//! of every row, fetched as text, matches the CSV. Empty CSV fields are NULLs.

#[path = "support/driver.rs"]
mod driver;
#[path = "support/engine.rs"]
mod engine;

use std::path::PathBuf;

use odbc_api::{ConnectionOptions, Cursor, Environment, ResultSetMetadata};

use driver::conn_str_with;
use engine::Engine;

/// The CSV from the shared test data beside the repository.
fn calcs_csv() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/tdvt/Calcs.csv");
    assert!(
        path.exists(),
        "{} is missing: the shared test data must sit beside the repository",
        path.display()
    );
    path
}

/// One CSV line split into fields (double-quoted fields with `""` escapes, or bare ones).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// Header and rows of the CSV, rows sorted by the key column.
fn read_csv() -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(calcs_csv()).expect("read Calcs.csv");
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = split_csv_line(lines.next().expect("header row"));
    let mut rows: Vec<Vec<String>> = lines.map(split_csv_line).collect();
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    (header, rows)
}

/// Whether a fetched text cell equals the CSV field: numbers compare as numbers (the driver
/// renders `1` where the CSV may say `1.0`), everything else as text.
fn same(got: Option<&str>, want: &str) -> bool {
    match (got, want) {
        (None, w) => w.is_empty(),
        (Some(_), "") => false,
        (Some(g), w) => match (g.parse::<f64>(), w.parse::<f64>()) {
            (Ok(a), Ok(b)) => (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0),
            _ => g == w,
        },
    }
}

#[test]
fn every_calcs_column_matches_the_csv_through_odbc_api() {
    let data = std::env::temp_dir().join(format!("e6-calcs-odbc-api-{}", std::process::id()));
    std::fs::create_dir_all(data.join("tdvt")).expect("create data dir");
    std::fs::copy(calcs_csv(), data.join("tdvt/Calcs.csv")).expect("copy Calcs.csv");
    let engine = Engine::start_with(&["--data", data.to_str().expect("utf-8 temp path")]);

    let (header, expected) = read_csv();
    assert_eq!(expected.len(), 17, "Calcs has 17 rows");

    let env = Environment::new().expect("ODBC environment");
    let conn = env
        .connect_with_connection_string(
            &conn_str_with(&engine, "Schema=tdvt"),
            ConnectionOptions::default(),
        )
        .expect("connect");
    let columns: Vec<String> = header.iter().map(|h| format!("\"{h}\"")).collect();
    let sql = format!(
        "SELECT {} FROM \"Calcs\" ORDER BY \"key\"",
        columns.join(", ")
    );
    let mut cursor = conn
        .execute(&sql, (), None)
        .expect("execute")
        .expect("a result set");
    let names: Vec<String> = cursor
        .column_names()
        .expect("column names")
        .map(|n| n.expect("column name"))
        .collect();
    assert_eq!(names, header);

    let mut mismatches = Vec::new();
    let mut nulls = 0;
    let mut row_index = 0;
    while let Some(mut row) = cursor.next_row().expect("fetch") {
        let want = &expected[row_index];
        for (i, name) in header.iter().enumerate() {
            let mut buf = Vec::new();
            let present = row.get_text(i as u16 + 1, &mut buf).expect("get text");
            let got = present.then(|| String::from_utf8(buf).expect("utf-8 text"));
            nulls += usize::from(got.is_none());
            if !same(got.as_deref(), &want[i]) {
                mismatches.push(format!(
                    "{}.{name}: got {got:?}, CSV has {:?}",
                    want[0], want[i]
                ));
            }
        }
        row_index += 1;
    }
    let _ = std::fs::remove_dir_all(&data);
    assert_eq!(row_index, 17, "every row is fetched");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        nulls > 20,
        "the CSV has NULLs in every type; got only {nulls}"
    );
}
