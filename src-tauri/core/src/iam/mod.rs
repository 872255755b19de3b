//! IAM's own entities: users, groups, what users, groups and roles share (tags, policies,
//! rename), managed policies, and the whole account's inventory.

pub mod groups;
pub mod inventory;
pub mod policies;
pub mod principals;
pub mod users;
