//! Test helper: runs `e6data-local serve --listen 127.0.0.1:0` for one test and stops it on drop.
//!
//! The binary is `$E6DATA_LOCAL_BIN`, else `<target dir>/debug/e6data-local` next to the test
//! executable. Set `E6DATA_TEST_ENGINE_LOG=1` to see the engine's log on stderr.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running e6data-local.
pub struct Engine {
    child: Child,
    /// `host:port` it listens on.
    pub addr: String,
    /// Host part of `addr`.
    pub host: String,
    /// Port part of `addr`.
    pub port: u16,
}

/// Path of the e6data-local binary.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("E6DATA_LOCAL_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current_exe");
    // <target>/debug/deps/<test> -> <target>/debug/e6data-local
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|debug| debug.join("e6data-local"))
        .expect("target directory layout")
}

impl Engine {
    /// Starts an engine with default options.
    pub fn start() -> Engine {
        Engine::start_with(&[])
    }

    /// Starts an engine with extra `serve` arguments.
    pub fn start_with(extra: &[&str]) -> Engine {
        let bin = binary();
        assert!(
            bin.exists(),
            "e6data-local not found at {}: build it (cargo build -p e6data-local) or set E6DATA_LOCAL_BIN",
            bin.display()
        );
        let verbose = std::env::var_os("E6DATA_TEST_ENGINE_LOG").is_some();
        let mut child = Command::new(&bin)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", if verbose { "info" } else { "warn" })
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if verbose {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(addr) = line.trim().strip_prefix("listening on ") {
                    let _ = tx.send(addr.trim().to_string());
                    sent = true;
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!("e6data-local did not print 'listening on ADDR' within 120 s");
            }
        };
        let (host, port) = addr.rsplit_once(':').expect("ADDR is host:port");
        Engine {
            host: host.to_string(),
            port: port.parse().expect("port"),
            addr: addr.clone(),
            child,
        }
    }

    /// Runs `e6data-local ctl --target ADDR <args>`; panics on failure; returns stdout.
    pub fn ctl(&self, args: &[&str]) -> String {
        let out = Command::new(binary())
            .arg("ctl")
            .args(["--target", &self.addr])
            .args(args)
            .output()
            .expect("run e6data-local ctl");
        assert!(
            out.status.success(),
            "ctl {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
