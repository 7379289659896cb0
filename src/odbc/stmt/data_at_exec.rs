//! Data-at-execution parameters: SQLParamData and SQLPutData.
//!
//! A parameter whose length/indicator is `SQL_DATA_AT_EXEC` or `SQL_LEN_DATA_AT_EXEC(length)`
//! (the length is only a hint: `SQL_NEED_LONG_DATA_LEN` is "N") gets its value at execution:
//!
//! 1. SQLExecute/SQLExecDirect check the bindings and return `SQL_NEED_DATA` ("need data").
//! 2. SQLParamData names the next such parameter in parameter order, handing back its
//!    `SQL_DESC_DATA_PTR` (moved by the bind offset: the application's token) with
//!    `SQL_NEED_DATA` ("must put").
//! 3. SQLPutData sends the value, in several pieces for character and binary C types
//!    ("can put"); SQLParamData moves on to the next parameter, and after the last one runs the
//!    statement as SQLExecute would and returns its result.
//!
//! The pieces are converted only when the statement runs, with the conversion a bound buffer
//! gets, so a UTF-8 or UTF-16 character may be split between pieces. A sequence ends when the
//! statement runs, on SQLCancel (the statement goes back to prepared, or allocated after
//! SQLExecDirect), and on any error of SQLParamData or SQLPutData other than a sequence error
//! (HY010), as the ODBC state tables prescribe. While it lasts, every other statement function
//! answers HY010 (see [`super::Stmt`]'s `accepts_calls`).

use std::collections::{BTreeMap, VecDeque};
use std::ffi::c_void;
use std::sync::atomic::Ordering;

use super::super::convert::CType;
use super::super::diag::{OdbcError, Outcome};
use super::super::entry::lock;
use super::super::ffi::{SQL_DEFAULT_PARAM, SQL_NTS, SQL_NULL_DATA, SqlLen, SqlPointer};
use super::super::out::write_if_some;
use super::params::{self, nul_terminated};
use super::{Stmt, StmtState, execute};

/// What SQLPutData sent for one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// `SQL_NULL_DATA`.
    Null,
    /// The concatenated pieces, in the parameter's C type.
    Bytes(Vec<u8>),
}

/// Sent values by 0-based parameter index.
pub type SentValues = BTreeMap<usize, Sent>;

/// A data-at-execution sequence in progress.
#[derive(Debug)]
pub struct NeedData {
    /// Parameter markers of the statement.
    markers: usize,
    /// The data-at-execution parameters SQLParamData has not named yet (0-based, ascending).
    waiting: VecDeque<usize>,
    /// The parameter SQLParamData named last, which SQLPutData calls fill.
    current: Option<Current>,
    /// The values of the parameters already complete.
    sent: SentValues,
}

/// The parameter receiving SQLPutData calls.
#[derive(Debug)]
struct Current {
    /// 0-based parameter index.
    index: usize,
    /// The C type of its data.
    c_type: CType,
    /// What was sent so far (`None` before the first SQLPutData).
    data: Option<Sent>,
}

/// Starts a sequence for the data-at-execution parameters `waiting` (0-based, ascending) of a
/// statement with `markers` parameters.
pub(super) fn begin(stmt: &Stmt, state: &mut StmtState, waiting: Vec<usize>, markers: usize) {
    state.need_data = Some(NeedData {
        markers,
        waiting: waiting.into(),
        current: None,
        sent: SentValues::new(),
    });
    stmt.needs_data.store(true, Ordering::SeqCst);
}

/// Ends the sequence in progress (completed, failed or cancelled) and returns it.
pub(super) fn end(stmt: &Stmt, state: &mut StmtState) -> Option<NeedData> {
    stmt.needs_data.store(false, Ordering::SeqCst);
    state.need_data.take()
}

/// SQLParamData.
///
/// # Safety
/// `value_ptr_ptr` is null or valid for writing a pointer.
pub unsafe fn param_data(
    stmt: &Stmt,
    value_ptr_ptr: *mut SqlPointer,
) -> Result<Outcome, OdbcError> {
    let mut state = lock(&stmt.state)?;
    let Some(need) = state.need_data.as_ref() else {
        return Err(OdbcError::sequence(
            "SQLParamData without data-at-execution parameters to send; call it after \
             SQLExecute or SQLExecDirect returned SQL_NEED_DATA",
        ));
    };
    if let Some(current) = &need.current
        && current.data.is_none()
    {
        return Err(OdbcError::sequence(&format!(
            "SQLParamData before any data was sent for parameter {}; call SQLPutData at least \
             once (with SQL_NULL_DATA for NULL)",
            current.index + 1
        )));
    }
    // SAFETY: per the caller.
    let step = unsafe { advance(stmt, &mut state, value_ptr_ptr) };
    if step.is_err() {
        end(stmt, &mut state);
    }
    step
}

/// Completes the current parameter, then names the next one, or runs the statement after the
/// last.
///
/// # Safety
/// As [`param_data`].
unsafe fn advance(
    stmt: &Stmt,
    state: &mut StmtState,
    value_ptr_ptr: *mut SqlPointer,
) -> Result<Outcome, OdbcError> {
    let need = state
        .need_data
        .as_mut()
        .ok_or_else(|| OdbcError::internal("no data-at-execution sequence"))?;
    if let Some(done) = need.current.take()
        && let Some(data) = done.data
    {
        need.sent.insert(done.index, data);
    }
    if let Some(index) = need.waiting.pop_front() {
        let (token, c_type) = params::data_at_exec_target(stmt, index, need.markers)?;
        need.current = Some(Current {
            index,
            c_type,
            data: None,
        });
        // SAFETY: per the caller.
        unsafe { write_if_some(value_ptr_ptr, token as SqlPointer) };
        return Ok(Outcome::NeedData);
    }
    let need = end(stmt, state)
        .ok_or_else(|| OdbcError::internal("the data-at-execution sequence vanished"))?;
    let sql = state
        .sql
        .clone()
        .ok_or_else(|| OdbcError::internal("no statement text"))?;
    execute::run_text(stmt, state, &sql, &need.sent)
}

/// SQLPutData.
///
/// # Safety
/// `data` is null or valid for `len` bytes (up to and including the terminator for
/// `SQL_NTS`; the C type's size for fixed-size C types).
pub unsafe fn put_data(
    stmt: &Stmt,
    data: *const c_void,
    len: SqlLen,
) -> Result<Outcome, OdbcError> {
    let mut state = lock(&stmt.state)?;
    let Some(need) = state.need_data.as_mut() else {
        return Err(OdbcError::sequence(
            "SQLPutData without a data-at-execution parameter to send; call SQLExecute or \
             SQLExecDirect, then SQLParamData until it returns SQL_NEED_DATA",
        ));
    };
    let Some(current) = need.current.as_mut() else {
        return Err(OdbcError::sequence(
            "SQLPutData before SQLParamData named a parameter; call SQLParamData first",
        ));
    };
    // SAFETY: per the caller.
    let appended = unsafe { current.append(data.cast(), len) };
    if appended.is_err() {
        end(stmt, &mut state);
    }
    appended.map(|()| Outcome::Success)
}

impl Current {
    /// Adds one SQLPutData call's data.
    ///
    /// # Safety
    /// As [`put_data`].
    unsafe fn append(&mut self, data: *const u8, len: SqlLen) -> Result<(), OdbcError> {
        let number = self.index + 1;
        match len {
            SQL_NULL_DATA => {
                if self.data.is_some() {
                    return Err(null_concatenation(number));
                }
                self.data = Some(Sent::Null);
                return Ok(());
            }
            SQL_DEFAULT_PARAM => {
                return Err(OdbcError::new(
                    "07S01",
                    format!(
                        "invalid use of default parameter: parameter {number} was sent as \
                         SQL_DEFAULT_PARAM, but e6data statements have no parameter defaults; \
                         send a value or SQL_NULL_DATA"
                    ),
                ));
            }
            _ => {}
        }
        if self.data == Some(Sent::Null) {
            return Err(null_concatenation(number));
        }
        if let Some(size) = self.c_type.fixed_size() {
            if self.data.is_some() {
                return Err(OdbcError::new(
                    "HY019",
                    format!(
                        "non-character and non-binary data sent in pieces: parameter {number} \
                         is bound with a fixed-size C type (C type code {}); send its value in \
                         one SQLPutData call",
                        self.c_type.code()
                    ),
                ));
            }
            if data.is_null() {
                return Err(OdbcError::null_pointer("DataPtr"));
            }
            // SAFETY: per the caller, a value of the C type is readable at `data`.
            let value = unsafe { std::slice::from_raw_parts(data, size) };
            self.data = Some(Sent::Bytes(value.to_vec()));
            return Ok(());
        }
        if data.is_null() && len != 0 {
            return Err(OdbcError::null_pointer("DataPtr (StrLen_or_Ind is not 0)"));
        }
        let size = match len {
            n if n >= 0 => usize::try_from(n).unwrap_or(0),
            // SAFETY (both): per the caller, NUL-terminated text.
            SQL_NTS if self.c_type == CType::Char => unsafe { nul_terminated::<u8>(data, 0) },
            SQL_NTS if self.c_type == CType::WChar => unsafe {
                nul_terminated::<u16>(data.cast(), 0) * 2
            },
            other => {
                return Err(OdbcError::bad_length(
                    "StrLen_or_Ind (a length, SQL_NTS for character data, or SQL_NULL_DATA)",
                    other,
                ));
            }
        };
        let piece: &[u8] = if size == 0 {
            &[]
        } else {
            // SAFETY: per the caller, `size` bytes are readable at `data`.
            unsafe { std::slice::from_raw_parts(data, size) }
        };
        if let Some(Sent::Bytes(collected)) = &mut self.data {
            collected.extend_from_slice(piece);
        } else {
            self.data = Some(Sent::Bytes(piece.to_vec()));
        }
        Ok(())
    }
}

/// HY020 for SQL_NULL_DATA combined with other SQLPutData calls for one parameter.
fn null_concatenation(number: usize) -> OdbcError {
    OdbcError::new(
        "HY020",
        format!(
            "attempt to concatenate a null value: parameter {number} received SQL_NULL_DATA and \
             other data; send SQL_NULL_DATA alone, in the parameter's only SQLPutData call"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current(c_type: CType) -> Current {
        Current {
            index: 0,
            c_type,
            data: None,
        }
    }

    fn put(c: &mut Current, piece: &[u8]) -> Result<(), OdbcError> {
        unsafe { c.append(piece.as_ptr(), piece.len() as SqlLen) }
    }

    #[test]
    fn character_pieces_concatenate_as_bytes() {
        let text = "näive 😀".as_bytes();
        let mut c = current(CType::Char);
        // Split inside the two-byte 'ä' and inside the emoji.
        put(&mut c, &text[..2]).unwrap();
        put(&mut c, &text[2..8]).unwrap();
        put(&mut c, &[]).unwrap();
        put(&mut c, &text[8..]).unwrap();
        assert_eq!(c.data, Some(Sent::Bytes(text.to_vec())));
    }

    #[test]
    fn nts_reads_to_the_terminator() {
        let mut c = current(CType::Char);
        unsafe { c.append(b"ab\0zz".as_ptr(), SQL_NTS) }.unwrap();
        unsafe { c.append(c"c".as_ptr().cast(), SQL_NTS) }.unwrap();
        assert_eq!(c.data, Some(Sent::Bytes(b"abc".to_vec())));
        let wide: Vec<u16> = "xy\0z".encode_utf16().collect();
        let mut w = current(CType::WChar);
        unsafe { w.append(wide.as_ptr().cast(), SQL_NTS) }.unwrap();
        assert_eq!(w.data, Some(Sent::Bytes(b"x\0y\0".to_vec())));
        let mut b = current(CType::Binary);
        let err = unsafe { b.append(c"ab".as_ptr().cast(), SQL_NTS) }.unwrap_err();
        assert_eq!(err.sqlstate, "HY090");
    }

    #[test]
    fn fixed_size_types_take_one_call() {
        let mut c = current(CType::SLong);
        let v = 42i32.to_ne_bytes();
        // The length is ignored for fixed-size C types.
        unsafe { c.append(v.as_ptr(), 1) }.unwrap();
        assert_eq!(c.data, Some(Sent::Bytes(v.to_vec())));
        assert_eq!(put(&mut c, &v).unwrap_err().sqlstate, "HY019");
    }

    #[test]
    fn null_is_alone() {
        let mut c = current(CType::Char);
        unsafe { c.append(std::ptr::null(), SQL_NULL_DATA) }.unwrap();
        assert_eq!(c.data, Some(Sent::Null));
        assert_eq!(put(&mut c, b"x").unwrap_err().sqlstate, "HY020");
        let mut c = current(CType::Char);
        put(&mut c, b"x").unwrap();
        let err = unsafe { c.append(std::ptr::null(), SQL_NULL_DATA) }.unwrap_err();
        assert_eq!(err.sqlstate, "HY020");
    }

    #[test]
    fn bad_lengths_and_pointers() {
        let mut c = current(CType::Binary);
        assert_eq!(
            unsafe { c.append(b"x".as_ptr(), -7) }.unwrap_err().sqlstate,
            "HY090"
        );
        assert_eq!(
            unsafe { c.append(std::ptr::null(), 3) }
                .unwrap_err()
                .sqlstate,
            "HY009"
        );
        assert_eq!(
            unsafe { c.append(b"x".as_ptr(), SQL_DEFAULT_PARAM) }
                .unwrap_err()
                .sqlstate,
            "07S01"
        );
        // A null pointer with length 0 is an empty piece.
        unsafe { c.append(std::ptr::null(), 0) }.unwrap();
        assert_eq!(c.data, Some(Sent::Bytes(Vec::new())));
        let mut f = current(CType::Double);
        assert_eq!(
            unsafe { f.append(std::ptr::null(), 8) }
                .unwrap_err()
                .sqlstate,
            "HY009"
        );
    }
}
