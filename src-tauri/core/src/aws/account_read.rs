//! One read of the account per connection, shared by every screen that needs it: the users
//! table, roles, policies, who-can, the audit, search everywhere and compare all ask here
//! instead of reading GetAccountAuthorizationDetails on their own.
//!
//! The account is read in independent parts, each read once and kept until a change made
//! through this connection touches it ([`AccountRead::changed`], called for every change
//! by the connection's watch) or everything is read again ([`AccountRead::forget`]). Callers
//! that ask for a part being read wait for that read; a screen that needs only the users
//! never waits for AWS's managed policies.

use crate::error::Result;
use std::any::Any;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A part of the account read on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Users and groups with their policies (GetAccountAuthorizationDetails User, Group).
    Principals,
    /// Roles with their trust policies, instance profiles and policies (Role).
    Roles,
    /// The account's own managed policies with their versions (LocalManagedPolicy).
    LocalPolicies,
    /// AWS's managed policies, default documents only (AWSManagedPolicy): 1,300 or more.
    AwsPolicies,
    /// The credential report. AWS serves the same one for four hours after it made it.
    CredentialReport,
}

const PARTS: usize = 5;

#[derive(Debug, Default)]
struct Slot {
    /// Moves on whenever the part changes; a value read at an older generation is stale.
    generation: AtomicU64,
    value: tokio::sync::Mutex<Option<(u64, Arc<dyn Any + Send + Sync>)>>,
}

#[derive(Debug, Default)]
pub struct AccountRead {
    slots: [Slot; PARTS],
}

impl AccountRead {
    /// The part as last read, or read now with `read` (which says how many calls it made).
    /// Returns the part and the calls made for it by this request (0 when it was kept).
    pub async fn get<T, F, Fut>(&self, part: Part, read: F) -> Result<(Arc<T>, u32)>
    where
        T: Any + Send + Sync,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(T, u32)>>,
    {
        let slot = &self.slots[part as usize];
        // Held while reading: whoever asks meanwhile waits for this read instead of making
        // another. A read that fails keeps nothing, so the next ask tries again.
        let mut held = slot.value.lock().await;
        let generation = slot.generation.load(Ordering::SeqCst);
        if let Some((at, value)) = held.as_ref() {
            if *at == generation {
                if let Ok(value) = value.clone().downcast::<T>() {
                    return Ok((value, 0));
                }
            }
        }
        let (value, calls) = read().await?;
        let value = Arc::new(value);
        *held = Some((generation, value.clone()));
        Ok((value, calls))
    }

    /// Keeps `value` as the part, read just now by other means (the credential report's own
    /// screen generates it with progress).
    pub async fn put<T: Any + Send + Sync>(&self, part: Part, value: T) {
        let slot = &self.slots[part as usize];
        let mut held = slot.value.lock().await;
        *held = Some((slot.generation.load(Ordering::SeqCst), Arc::new(value)));
    }

    /// The IAM action `action` changed the account: the parts it can touch are read again
    /// when next asked for.
    pub fn changed(&self, action: &str) {
        for part in touched_by(action) {
            self.slots[*part as usize].generation.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Everything is read again when next asked for ("Refresh").
    pub fn forget(&self) {
        for slot in &self.slots {
            slot.generation.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The parts an IAM change can touch, by the words of its action's name.
fn touched_by(action: &str) -> &'static [Part] {
    use Part::*;
    let has = |w: &str| action.contains(w);
    if has("Account") {
        // The alias and the password policy: no part of the read.
        &[]
    } else if has("PolicyVersion") || action == "CreatePolicy" || action == "DeletePolicy" || has("TagPolicy") {
        &[LocalPolicies]
    } else if has("Policy") || has("PermissionsBoundary") {
        // Attaching changes the policy's attachment count as well as the principal.
        &[Principals, Roles, LocalPolicies, AwsPolicies]
    } else if has("Role") || has("InstanceProfile") {
        &[Roles]
    } else if has("LoginProfile")
        || has("AccessKey")
        || has("MFADevice")
        || action == "CreateUser"
        || action == "DeleteUser"
    {
        &[Principals, CredentialReport]
    } else if has("User") || has("Group") || has("SSHPublicKey") || has("SigningCertificate") || has("ServiceSpecific")
    {
        &[Principals]
    } else {
        // Identity providers, server certificates: no part of the read.
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    async fn read(r: &AccountRead, part: Part, reads: &AtomicU32) -> (Arc<u32>, u32) {
        r.get(part, || async { Ok((reads.fetch_add(1, Ordering::SeqCst) + 1, 2)) }).await.unwrap()
    }

    #[tokio::test]
    async fn a_part_is_read_once_until_a_change_touches_it() {
        let r = AccountRead::default();
        let reads = AtomicU32::new(0);
        assert_eq!(read(&r, Part::Principals, &reads).await, (Arc::new(1), 2));
        assert_eq!(read(&r, Part::Principals, &reads).await, (Arc::new(1), 0), "kept, no calls");
        r.changed("CreateRole");
        assert_eq!(read(&r, Part::Principals, &reads).await.0, Arc::new(1), "a role change leaves users alone");
        r.changed("AddUserToGroup");
        assert_eq!(read(&r, Part::Principals, &reads).await, (Arc::new(2), 2));
        r.forget();
        assert_eq!(read(&r, Part::Principals, &reads).await.0, Arc::new(3));
    }

    #[tokio::test]
    async fn askers_during_a_read_wait_for_it_instead_of_reading_again() {
        let r = AccountRead::default();
        let reads = AtomicU32::new(0);
        let slow = || async {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Ok((reads.fetch_add(1, Ordering::SeqCst), 1))
        };
        let (a, b) = tokio::join!(r.get::<u32, _, _>(Part::Roles, slow), r.get::<u32, _, _>(Part::Roles, slow));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        assert_eq!(a.unwrap().1 + b.unwrap().1, 1, "one of them made the call");
    }

    #[tokio::test]
    async fn a_failed_read_keeps_nothing() {
        let r = AccountRead::default();
        let failed: Result<(Arc<u32>, u32)> =
            r.get(Part::Roles, || async { Err(crate::error::Error::Internal("no".into())) }).await;
        assert!(failed.is_err());
        let reads = AtomicU32::new(0);
        assert_eq!(read(&r, Part::Roles, &reads).await.1, 2);
    }

    #[test]
    fn changes_touch_the_parts_they_can() {
        use Part::*;
        assert_eq!(touched_by("CreatePolicyVersion"), &[LocalPolicies]);
        assert!(touched_by("AttachRolePolicy").contains(&Roles));
        assert!(touched_by("AttachUserPolicy").contains(&AwsPolicies), "attachment counts");
        assert_eq!(touched_by("UpdateAssumeRolePolicy")[0], Principals);
        assert_eq!(touched_by("AddRoleToInstanceProfile"), &[Roles]);
        assert_eq!(touched_by("CreateLoginProfile"), &[Principals, CredentialReport]);
        assert_eq!(touched_by("RemoveUserFromGroup"), &[Principals]);
        assert!(touched_by("UpdateAccountPasswordPolicy").is_empty());
    }
}
