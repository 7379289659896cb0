//! e6data scalar functions that DataFusion lacks, registered on the session context so that
//! e6data SQL, including what the ODBC driver's `{fn}` translations produce, runs unchanged:
//!
//! - `timestamp_add('UNIT', n, ts)` and `timestamp_diff(a, b, 'UNIT')`, spelled and ordered
//!   as in e6data's dialect (its `TIMESTAMPADD`/`TIMESTAMPDIFF`): see [`date_arith`].
//! - `soundex(s)`: see [`soundex`].

mod date_arith;
mod soundex;

use datafusion::execution::context::SessionContext;
use datafusion::logical_expr::ScalarUDF;

/// Registers every function of this module on `ctx`.
pub fn register(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(date_arith::TimestampAdd::new()));
    ctx.register_udf(ScalarUDF::new_from_impl(date_arith::TimestampDiff::new()));
    ctx.register_udf(ScalarUDF::new_from_impl(soundex::Soundex::new()));
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::util::display::array_value_to_string;

    use super::*;

    /// The single value of `SELECT <expr>` as text.
    async fn value(ctx: &SessionContext, expr: &str) -> String {
        let batches = ctx
            .sql(&format!("SELECT {expr} AS v"))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        array_value_to_string(batches[0].column(0), 0).unwrap()
    }

    #[tokio::test]
    async fn functions_run_through_sql() {
        let ctx = SessionContext::new();
        register(&ctx);
        let cases = [
            (
                "timestamp_add('MONTH', 1, TIMESTAMP '2024-01-31 10:00:00')",
                "2024-02-29T10:00:00",
            ),
            (
                "timestamp_add('day', 1, CAST(DATE '2024-12-31' AS TIMESTAMP))",
                "2025-01-01T00:00:00",
            ),
            (
                "timestamp_add('HOUR', -1, TIMESTAMP '2024-01-01 00:30:00')",
                "2023-12-31T23:30:00",
            ),
            (
                "timestamp_diff(TIMESTAMP '2024-02-01 00:00:00', TIMESTAMP '2024-01-31 23:59:59', \
                 'MONTH')",
                "1",
            ),
            (
                "timestamp_diff(DATE '2024-01-01', DATE '2024-03-01', 'DAY')",
                "-60",
            ),
            ("soundex('Ashcraft')", "A261"),
            (
                "timestamp_add('DAY', NULL, TIMESTAMP '2024-01-01 00:00:00')",
                "",
            ),
            ("soundex(NULL)", ""),
        ];
        for (expr, expected) in cases {
            assert_eq!(value(&ctx, expr).await, expected, "{expr}");
        }
        let err = ctx
            .sql("SELECT timestamp_add('FORTNIGHT', 1, TIMESTAMP '2024-01-01 00:00:00')")
            .await
            .unwrap()
            .collect()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("FORTNIGHT"), "{err}");
    }
}
