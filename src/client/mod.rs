//! The async e6data client: gRPC channel, sessions, the per-target blue/green strategy store,
//! the query lifecycle and client-side parameter substitution. It knows nothing of ODBC.
//!
//! Modules: `config` ([`ClientConfig`], [`Auth`]); `error` ([`ClientError`], [`ErrorKind`]);
//! `strategy` ([`Colour`], [`TargetKey`], [`StrategyStore`] and its snapshot); `oauth`
//! ([`ClientCredentials`], the token provider and its shared cache); `matcher` (the one place
//! that recognises 456, 503 and `Access denied`); `connection` ([`Connection`],
//! [`ExecOptions`]: execute, describe, browsing, dry run); `query` ([`Query`], pinned, with a
//! bounded prefetch of the next batch); `cancel` ([`CancelToken`]); `params` ([`ParamValue`],
//! [`count_markers`], [`substitute`]).
//!
//! Sessions (lazy authenticate, detection, staleness) live in `session`, auto-resume in
//! `resume`, the channel and headers in `channel`, and the OAuth bearer layer in `token_channel`.

pub mod cancel;
mod channel;
pub mod config;
pub mod connection;
pub mod error;
pub mod matcher;
pub mod oauth;
pub mod params;
pub mod query;
mod resume;
mod session;
pub mod strategy;
mod token_channel;

pub use cancel::CancelToken;
pub use config::{Auth, ClientConfig};
pub use connection::{Connection, ExecOptions};
pub use error::{ClientError, ErrorKind};
pub use oauth::{ClientAuth, ClientCredentials};
pub use params::{ParamValue, count_markers, substitute};
pub use query::Query;
pub use strategy::{
    Colour, PinnedByColour, QueryPin, StrategySnapshot, StrategyStore, TargetKey, store_for,
};
