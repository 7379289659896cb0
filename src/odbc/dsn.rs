//! DSN values, read through odbcinst's `SQLGetPrivateProfileString` from `odbc.ini` (the user
//! and system files the driver manager resolves, honouring `ODBCINI`/`ODBCSYSINI`).

use std::ffi::{CString, c_char, c_int};

use super::connstr::ConnStr;
use super::settings::KNOWN_KEYS;

#[link(name = "odbcinst")]
unsafe extern "C" {
    fn SQLGetPrivateProfileString(
        section: *const c_char,
        entry: *const c_char,
        default: *const c_char,
        ret_buffer: *mut c_char,
        ret_buffer_len: c_int,
        file_name: *const c_char,
    ) -> c_int;
}

/// Longest value read for one key.
const VALUE_CAPACITY: usize = 4096;

/// Reads one key of a DSN section; `None` when absent or empty.
fn read_key(section: &CString, key: &str) -> Option<String> {
    let entry = CString::new(key).ok()?;
    let file = c"odbc.ini";
    let mut buf = vec![0u8; VALUE_CAPACITY];
    let cap = c_int::try_from(buf.len()).unwrap_or(c_int::MAX);
    // SAFETY: every string is NUL-terminated; the buffer holds `cap` bytes; odbcinst writes at
    // most `cap` bytes including the terminator.
    let n = unsafe {
        SQLGetPrivateProfileString(
            section.as_ptr(),
            entry.as_ptr(),
            c"".as_ptr(),
            buf.as_mut_ptr().cast(),
            cap,
            file.as_ptr(),
        )
    };
    let n = usize::try_from(n).ok()?.min(buf.len());
    let bytes = buf.get(..n)?;
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    let value = String::from_utf8_lossy(bytes.get(..end)?)
        .trim()
        .to_string();
    (!value.is_empty()).then_some(value)
}

/// The known keys of DSN `name` as a connection string (absent keys are left out).
pub fn read(name: &str) -> ConnStr {
    let Ok(section) = CString::new(name) else {
        return ConnStr::default();
    };
    let mut values = ConnStr::default();
    for key in KNOWN_KEYS {
        if let Some(v) = read_key(&section, key) {
            values.push_default(key, &v);
        }
    }
    tracing::debug!(dsn = name, keys = values.pairs().len(), "read DSN");
    values
}
