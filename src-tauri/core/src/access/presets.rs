//! The questions auditors ask, as "who can" actions. The privilege-escalation ones are the
//! audit's list, asked a way at a time.

use super::AccessPreset;
use crate::policy::admin::{escalation_actions, Escalation};
use std::iter;

pub fn presets() -> Vec<AccessPreset> {
    vec![
        preset(
            "create-users-or-keys",
            "Who can create users, access keys or console passwords",
            iter::once("iam:CreateUser").chain(escalation_actions(Escalation::Credentials)),
        ),
        preset("pass-roles", "Who can pass roles to services", escalation_actions(Escalation::PassRole)),
        preset(
            "change-policies",
            "Who can change policies (privilege escalation)",
            escalation_actions(Escalation::Permissions),
        ),
        preset("admin-equivalent", "Who has admin-equivalent access", ["*"]),
    ]
}

fn preset<'a>(id: &str, title: &str, actions: impl IntoIterator<Item = &'a str>) -> AccessPreset {
    AccessPreset { id: id.into(), title: title.into(), actions: actions.into_iter().map(str::to_string).collect() }
}
