//! Reaching AWS: the profiles of the user's config files, one connection per profile, and
//! SSO sign-in. Everything that calls IAM goes through a connection from here.

pub mod account_read;
pub mod connection;
pub mod credential_process;
pub mod profiles;
pub mod sso;
pub mod watch;

/// `MaxItems` for every IAM listing: AWS's largest page. Without it AWS answers 100 items a
/// page, so 5,000 users are 50 sequential calls where 5 do.
pub const PAGE: i32 = 1000;
