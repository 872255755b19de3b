//! The core's integration tests, one module per area, linked as one binary.
//!
//! They run on parallel threads of one process, so none may change what the process
//! shares: a module's suite-wide moto servers live in its own statics, and nothing sets
//! environment variables (the keychain test runs its body in a child process instead).

mod common;

mod access;
mod account;
mod architecture;
mod audit;
mod aws_shaped;
mod credentials;
mod deletion;
mod faults;
mod fleet;
mod keychain;
mod moto;
mod policies;
mod profiles_mfa;
mod roles;
mod rotation;
mod sandbox;
mod sso;
mod users_groups;
mod validation;
