//! The real parts Gatehouse's tests run against, started and stopped by the tests themselves:
//! moto servers (the IAM endpoint), a private Secret Service keychain, temporary AWS config
//! files, boto3 as an independent client, an endpoint that misbehaves on purpose for the
//! faults moto cannot produce, a front that pages, lags and throttles as AWS does (front.rs),
//! and an SSO sign-in endpoint. Every process listens on
//! loopback or a Unix socket only and is stopped by its PID (SIGTERM, then its process
//! group) when dropped.

pub mod awsfiles;
pub mod faults;
pub mod front;
pub mod keychain;
pub mod moto;
pub mod process;
pub mod sso;

pub use awsfiles::AwsFiles;
pub use front::{AwsFront, Behaviour};
pub use keychain::Keychain;
pub use moto::Moto;
pub use process::Service;

use std::path::PathBuf;

/// The repository root (this crate lives in src-tauri/testkit).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root")
}

/// The Python of the venv that `src-tauri/scripts/setup` makes (moto, boto3).
pub fn venv_python() -> PathBuf {
    let venv = std::env::var_os("GATEHOUSE_VENV").map(PathBuf::from).unwrap_or_else(|| repo_root().join(".venv"));
    let py = venv.join("bin/python");
    assert!(py.exists(), "{} is missing: run src-tauri/scripts/setup first", py.display());
    py
}
