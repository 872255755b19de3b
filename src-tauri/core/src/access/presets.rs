//! The questions auditors ask, as "who can" actions.

use super::AccessPreset;

pub fn presets() -> Vec<AccessPreset> {
    let preset = |id: &str, title: &str, actions: &[&str]| AccessPreset {
        id: id.into(),
        title: title.into(),
        actions: actions.iter().map(|a| (*a).to_string()).collect(),
    };
    vec![
        preset(
            "create-users-or-keys",
            "Who can create users, access keys or console passwords",
            &["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
        ),
        preset("pass-roles", "Who can pass roles to services", &["iam:PassRole"]),
        // The privilege escalation paths: each lets a principal grant itself (or a role it
        // can use) more than it has.
        preset(
            "change-policies",
            "Who can change policies (privilege escalation)",
            &[
                "iam:CreatePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:AttachUserPolicy",
                "iam:AttachGroupPolicy",
                "iam:AttachRolePolicy",
                "iam:PutUserPolicy",
                "iam:PutGroupPolicy",
                "iam:PutRolePolicy",
                "iam:UpdateAssumeRolePolicy",
                "iam:AddUserToGroup",
                "iam:DeleteUserPermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
            ],
        ),
        preset("admin-equivalent", "Who has admin-equivalent access", &["*"]),
    ]
}
