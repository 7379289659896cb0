//! Generated protobuf messages and tonic stubs for `proto/e6x_engine.proto` and
//! `proto/cluster.proto`. The schema declares no package, so everything lands in one module.

#![allow(clippy::all, missing_docs, non_camel_case_types)]

tonic::include_proto!("_");
