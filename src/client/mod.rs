//! The async e6data client: gRPC channel, sessions, the per-target blue/green strategy store,
//! the query lifecycle and client-side parameter substitution. It knows nothing of ODBC.
//!
//! Modules: `config` ([`ClientConfig`], [`Auth`]); `error` ([`ClientError`], [`ErrorKind`]);
//! `strategy` ([`Colour`], [`TargetKey`], [`StrategyStore`] and its snapshot); `matcher` (the
//! one place that recognises 456, 503 and `Access denied`); `connection` ([`Connection`],
//! [`ExecOptions`]: execute, describe, browsing, dry run); `query` ([`Query`], pinned, with a
//! bounded prefetch of the next batch); `cancel` ([`CancelToken`]); `params` ([`ParamValue`],
//! [`count_markers`], [`substitute`]).
//!
//! Sessions (lazy authenticate, detection, staleness) live in `session`, auto-resume in
//! `resume`, and the channel and headers in `channel`.

pub mod cancel;
mod channel;
pub mod config;
pub mod connection;
pub mod error;
pub mod matcher;
pub mod params;
pub mod query;
mod resume;
mod session;
pub mod strategy;

pub use cancel::CancelToken;
pub use config::{Auth, ClientConfig};
pub use connection::{Connection, ExecOptions};
pub use error::{ClientError, ErrorKind};
pub use params::{ParamValue, count_markers, substitute};
pub use query::Query;
pub use strategy::{
    Colour, PinnedByColour, QueryPin, StrategySnapshot, StrategyStore, TargetKey, store_for,
};
