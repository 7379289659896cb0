//! A cancel token: `cancel()` from any thread wakes the pending `execute`/`next_chunk` that
//! was given the token, which then cancels the query on the server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    notify: Notify,
}

/// A cloneable cancellation flag with an async wait. The flag stays set until [`reset`].
///
/// [`reset`]: CancelToken::reset
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the flag and wakes every waiter. Never blocks; callable from any thread.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Release);
        self.inner.notify.notify_waiters();
    }

    /// `true` once cancelled (until reset).
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Acquire)
    }

    /// Clears the flag (before reusing the token for the next statement).
    pub fn reset(&self) {
        self.inner.cancelled.store(false, Ordering::Release);
    }

    /// Completes when the token is cancelled (immediately if it already is).
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn cancel_from_another_thread_wakes_the_waiter() {
        let t = CancelToken::new();
        let t2 = t.clone();
        let h = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            t2.cancel();
        });
        tokio::time::timeout(Duration::from_secs(5), t.cancelled())
            .await
            .expect("woken");
        assert!(t.is_cancelled());
        h.join().expect("thread");
        t.reset();
        assert!(!t.is_cancelled());
        let pending = tokio::time::timeout(Duration::from_millis(20), t.cancelled()).await;
        assert!(pending.is_err());
    }

    #[tokio::test]
    async fn already_cancelled_completes_at_once() {
        let t = CancelToken::new();
        t.cancel();
        tokio::time::timeout(Duration::from_secs(1), t.cancelled())
            .await
            .expect("immediate");
    }
}
