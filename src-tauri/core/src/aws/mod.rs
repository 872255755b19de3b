//! Reaching AWS: the profiles of the user's config files and one connection per profile.
//! Everything that calls IAM goes through a connection from here.

pub mod connection;
pub mod profiles;
pub mod sso;
