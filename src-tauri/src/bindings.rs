//! The TypeScript side of every command and payload, generated from the Rust types.
//! `ui/src/lib/bindings.ts` is committed; the test below fails when it drifts and rewrites
//! it when run with `UPDATE_BINDINGS=1`.

use crate::commands::{signatures, AppInfo, DeletionPlan, DeletionProgress, DeletionResult, PlannedStep, RotationStart};
use gatehouse_core::rotation::{KeyUse, Rotation, RotationStep};
use gatehouse_core::deletion::{Principal, PrincipalKind, Step};
use gatehouse_core::handoff::{Handoff, SecretKind};
use gatehouse_core::mfa::MfaEnrolment;
use gatehouse_core::passwords::PasswordPolicy;
use gatehouse_core::error::{ErrorCode, IpcError};
use gatehouse_core::inventory::{ConsoleAccess, GroupRow, Inventory, KeySummary, Tag, UserRow};
use gatehouse_core::policies::PolicySummary;
use gatehouse_core::profiles::FileProblem;
use gatehouse_core::users::{AccessKeyInfo, FieldError, GroupPolicies, LoginProfileInfo, MfaDeviceInfo, NewUser, UserDetail};
use gatehouse_core::{CallerIdentity, Profile, ProfileKind, ProfileList};
use ts_rs::TS;

pub fn typescript() -> String {
    let decls = [
        ErrorCode::decl(),
        IpcError::decl(),
        AppInfo::decl(),
        ProfileKind::decl(),
        Profile::decl(),
        FileProblem::decl(),
        ProfileList::decl(),
        CallerIdentity::decl(),
        Tag::decl(),
        ConsoleAccess::decl(),
        KeySummary::decl(),
        UserRow::decl(),
        GroupRow::decl(),
        Inventory::decl(),
        NewUser::decl(),
        FieldError::decl(),
        AccessKeyInfo::decl(),
        LoginProfileInfo::decl(),
        MfaDeviceInfo::decl(),
        GroupPolicies::decl(),
        UserDetail::decl(),
        PolicySummary::decl(),
        PrincipalKind::decl(),
        Principal::decl(),
        Step::decl(),
        PlannedStep::decl(),
        DeletionPlan::decl(),
        DeletionProgress::decl(),
        DeletionResult::decl(),
        SecretKind::decl(),
        Handoff::decl(),
        PasswordPolicy::decl(),
        MfaEnrolment::decl(),
        RotationStep::decl(),
        Rotation::decl(),
        KeyUse::decl(),
        RotationStart::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p gatehouse bindings`.\n\
         // Do not edit by hand.\n\n\
         import type { Channel } from '@tauri-apps/api/core';\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str("/** Every IPC command: its arguments and what it resolves to (errors are IpcError). */\n");
    out.push_str("export type Commands = {\n");
    for s in signatures() {
        let args = if s.args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fields: Vec<String> = s.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!("  {}: {{ args: {args}; result: {} }};\n", s.name, s.result));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn bindings_match_the_committed_file() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
        let fresh = super::typescript();
        if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is out of date with the Rust types; regenerate it with \
             `UPDATE_BINDINGS=1 cargo test -p gatehouse bindings` and commit it",
            path.display()
        );
    }
}
