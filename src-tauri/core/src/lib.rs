//! Gatehouse's IAM logic, free of Tauri so that it builds, tests and runs anywhere.
//!
//! The shell's commands only parse their arguments, call into here and hand the result
//! (or an [`Error`], serialised as `{code, message}`) back to the UI.

/// All items of a paginated IAM listing, with errors mapped to ours naming the endpoint.
macro_rules! items {
    ($conn:expr, $builder:expr) => {
        $builder.into_paginator().items().send().try_collect().await.map_err(|e| $conn.error(e))
    };
}

/// Sends one IAM call whose output is not needed.
macro_rules! call {
    ($conn:expr, $builder:expr) => {
        $builder.send().await.map(|_| ()).map_err(|e| $conn.error(e))
    };
}

pub mod credentials;
pub mod deletion;
mod deletion_aws;
pub mod error;
pub mod groups;
pub mod handoff;
pub mod inventory;
pub mod mfa;
pub mod passwords;
pub mod policies;
pub mod principals;
pub mod profiles;
pub mod rotation;
pub mod secrets;
pub mod sensitive;
pub mod session;
pub mod users;
pub mod validate;
pub mod vocab;

pub use error::{Error, ErrorCode, Result};
pub use profiles::{Profile, ProfileKind, ProfileList, ProfileSource};
pub use sensitive::Sensitive;
pub use session::{CallerIdentity, ConnectOptions, Connection, Sessions};
pub use users::UserSummary;
