//! [`DeletionOps`] against IAM: the listings that find every dependency, made concurrently,
//! and each step through the function the rest of the app uses for that call (a key is
//! deleted by `credentials::access_keys`, a policy detached by `iam::principals`), so an
//! operation has one code path. Steps nothing else performs make their own call here.

use crate::aws::connection::Connection;
use crate::credentials::{access_keys, console, mfa};
use crate::deletion::{DeletionOps, Dependencies, Step, Target};
use crate::error::{Error, Result};
use crate::iam::{groups, instance_profiles, policies, principals};
use crate::vocab::{Principal, PrincipalKind};

/// A listing that failed is not fatal: the plan records it, and deletion will stop on
/// DeleteConflict if something unlisted is there.
fn listed<T>(what: &str, r: Result<Vec<T>>, warnings: &mut Vec<String>) -> Vec<T> {
    r.unwrap_or_else(|e| {
        warnings.push(format!("Could not list {what}: {e}"));
        Vec::new()
    })
}

impl Connection {
    async fn user_dependencies(&self, name: &str) -> Result<Option<Dependencies>> {
        let user = match self.iam.get_user().user_name(name).send().await.map_err(|e| self.error(e)) {
            Ok(out) => out.user,
            Err(Error::NoSuchEntity(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let iam = &self.iam;
        let (login, keys, certs, ssh, ssc, mfa, unassigned, groups, attached, inline) = tokio::join!(
            async { call!(self, iam.get_login_profile().user_name(name)) },
            async { items!(self, iam.list_access_keys().user_name(name)) },
            async { items!(self, iam.list_signing_certificates().user_name(name)) },
            async { items!(self, iam.list_ssh_public_keys().user_name(name)) },
            async {
                iam.list_service_specific_credentials()
                    .user_name(name)
                    .send()
                    .await
                    .map(|o| o.service_specific_credentials.unwrap_or_default())
                    .map_err(|e| self.error(e))
            },
            async { items!(self, iam.list_mfa_devices().user_name(name)) },
            mfa::orphaned_devices(self, name),
            async { items!(self, iam.list_groups_for_user().user_name(name)) },
            async { items!(self, iam.list_attached_user_policies().user_name(name)) },
            async { items!(self, iam.list_user_policies().user_name(name)) },
        );
        let mut w = Vec::new();
        let login_profile = match login {
            Ok(()) => true,
            Err(Error::NoSuchEntity(_)) => false,
            Err(e) => {
                w.push(format!("Could not check console access: {e}"));
                false
            }
        };
        let deps = Dependencies {
            login_profile,
            access_keys: listed("access keys", keys, &mut w).into_iter().filter_map(|k| k.access_key_id).collect(),
            signing_certificates: listed("signing certificates", certs, &mut w)
                .into_iter()
                .map(|c| c.certificate_id)
                .collect(),
            ssh_public_keys: listed("SSH public keys", ssh, &mut w).into_iter().map(|k| k.ssh_public_key_id).collect(),
            service_specific_credentials: listed("service-specific credentials", ssc, &mut w)
                .into_iter()
                .map(|c| c.service_specific_credential_id)
                .collect(),
            mfa_devices: listed("MFA devices", mfa, &mut w).into_iter().map(|d| d.serial_number).collect(),
            unassigned_mfa_devices: listed("unassigned virtual MFA devices", unassigned, &mut w),
            memberships: listed("groups", groups, &mut w).into_iter().map(|g| g.group_name).collect(),
            attached_policies: listed("attached policies", attached, &mut w)
                .into_iter()
                .filter_map(|p| p.policy_arn)
                .collect(),
            inline_policies: listed("inline policies", inline, &mut w),
            permissions_boundary: user.and_then(|u| u.permissions_boundary).is_some(),
            warnings: w,
            ..Dependencies::default()
        };
        Ok(Some(deps))
    }

    async fn group_dependencies(&self, name: &str) -> Result<Option<Dependencies>> {
        let iam = &self.iam;
        let (members, attached, inline) = tokio::join!(
            async { items!(self, iam.get_group().group_name(name)) },
            async { items!(self, iam.list_attached_group_policies().group_name(name)) },
            async { items!(self, iam.list_group_policies().group_name(name)) },
        );
        let members: Vec<aws_sdk_iam::types::User> = match members {
            Ok(m) => m,
            Err(Error::NoSuchEntity(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut w = Vec::new();
        Ok(Some(Dependencies {
            memberships: members.into_iter().map(|u| u.user_name).collect(),
            attached_policies: listed("attached policies", attached, &mut w)
                .into_iter()
                .filter_map(|p| p.policy_arn)
                .collect(),
            inline_policies: listed("inline policies", inline, &mut w),
            warnings: w,
            ..Dependencies::default()
        }))
    }

    async fn role_dependencies(&self, name: &str) -> Result<Option<Dependencies>> {
        let role = match self.iam.get_role().role_name(name).send().await.map_err(|e| self.error(e)) {
            Ok(out) => out.role,
            Err(Error::NoSuchEntity(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let iam = &self.iam;
        let (profiles, attached, inline) = tokio::join!(
            async { items!(self, iam.list_instance_profiles_for_role().role_name(name)) },
            async { items!(self, iam.list_attached_role_policies().role_name(name)) },
            async { items!(self, iam.list_role_policies().role_name(name)) },
        );
        let mut w = Vec::new();
        Ok(Some(Dependencies {
            instance_profiles: listed("instance profiles", profiles, &mut w)
                .into_iter()
                .map(|p| p.instance_profile_name)
                .collect(),
            attached_policies: listed("attached policies", attached, &mut w)
                .into_iter()
                .filter_map(|p| p.policy_arn)
                .collect(),
            inline_policies: listed("inline policies", inline, &mut w),
            permissions_boundary: role.and_then(|r| r.permissions_boundary).is_some(),
            warnings: w,
            ..Dependencies::default()
        }))
    }

    /// A policy that is gone answers NoSuchEntity to either listing. Unlike a principal's,
    /// these listings must succeed: the plan cannot go on without them.
    async fn policy_dependencies(&self, arn: &str) -> Result<Option<Dependencies>> {
        let (entities, versions) = tokio::join!(policies::entities(self, arn), policies::version_list(self, arn));
        let (entities, versions) = match (entities, versions) {
            (Err(Error::NoSuchEntity(_)), _) | (_, Err(Error::NoSuchEntity(_))) => return Ok(None),
            (e, v) => (e?, v?),
        };
        let users = entities.users.iter().map(|n| Principal::user(n));
        let groups = entities.groups.iter().map(|n| Principal::group(n));
        let roles = entities.roles.iter().map(|n| Principal::role(n));
        Ok(Some(Dependencies {
            attached_to: users.chain(groups).chain(roles).collect(),
            // Oldest first: the versions come newest first.
            versions: versions
                .into_iter()
                .rev()
                .filter(|v| !v.is_default_version)
                .filter_map(|v| v.version_id)
                .collect(),
            ..Dependencies::default()
        }))
    }

    async fn apply_to_principal(&self, p: &Principal, step: &Step) -> Result<()> {
        use PrincipalKind::*;
        let iam = &self.iam;
        let n = p.name.as_str();
        match (step, p.kind) {
            (Step::DeleteLoginProfile, _) => console::delete_login_profile(self, n).await.map(drop),
            (Step::DeleteAccessKey { id }, _) => access_keys::delete_access_key(self, n, id).await.map(drop),
            (Step::DeleteSigningCertificate { id }, _) => {
                call!(self, iam.delete_signing_certificate().user_name(n).certificate_id(id))
            }
            (Step::DeleteSshPublicKey { id }, _) => {
                call!(self, iam.delete_ssh_public_key().user_name(n).ssh_public_key_id(id))
            }
            (Step::DeleteServiceSpecificCredential { id }, _) => {
                call!(self, iam.delete_service_specific_credential().user_name(n).service_specific_credential_id(id))
            }
            (Step::DeactivateMfaDevice { serial }, _) => mfa::deactivate_mfa(self, n, serial).await.map(drop),
            (Step::DeleteVirtualMfaDevice { serial }, _) => mfa::delete_virtual_mfa(self, serial).await.map(drop),
            (Step::RemoveFromGroup { group, user }, _) => groups::remove_member(self, group, user).await.map(drop),
            (Step::RemoveFromInstanceProfile { instance_profile }, _) => {
                instance_profiles::remove_role(self, instance_profile, n).await.map(drop)
            }
            (Step::DetachPolicy { arn }, _) => principals::detach_policy(self, p, arn).await.map(drop),
            (Step::DeleteInlinePolicy { name }, _) => principals::delete_inline_policy(self, p, name).await.map(drop),
            (Step::DeletePermissionsBoundary, Group) => Ok(()),
            (Step::DeletePermissionsBoundary, _) => principals::remove_permissions_boundary(self, p).await.map(drop),
            (Step::Delete, User) => call!(self, iam.delete_user().user_name(n)),
            (Step::Delete, Group) => call!(self, iam.delete_group().group_name(n)),
            (Step::Delete, Role) => call!(self, iam.delete_role().role_name(n)),
            (Step::DetachFrom { .. } | Step::DeletePolicyVersion { .. }, _) => Err(not_a_step_here(step)),
        }
    }

    async fn apply_to_policy(&self, arn: &str, step: &Step) -> Result<()> {
        match step {
            Step::DetachFrom { principal } => principals::detach_policy(self, principal, arn).await.map(drop),
            Step::DeletePolicyVersion { id } => policies::delete_version(self, arn, id).await.map(drop),
            Step::Delete => policies::delete_policy(self, arn).await,
            _ => Err(not_a_step_here(step)),
        }
    }
}

/// The planner never asks for such a step: a policy has no access keys, a user no versions.
fn not_a_step_here(step: &Step) -> Error {
    Error::Internal(format!("{step:?} is not a step of this deletion"))
}

impl DeletionOps for Connection {
    async fn dependencies(&self, target: &Target) -> Result<Option<Dependencies>> {
        match target {
            Target::Principal(p) => match p.kind {
                PrincipalKind::User => self.user_dependencies(&p.name).await,
                PrincipalKind::Group => self.group_dependencies(&p.name).await,
                PrincipalKind::Role => self.role_dependencies(&p.name).await,
            },
            Target::Policy { arn } => self.policy_dependencies(arn).await,
        }
    }

    async fn apply(&self, target: &Target, step: &Step) -> Result<()> {
        match target {
            Target::Principal(p) => self.apply_to_principal(p, step).await,
            Target::Policy { arn } => self.apply_to_policy(arn, step).await,
        }
    }
}
