//! Decoding speed of a 100k-row result chunk of (LONG, DOUBLE, STRING, DATE, DATETIME).
//!
//! Prints one `decode: <N> rows/s (<M> MB/s)` line from a one-second measurement loop, then runs
//! the criterion benchmarks. Run with `cargo bench -p e6data-odbc --bench decode`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use e6data_odbc::wire::{Chunk, Column, ColumnValues, VectorType, decode_chunk, encode_chunk};

const ROWS: usize = 100_000;

/// A chunk shaped like a typical fact-table scan, with a NULL in every 17th row.
fn sample_chunk() -> Chunk {
    let nulls: Vec<bool> = (0..ROWS).map(|r| r % 17 == 0).collect();
    let names: Vec<String> = (0..ROWS).map(|r| format!("Customer#{r:09}")).collect();
    let day = 86_400_000_000i64;
    let column = |vector_type, values| {
        Column::new(vector_type, nulls.clone(), values).expect("valid benchmark column")
    };
    let rows = (0..ROWS).map(|r| r as i64);
    Chunk::new(
        ROWS,
        vec![
            column(
                VectorType::Long,
                ColumnValues::Int64(rows.clone().map(|r| r * 7919).collect()),
            ),
            column(
                VectorType::Double,
                ColumnValues::Float64(rows.clone().map(|r| r as f64 * 1.25).collect()),
            ),
            column(
                VectorType::String,
                ColumnValues::from_byte_values(names.iter().map(|n| n.as_bytes()))
                    .expect("small strings"),
            ),
            column(
                VectorType::Date,
                ColumnValues::Date(rows.clone().map(|r| (r % 3650) * day).collect()),
            ),
            column(
                VectorType::DateTime,
                ColumnValues::Time {
                    micros: rows
                        .map(|r| 1_700_000_000_000_000 + r * 1_000_003)
                        .collect(),
                    zones: None,
                },
            ),
        ],
    )
    .expect("valid benchmark chunk")
}

/// Decodes repeatedly for about a second and prints the rate.
fn print_rate(bytes: &[u8]) {
    let budget = Duration::from_secs(1);
    let start = Instant::now();
    let mut iterations = 0u32;
    while start.elapsed() < budget {
        black_box(decode_chunk(black_box(bytes)).expect("benchmark chunk decodes"));
        iterations += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    let rows_per_second = f64::from(iterations) * ROWS as f64 / seconds;
    let mb_per_second = f64::from(iterations) * bytes.len() as f64 / seconds / 1e6;
    println!("decode: {rows_per_second:.0} rows/s ({mb_per_second:.0} MB/s)");
}

fn main() {
    let chunk = sample_chunk();
    let bytes = encode_chunk(&chunk).expect("benchmark chunk encodes");
    assert_eq!(decode_chunk(&bytes).expect("decodes"), chunk);
    println!(
        "chunk: {ROWS} rows, {} bytes ({:.1} bytes/row)",
        bytes.len(),
        bytes.len() as f64 / ROWS as f64
    );
    print_rate(&bytes);

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("chunk_100k");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(50);
    group.bench_function("decode_chunk", |b| {
        b.iter(|| decode_chunk(black_box(&bytes)))
    });
    group.bench_function("encode_chunk", |b| {
        b.iter(|| encode_chunk(black_box(&chunk)))
    });
    group.finish();
    criterion.final_summary();
}
