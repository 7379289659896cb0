//! `e6data-local`: an e6data-compatible engine over Apache DataFusion, with a simulated
//! blue/green deployment (colour gateway, switches with drain, suspension, faults) and its
//! control client. See docs/engine.md.

mod admin;
mod arrow_to_chunk;
mod catalog;
mod cluster;
mod colour_log;
mod ctl;
mod demo;
mod functions;
mod gateway;
mod query;
mod routing;
mod server;
mod session;
mod sql;
mod state;
mod tpch;
mod types;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use e6data_odbc::proto::cluster_service_server::ClusterServiceServer;
use e6data_odbc::proto::query_engine_service_server::QueryEngineServiceServer;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::gateway::{GatewayLayer, RejectMode};
use crate::routing::Colour;
use crate::state::{EngineConfig, EngineState};

/// How often expired sessions and idle queries are dropped.
const SWEEP_INTERVAL: Duration = Duration::from_secs(15);

#[derive(Debug, Parser)]
#[command(
    name = "e6data-local",
    version,
    about = "An e6data-compatible engine over DataFusion"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve QueryEngineService, ClusterService and the control plane on one listener.
    Serve(ServeArgs),
    /// Control a running engine.
    Ctl {
        /// Address of the engine.
        #[arg(long, default_value = "127.0.0.1:50051")]
        target: String,
        #[command(subcommand)]
        action: ctl::Action,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ColourArg {
    Blue,
    Green,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the real address is printed).
    #[arg(long, default_value = "127.0.0.1:50051")]
    listen: SocketAddr,
    /// Directory of `<schema>/<table>.csv|.parquet` files to serve as local.<schema>.<table>.
    #[arg(long)]
    data: Option<PathBuf>,
    /// A user as NAME:TOKEN (repeatable); default demo:demo.
    #[arg(long = "user", value_name = "NAME:TOKEN")]
    users: Vec<String>,
    /// Rows per result chunk.
    #[arg(long, default_value_t = 8192, value_parser = clap::value_parser!(u32).range(1..))]
    batch_rows: u32,
    /// TPC-H scale factor of schema tpch.
    #[arg(long, default_value_t = 0.01)]
    tpch_sf: f64,
    /// How refused calls look: bare HTTP statuses (456/503) or gRPC statuses.
    #[arg(long, value_enum, default_value = "http")]
    reject_mode: RejectMode,
    /// Seconds a session stays valid without use.
    #[arg(long, default_value_t = 3600)]
    session_ttl_secs: u64,
    /// Seconds a resume takes (ClusterService reports `resuming` meanwhile).
    #[arg(long, default_value_t = 2)]
    resume_secs: u64,
    /// Colour accepted at start.
    #[arg(long, value_enum, default_value = "blue")]
    initial_colour: ColourArg,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("e6data-local: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Serve(args) => {
            init_tracing();
            // DataFusion gets its own runtime: CPU-heavy operators must not starve the server.
            let exec = match tokio::runtime::Builder::new_multi_thread()
                .thread_name("e6local-exec")
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("e6data-local: cannot start the execution runtime: {e}");
                    return ExitCode::FAILURE;
                }
            };
            match runtime.block_on(serve(args, exec.handle().clone())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("{e}");
                    eprintln!("e6data-local: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Ctl { target, action } => match runtime.block_on(ctl::run(&target, action)) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("e6data-local ctl: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

async fn serve(args: ServeArgs, exec: tokio::runtime::Handle) -> Result<(), String> {
    if !(args.tpch_sf.is_finite() && args.tpch_sf > 0.0) {
        return Err(format!(
            "--tpch-sf must be a positive number, not {}",
            args.tpch_sf
        ));
    }
    let users = session::Users::from_specs(&args.users).map_err(|e| e.to_string())?;
    let batch_rows = usize::try_from(args.batch_rows).unwrap_or(8192);
    let started = std::time::Instant::now();
    let ctx = catalog::build_context(&catalog::DataOptions {
        tpch_sf: args.tpch_sf,
        batch_rows,
        data_dir: args.data.clone(),
    })
    .await
    .map_err(|e| format!("cannot load data: {e}"))?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "data loaded"
    );

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let config = EngineConfig {
        batch_rows,
        reject_mode: args.reject_mode,
        resume_delay: Duration::from_secs(args.resume_secs),
        engine_ip: addr.ip().to_string(),
        initial_colour: match args.initial_colour {
            ColourArg::Blue => Colour::Blue,
            ColourArg::Green => Colour::Green,
        },
        exec,
    };
    let state = Arc::new(EngineState::new(
        config,
        users,
        Duration::from_secs(args.session_ttl_secs),
        ctx,
    ));

    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SWEEP_INTERVAL);
            loop {
                tick.tick().await;
                state.sweep();
            }
        })
    };

    let engine = server::Engine::new(state.clone());
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let router = Server::builder()
        // Clients ping every 30 s, also when idle: never answer pings with GOAWAY.
        .http2_keepalive_interval(None)
        .layer(GatewayLayer::new(state.clone()))
        .add_service(
            QueryEngineServiceServer::new(engine.clone())
                .max_decoding_message_size(usize::MAX)
                .max_encoding_message_size(usize::MAX),
        )
        .add_service(ClusterServiceServer::new(engine))
        .add_service(admin::pb::admin_server::AdminServer::new(
            admin::AdminService::new(state.clone()),
        ));

    println!("listening on {addr}");
    std::io::stdout()
        .flush()
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    tracing::info!(%addr, colour = state.active_colour().as_str(), "e6data-local ready");

    let result = router
        .serve_with_incoming_shutdown(incoming, shutdown_signal())
        .await
        .map_err(|e| format!("server failed: {e}"));
    sweeper.abort();
    tracing::info!("e6data-local stopped");
    result
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
