//! Administrator access as the policy language spells it: a statement that allows everything,
//! and the IAM actions with which a principal makes itself an administrator. The audit and
//! "who can" both ask these questions, and must agree on the answers.

use super::evaluate::{Effect, Statement};

/// An Allow of every action on every resource with no condition (`*` or `*:*`). Everything
/// reached by other spellings (`NotAction`, wildcards per service) is not this: the effective
/// permissions' summary, which knows every action, judges those.
pub fn grants_everything(s: &Statement) -> bool {
    s.effect == Effect::Allow
        && !s.not_action
        && !s.not_resource
        && !s.conditional
        && s.actions.iter().any(|a| a == "*" || a == "*:*")
        && s.resources.iter().any(|r| r == "*")
}

/// How an escalation action gets its holder more than it has: "who can" asks about each
/// way as a question of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// It changes what a principal may do: a policy or the version in force, a permissions
    /// boundary, a role's trust policy, a group's members.
    Permissions,
    /// It gives its holder another user's credentials: a new access key or console password.
    Credentials,
    /// It hands a role to a service (EC2, Lambda, Glue, CloudFormation), which then acts
    /// with the role's permissions.
    PassRole,
}

/// The IAM actions with which a principal can grant itself (or a role it can use) more than
/// it has. Sources: the IAM actions of Rhino Security Labs' 21 privilege-escalation methods
/// ("AWS IAM Privilege Escalation – Methods and Mitigation",
/// <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>; their
/// other actions, `lambda:UpdateFunctionCode` or what goes with `iam:PassRole`, escalate only
/// through a role that already exists, which one policy does not show), and the permissions
/// boundary's: AWS's IAM API Reference warns that deleting a boundary "might increase its
/// permissions", and putting a looser policy in its place does the same.
///
/// The order is the audit's: a finding names the first action the policy allows.
pub const ESCALATION_ACTIONS: &[(&str, Escalation)] = &[
    ("iam:CreatePolicyVersion", Escalation::Permissions),
    ("iam:SetDefaultPolicyVersion", Escalation::Permissions),
    ("iam:AttachUserPolicy", Escalation::Permissions),
    ("iam:AttachGroupPolicy", Escalation::Permissions),
    ("iam:AttachRolePolicy", Escalation::Permissions),
    ("iam:PutUserPolicy", Escalation::Permissions),
    ("iam:PutGroupPolicy", Escalation::Permissions),
    ("iam:PutRolePolicy", Escalation::Permissions),
    ("iam:AddUserToGroup", Escalation::Permissions),
    ("iam:UpdateAssumeRolePolicy", Escalation::Permissions),
    ("iam:DeleteUserPermissionsBoundary", Escalation::Permissions),
    ("iam:DeleteRolePermissionsBoundary", Escalation::Permissions),
    ("iam:PutUserPermissionsBoundary", Escalation::Permissions),
    ("iam:PutRolePermissionsBoundary", Escalation::Permissions),
    ("iam:CreateAccessKey", Escalation::Credentials),
    ("iam:CreateLoginProfile", Escalation::Credentials),
    ("iam:UpdateLoginProfile", Escalation::Credentials),
    ("iam:PassRole", Escalation::PassRole),
];

/// The escalation actions of one kind, in the list's order.
pub fn escalation_actions(kind: Escalation) -> impl Iterator<Item = &'static str> {
    ESCALATION_ACTIONS.iter().filter(move |(_, k)| *k == kind).map(|(action, _)| *action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::catalogue;

    #[test]
    fn the_escalation_actions_are_iam_actions_named_once() {
        for (i, (action, _)) in ESCALATION_ACTIONS.iter().enumerate() {
            let known = catalogue::action(action).unwrap_or_else(|| panic!("{action} is not in the catalogue"));
            assert_eq!(&known.name, action, "spelled as AWS spells it");
            assert!(!ESCALATION_ACTIONS[..i].iter().any(|(a, _)| a == action), "{action} twice");
        }
    }
}
