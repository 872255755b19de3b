//! Reaching AWS: the profiles of the user's config files, one connection per profile, and
//! SSO sign-in. Everything that calls IAM goes through a connection from here.

pub mod account_read;
pub mod connection;
pub mod profiles;
pub mod sso;
pub mod watch;
