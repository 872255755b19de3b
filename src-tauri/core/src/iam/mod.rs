//! IAM's own entities: users, groups, roles, what users, groups and roles share (tags,
//! policies, rename, boundaries), managed policies, trust policies, instance profiles, and
//! the whole account's inventory.

pub mod account;
pub mod credential_report;
pub mod details;
pub mod groups;
pub mod instance_profiles;
pub mod inventory;
pub mod policies;
pub mod principals;
pub mod roles;
pub mod trust;
pub mod users;
