//! Gatehouse's IAM logic, free of Tauri so that it builds, tests and runs anywhere.
//!
//! The shell's commands only parse their arguments, call into here and hand the result
//! (or an [`Error`], serialised as `{code, message}`) back to the UI.

/// All items of a paginated IAM listing, with errors mapped to ours naming the endpoint.
/// Pages are asked for at AWS's largest size ([`aws::PAGE`]): AWS answers 100 a page otherwise.
macro_rules! items {
    ($conn:expr, $builder:expr) => {
        $builder
            .max_items($crate::aws::PAGE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| $conn.error(e))
    };
}

/// Sends one IAM call whose output is not needed.
macro_rules! call {
    ($conn:expr, $builder:expr) => {
        $builder.send().await.map(|_| ()).map_err(|e| $conn.error(e))
    };
}

// One paragraph per layer of docs/architecture.md, lowest first: a module imports only
// modules of the paragraphs before its own (tests/it/architecture.rs checks it).
pub mod error;
pub mod private_file;
pub mod sensitive;

pub mod rules;
pub mod vocab;

pub mod policy;

pub mod aws;
pub mod saved_file;
pub mod secrets;

pub mod iam;

pub mod access;
pub mod credentials;

pub mod fleet;

pub mod deletion;

pub mod audit;

pub use error::{Error, ErrorCode, Result};
