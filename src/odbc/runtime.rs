//! The ONE tokio runtime of the driver: multi-thread, 2 workers, created when the first
//! environment handle is allocated and shut down (joining its threads, bounded by
//! [`SHUTDOWN_TIMEOUT`]) when the last environment handle is freed, so no driver thread outlives
//! the last ENV (the Windows DM unloads the library after that; field notes trap 15).
//!
//! Application threads drive client futures with [`block_on`]. Called from a thread that is
//! itself inside some async runtime (an async Rust application calling ODBC), the future runs
//! on a short-lived scoped thread instead, because tokio forbids nested `block_on`.

use std::future::Future;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::runtime::{Handle, Runtime};

use super::diag::OdbcError;

/// Upper bound on waiting for the runtime's threads at the last ENV free.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

struct Shared {
    runtime: Option<Runtime>,
    refs: usize,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared {
    runtime: None,
    refs: 0,
});

/// A counted reference to the shared runtime, held by each environment handle. Dropping the
/// last one shuts the runtime down.
#[derive(Debug)]
pub struct RuntimeRef(());

/// Takes a reference, creating the runtime when it is the first.
pub fn acquire() -> Result<RuntimeRef, OdbcError> {
    let mut shared = SHARED.lock();
    if shared.runtime.is_none() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("e6data-odbc")
            .enable_all()
            .build()
            .map_err(|e| {
                OdbcError::new(
                    "HY001",
                    format!("cannot start the driver's I/O runtime: {e}"),
                )
            })?;
        tracing::debug!("driver runtime started");
        shared.runtime = Some(runtime);
    }
    shared.refs += 1;
    Ok(RuntimeRef(()))
}

impl Drop for RuntimeRef {
    fn drop(&mut self) {
        let last = {
            let mut shared = SHARED.lock();
            shared.refs = shared.refs.saturating_sub(1);
            if shared.refs == 0 {
                shared.runtime.take()
            } else {
                None
            }
        };
        if let Some(runtime) = last {
            off_async_context(move || runtime.shutdown_timeout(SHUTDOWN_TIMEOUT));
            tracing::debug!("driver runtime stopped");
        }
    }
}

/// Number of live references (for tests).
#[cfg(test)]
pub fn references() -> usize {
    SHARED.lock().refs
}

fn handle() -> Result<Handle, OdbcError> {
    SHARED
        .lock()
        .runtime
        .as_ref()
        .map(|r| r.handle().clone())
        .ok_or_else(|| {
            OdbcError::sequence("no environment handle is allocated (the runtime is not running)")
        })
}

/// Runs `future` to completion on the shared runtime from an application thread.
pub fn block_on<F>(future: F) -> Result<F::Output, OdbcError>
where
    F: Future + Send,
    F::Output: Send,
{
    let handle = handle()?;
    Ok(off_async_context(move || handle.block_on(future)))
}

/// Runs `f` on this thread, or on a scoped helper thread when this thread is inside an async
/// runtime (where blocking calls would panic).
fn off_async_context<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The runtime is process-wide; this is the only unit test that touches it.
    #[test]
    fn refcounted_lifecycle_and_block_on_from_inside_a_runtime() {
        let a = acquire().unwrap();
        let b = acquire().unwrap();
        assert!(references() >= 2);
        assert_eq!(block_on(async { 40 + 2 }).unwrap(), 42);
        // From inside another runtime: must not panic.
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let got = outer.block_on(async { block_on(async { 7 }).unwrap() });
        assert_eq!(got, 7);
        drop(a);
        assert_eq!(
            block_on(async { 1 }).unwrap(),
            1,
            "still alive with one reference"
        );
        drop(b);
        if references() == 0 {
            assert_eq!(block_on(async { 1 }).unwrap_err().sqlstate, "HY010");
        }
    }
}
