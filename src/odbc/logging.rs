//! The driver's log: a `tracing` subscriber writing to the DSN's `LogFile` (or stderr when only
//! `LogLevel` is given) at `LogLevel`. Installed once per process by the first connection that
//! asks for logging; later connections cannot change it (a debug line says so). Without
//! `LogLevel`/`LogFile` nothing is installed and the log is off.
//!
//! Secrets never reach the log: connection strings are logged through
//! [`super::connstr::ConnStr::redacted`], settings through their redacting `Debug`.

use std::fs::OpenOptions;
use std::sync::{Mutex, OnceLock};

use tracing::level_filters::LevelFilter;

use super::diag::OdbcError;

static INSTALLED: OnceLock<()> = OnceLock::new();

/// Parses a `LogLevel` value.
pub fn parse_level(text: &str) -> Result<LevelFilter, OdbcError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "off" | "none" | "0" => Ok(LevelFilter::OFF),
        "error" => Ok(LevelFilter::ERROR),
        "warn" | "warning" => Ok(LevelFilter::WARN),
        "info" => Ok(LevelFilter::INFO),
        "debug" => Ok(LevelFilter::DEBUG),
        "trace" => Ok(LevelFilter::TRACE),
        _ => Err(OdbcError::new(
            "08001",
            format!("invalid LogLevel '{text}': use off, error, warn, info, debug or trace"),
        )),
    }
}

/// Installs the log for this process if `level`/`file` ask for one and none is installed yet.
/// A `LogFile` without `LogLevel` logs at `warn`.
pub fn configure(level: Option<&str>, file: Option<&str>) -> Result<(), OdbcError> {
    if level.is_none() && file.is_none() {
        return Ok(());
    }
    let filter = match level {
        Some(l) => parse_level(l)?,
        None => LevelFilter::WARN,
    };
    if filter == LevelFilter::OFF {
        return Ok(());
    }
    if INSTALLED.get().is_some() {
        tracing::debug!(
            "driver log already configured; this connection's LogLevel/LogFile are not applied"
        );
        return Ok(());
    }
    let builder = tracing_subscriber::fmt()
        .with_max_level(filter)
        .with_ansi(false)
        .with_target(true)
        .with_thread_ids(true);
    let installed = match file {
        Some(path) => {
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| {
                    OdbcError::new(
                        "08001",
                        format!(
                            "cannot open LogFile '{path}': {e}; fix the path or remove LogFile"
                        ),
                    )
                })?;
            tracing::subscriber::set_global_default(builder.with_writer(Mutex::new(f)).finish())
        }
        None => {
            tracing::subscriber::set_global_default(builder.with_writer(std::io::stderr).finish())
        }
    };
    // Only fails when a subscriber already exists (set concurrently): either way one is installed.
    let _ = INSTALLED.set(());
    if installed.is_ok() {
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            level = %filter,
            "e6data ODBC driver log started"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse() {
        assert_eq!(parse_level("DEBUG").unwrap(), LevelFilter::DEBUG);
        assert_eq!(parse_level(" warn ").unwrap(), LevelFilter::WARN);
        assert_eq!(parse_level("off").unwrap(), LevelFilter::OFF);
        assert_eq!(parse_level("loud").unwrap_err().sqlstate, "08001");
    }

    #[test]
    fn nothing_requested_installs_nothing() {
        configure(None, None).unwrap();
        configure(Some("off"), None).unwrap();
    }

    #[test]
    fn unwritable_log_file_is_reported() {
        if INSTALLED.get().is_some() {
            return;
        }
        let e = configure(Some("info"), Some("/nonexistent-dir/x/y.log")).unwrap_err();
        assert!(e.message.contains("LogFile"));
    }
}
