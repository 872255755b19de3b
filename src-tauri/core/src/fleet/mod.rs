//! Many accounts at once: searching every profile for a name or an access key, and
//! comparing two accounts. Each account is read once (its authorization details), and
//! a profile that cannot be read is named without stopping the others.

pub mod compare;
pub mod search;

pub use compare::{compare, AccountComparison};
pub use search::{find_access_key_owner, search, AccessKeyOwner, FleetProgress, SearchResults};

use crate::access;
use crate::aws::connection::Connections;
use crate::error::Result;
use crate::iam::account;

/// Compares the accounts of two profiles: their groups, roles, customer managed policies
/// and password policies, each account read once and both at the same time.
pub async fn compare_profiles(connections: &Connections, a: &str, b: &str) -> Result<AccountComparison> {
    let read = |profile: &str| {
        let profile = profile.to_string();
        async move {
            let conn = search::connection(connections, &profile).await?;
            let (details, policy) =
                tokio::join!(access::read_details(&conn, false), account::get_password_policy(&conn));
            Ok::<_, crate::error::Error>((details?.0, policy?.policy))
        }
    };
    let (ra, rb) = tokio::join!(read(a), read(b));
    let ((da, pa), (db, pb)) = (ra?, rb?);
    Ok(compare(&da, &db, pa.as_ref(), pb.as_ref()))
}
