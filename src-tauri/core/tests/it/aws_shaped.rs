//! Gatehouse against an endpoint shaped like AWS (testkit's front for moto): every listing
//! paged at 100 unless asked for up to 1,000, some pages shorter than asked, latency on
//! every call, and on demand eventual consistency and throttling. moto alone does none of
//! these. First the front itself against AWS's documented behaviour, then the app's flows.

use aws_sdk_iam::error::ProvideErrorMetadata;
use gatehouse_core::access;
use gatehouse_core::audit::{self, store::AuditStore};
use gatehouse_core::deletion::{self, Target};
use gatehouse_core::iam::users::{self, NewUser};
use gatehouse_core::iam::{groups, inventory, policies, roles};
use gatehouse_core::vocab::Principal;
use gatehouse_testkit::{AwsFront, Behaviour, Moto};
use std::time::{Duration, Instant};

use crate::common::connect;

/// An SDK client straight to `endpoint`, no retries: what the front answers, as it is.
fn raw_client(endpoint: &str) -> aws_sdk_iam::Client {
    use aws_sdk_iam::config::{retry::RetryConfig, BehaviorVersion, Credentials, Region};
    aws_sdk_iam::Client::from_conf(
        aws_sdk_iam::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

fn seed_users(moto: &Moto, n: usize) {
    moto.boto3(&format!(
        "iam.create_group(GroupName='staff')\n\
         for i in range({n}):\n\
         \x20   iam.create_user(UserName=f'u{{i:04d}}')\n\
         \x20   iam.add_user_to_group(GroupName='staff', UserName=f'u{{i:04d}}')\n\
         print('{{}}')"
    ));
}

#[tokio::test]
async fn the_front_pages_every_listing_as_aws_documents() {
    let moto = Moto::start("710000000001");
    seed_users(&moto, 250);
    let front = AwsFront::start(&moto.endpoint(), Behaviour::default());
    let iam = raw_client(&front.endpoint());

    // No MaxItems: 100, truncated, with a marker to go on from.
    let first = iam.list_users().send().await.unwrap();
    assert_eq!(first.users.len(), 100);
    assert!(first.is_truncated);
    let marker = first.marker.clone().expect("a truncated page has a marker");
    // IAM may answer fewer than asked though more remain: the front's second page does.
    let second = iam.list_users().marker(&marker).send().await.unwrap();
    assert!(second.users.len() < 100 && second.is_truncated, "{}", second.users.len());
    assert_ne!(second.users[0].user_name, first.users[0].user_name);

    // More than 1,000 is refused, as AWS refuses it.
    let err = iam.list_users().max_items(1001).send().await.unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"));
    let err = iam.list_users().marker("not-a-marker").send().await.unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"));

    // The SDK's paginator reads everything once, at whatever page size.
    for size in [7, 100, 1000] {
        let all: Vec<_> = iam.list_users().max_items(size).into_paginator().items().send().collect::<Vec<_>>().await;
        let mut names: Vec<String> = all.into_iter().map(|u| u.unwrap().user_name).collect();
        assert_eq!(names.len(), 250, "page size {size}");
        names.dedup();
        assert_eq!(names.len(), 250, "no user twice at page size {size}");
    }
    // GetAccountAuthorizationDetails pages too, its lists counted together.
    let details = iam.get_account_authorization_details().filter(aws_sdk_iam::types::EntityType::User).send();
    let details = details.await.unwrap();
    assert_eq!(details.user_detail_list().len(), 100);
    assert!(details.is_truncated);
    // A group's members (GetGroup) and a user's groups page as well.
    let group = iam.get_group().group_name("staff").max_items(50).send().await.unwrap();
    assert_eq!(group.users.len(), 50);
    assert!(group.is_truncated);
    // 250 users at 7 a page (6 on the short ones) take dozens of calls; at 1,000, one.
    assert!(front.calls("ListUsers") > 40, "{:?}", front.stats());
}

#[tokio::test]
async fn the_front_lags_answers_concurrently_hides_new_entities_and_throttles() {
    let moto = Moto::start("710000000002");
    let front =
        AwsFront::start(&moto.endpoint(), Behaviour { latency: Duration::from_millis(500), ..Behaviour::default() });
    let iam = raw_client(&front.endpoint());

    // Latency on each call, and calls answered side by side: 16 calls of 500 ms one after
    // another would take 8 s (the bound leaves room for a machine busy with other tests).
    let started = Instant::now();
    let answers = futures_util::future::join_all((0..16).map(|_| iam.list_roles().send())).await;
    assert!(answers.iter().all(Result::is_ok));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(500) && took < Duration::from_secs(5), "{took:?}");

    // Eventual consistency: a new user is missing, then there.
    front.set(Behaviour { consistency: Duration::from_secs(2), ..Behaviour::default() });
    iam.create_user().user_name("newcomer").send().await.unwrap();
    let err = iam.get_user().user_name("newcomer").send().await.unwrap_err();
    assert_eq!(err.code(), Some("NoSuchEntity"));
    let err = iam.add_user_to_group().group_name("x").user_name("newcomer").send().await.unwrap_err();
    assert_eq!(err.code(), Some("NoSuchEntity"));
    assert!(iam.list_users().send().await.unwrap().users.is_empty(), "listings leave it out");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(iam.get_user().user_name("newcomer").send().await.unwrap().user.unwrap().user_name, "newcomer");
    assert_eq!(iam.list_users().send().await.unwrap().users.len(), 1);

    // Throttling above the rate: AWS's code and message.
    front.set(Behaviour { throttle: 5.0, ..Behaviour::default() });
    let answers = futures_util::future::join_all((0..20).map(|_| iam.list_roles().send())).await;
    let throttled: Vec<_> = answers.iter().filter_map(|a| a.as_ref().err()).collect();
    assert!(throttled.len() >= 10, "{} of 20 throttled", throttled.len());
    assert!(throttled.iter().all(|e| e.code() == Some("Throttling") && e.message() == Some("Rate exceeded")));
    assert!(front.stats().throttled >= 10);
}

/// Opening a profile as the window does (Account tab, then Users, Roles, Policies and Who
/// can): each page of the account is read once, at AWS's largest page size.
#[tokio::test]
async fn opening_a_profile_reads_each_page_of_the_account_once() {
    let moto = Moto::start("710000000003");
    seed_users(&moto, 1200);
    let front = AwsFront::start(&moto.endpoint(), Behaviour::default());
    let (_files, connections) = connect(&front.endpoint()).await;
    let conn = connections.get("t").unwrap();
    front.reset_stats();

    let dir = tempfile::tempdir().unwrap();
    let store = AuditStore::new(dir.path().join("audit.json"));
    let (audit, inv) = tokio::join!(audit::run(&conn, &store, "t", true), inventory::load(&conn));
    let (audit, inv) = (audit.unwrap(), inv.unwrap());
    assert!(audit.warnings.is_empty(), "{:?}", audit.warnings);
    assert_eq!(inv.users.len(), 1200, "every user, across pages");
    assert_eq!(inv.groups[0].members.len(), 1200);
    let roles = roles::list_roles(&conn).await.unwrap();
    let policies = policies::list_policies(&conn).await.unwrap();
    assert!(policies.len() > 1000, "AWS's managed policies span two pages of 1,000");
    let snapshot = access::Snapshots::default().load("t", &conn).await.unwrap();
    assert_eq!(snapshot.info.users, 1200);
    assert!(roles.is_empty());

    let stats = front.stats();
    // Users and groups: 1,200 users and a group in two pages of 1,000 (the second one
    // shorter, as AWS may answer, so three); roles: one; the account's policies: one;
    // AWS's 1,300+ policies: two (three with a short page).
    let details = stats.calls["GetAccountAuthorizationDetails"];
    assert!((5..=7).contains(&details), "{details} pages of GetAccountAuthorizationDetails: {stats:?}");
    // One report for the audit and the users (generating it is polled until AWS says done).
    assert_eq!(stats.calls["GetCredentialReport"], 1, "{stats:?}");
    assert!(stats.calls["GenerateCredentialReport"] <= 2, "{stats:?}");

    // Asking again reads nothing; a change touches only its part; Refresh reads it all.
    front.reset_stats();
    inventory::load(&conn).await.unwrap();
    policies::list_policies(&conn).await.unwrap();
    assert!(!front.stats().calls.contains_key("GetAccountAuthorizationDetails"));
    groups::create_group(&conn, "auditors", "/").await.unwrap();
    let inv = inventory::load(&conn).await.unwrap();
    assert!(inv.groups.iter().any(|g| g.name == "auditors"));
    policies::list_policies(&conn).await.unwrap();
    assert_eq!(front.calls("GetAccountAuthorizationDetails"), 2, "users and groups again, not the policies");
    conn.read().forget();
    policies::list_policies(&conn).await.unwrap();
    assert!(front.calls("GetAccountAuthorizationDetails") >= 4, "{:?}", front.stats());
}

/// The add-user wizard's steps, the new user's row and create-role, while AWS has not yet
/// propagated what was just created: each call naming it waits until it is visible.
#[tokio::test]
async fn new_users_groups_and_roles_are_waited_for_while_aws_propagates_them() {
    let moto = Moto::start("710000000004");
    let front = AwsFront::start(&moto.endpoint(), Behaviour::default());
    let (_files, connections) = connect(&front.endpoint()).await;
    let conn = connections.get("t").unwrap();
    front.set(Behaviour { consistency: Duration::from_secs(3), ..Behaviour::default() });

    let spec = NewUser {
        name: "ec.newhire".into(),
        path: "/".into(),
        new_groups: vec!["onboarding".into()],
        policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
        ..NewUser::default()
    };
    let started = Instant::now();
    users::create_user(&conn, &spec).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(2), "it did wait: {:?}", started.elapsed());
    let reading = Instant::now();
    let row = users::user_row(&conn, "ec.newhire").await.unwrap().expect("the new user's row, not 'gone'");
    // Its missing login profile is an answer, not lag: the row does not wait for it.
    assert!(reading.elapsed() < Duration::from_secs(3), "{:?}", reading.elapsed());
    assert_eq!(row.groups, ["onboarding"]);
    assert_eq!(row.attached_policies, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    assert!(conn.watch.settled() > 0);
    assert!(front.stats().hidden > 0, "the front did hide the new user");

    let role = roles::NewRole {
        name: "deployer".into(),
        trust_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
        policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
        path: "/".into(),
        description: String::new(),
        max_session_duration: None,
        inline_policies: vec![],
        permissions_boundary: None,
        tags: vec![],
    };
    let made = roles::create_role(&conn, &role).await.unwrap();
    assert_eq!(made.attached_policies, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);

    // A name nobody just created is not waited for: NoSuchEntity at once.
    let started = Instant::now();
    assert!(users::user_row(&conn, "nobody").await.unwrap().is_none());
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// Bulk changes under throttling back off and finish: adding many users to a group,
/// offboarding several, deleting a policy attached to many.
#[tokio::test]
async fn bulk_actions_finish_while_aws_throttles() {
    let moto = Moto::start("710000000005");
    moto.boto3(
        "iam.create_group(GroupName='all')\n\
         arn = iam.create_policy(PolicyName='shared', PolicyDocument=json.dumps({'Version': '2012-10-17', \
         'Statement': [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': '*'}]}))['Policy']['Arn']\n\
         for i in range(30):\n\
         \x20   iam.create_user(UserName=f'b{i:02d}')\n\
         \x20   iam.attach_user_policy(UserName=f'b{i:02d}', PolicyArn=arn)\n\
         print('{}')",
    );
    let front = AwsFront::start(&moto.endpoint(), Behaviour::default());
    let (_files, connections) = connect(&front.endpoint()).await;
    let conn = connections.get("t").unwrap();
    front.set(Behaviour { throttle: 8.0, ..Behaviour::default() });

    let everyone: Vec<String> = (0..30).map(|i| format!("b{i:02}")).collect();
    groups::set_membership(&conn, "all", &everyone, true).await.unwrap();
    let leavers: Vec<Target> = (0..5).map(|i| Principal::user(&format!("b{i:02}")).into()).collect();
    let results = deletion::delete_all(&*conn, leavers, |_| {}).await;
    assert!(results.iter().all(|r| r.failed.is_none()), "{results:?}");
    let arn = "arn:aws:iam::710000000005:policy/shared";
    let deleted = deletion::delete_all(&*conn, vec![Target::policy(arn)], |_| {}).await.remove(0);
    assert!(deleted.failed.is_none(), "{deleted:?}");
    assert!(conn.watch.throttled() > 0, "AWS did throttle: {:?}", front.stats());

    front.set(Behaviour::default());
    let left = moto.boto3(
        "g = iam.get_group(GroupName='all')['Users']\n\
         print(json.dumps({'members': len(g), 'users': len(iam.list_users()['Users']), \
         'policies': len(iam.list_policies(Scope='Local')['Policies'])}))",
    );
    assert_eq!(left, serde_json::json!({"members": 25, "users": 25, "policies": 0}));
}
