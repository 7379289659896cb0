//! Compiles `proto/*.proto` into tonic clients and servers with a pure-Rust protobuf
//! compiler (protox), so the build needs no system `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = ["proto/e6x_engine.proto", "proto/cluster.proto"];
    for p in &protos {
        println!("cargo:rerun-if-changed={p}");
    }
    // The driver library is never unmapped by dlclose: its runtime threads are joined at the
    // last SQLFreeHandle(ENV), but Rust TLS destructors must not outlive the code (ODBC issue #4).
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    let fds = protox::compile(protos, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
