//! How long the users screen's data takes to read for a large account, and with how many
//! calls: Gatehouse's bulk inventory (authorization details + credential report) against the
//! best boto3 script, through the testkit's AWS-shaped front (AWS's paging, BENCH_LATENCY_MS
//! a call, default 100) and on moto alone, and against the tutorials' one-call-per-user
//! loop; moto seeded with BENCH_USERS users (default 5,000, IAM's quota). Prints a Markdown
//! table for docs/benchmarks.md.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::iam::inventory;
use gatehouse_testkit::front::BOTO3_BEST_USERS_READ;
use gatehouse_testkit::moto::boto3;
use gatehouse_testkit::{AwsFiles, AwsFront, Behaviour, Moto};
use std::time::{Duration, Instant};

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn connect(rt: &tokio::runtime::Runtime, endpoint: &str) -> (AwsFiles, Connections) {
    let mut files = AwsFiles::new();
    files.static_profile("bench", endpoint, "us-east-1");
    let (config_file, credentials_file) = files.write();
    let connections = Connections::new(
        ProfileSource { config_file, credentials_file, preferred: None },
        ConnectOptions {
            max_attempts: 1,
            attempt_timeout: Duration::from_secs(600),
            operation_timeout: Duration::from_secs(600),
            ..ConnectOptions::default()
        },
    );
    rt.block_on(connections.connect("bench")).unwrap();
    (files, connections)
}

fn main() {
    let users: usize = std::env::var("BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let latency_ms: u64 = std::env::var("BENCH_LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let runs = 3;
    let sample: usize = 500.min(users);
    let moto = Moto::start("900000000000");
    let seeding = Instant::now();
    moto.seed_users(users);
    let seeded_in = seeding.elapsed();
    let front = AwsFront::start(
        &moto.endpoint(),
        Behaviour { latency: Duration::from_millis(latency_ms), ..Behaviour::default() },
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    let (_moto_files, on_moto) = connect(&rt, &moto.endpoint());
    let (_front_files, through_front) = connect(&rt, &front.endpoint());
    let conn = on_moto.get("bench").unwrap();
    let fronted = through_front.get("bench").unwrap();

    // Each figure alternates with the others, run by run, so that a drift of the machine's
    // speed touches them alike. Every Gatehouse run starts from a forgotten read.
    let rss_before = rss_mib();
    let (mut on_moto_s, mut front_s, mut boto3_s, mut boto3_moto_s) = (vec![], vec![], vec![], vec![]);
    let (mut inv_calls, mut front_details, mut boto3_pages) = (0, 0, 0);
    let mut last = None;
    for _ in 0..runs {
        conn.read().forget();
        let t = Instant::now();
        let inv = rt.block_on(inventory::load(&conn)).unwrap();
        on_moto_s.push(t.elapsed().as_secs_f64());
        assert_eq!(inv.users.len(), users);
        last = Some(inv);

        fronted.read().forget();
        front.reset_stats();
        let t = Instant::now();
        let inv = rt.block_on(inventory::load(&fronted)).unwrap();
        front_s.push(t.elapsed().as_secs_f64());
        assert_eq!(inv.users.len(), users);
        inv_calls = inv.calls;
        front_details = front.calls("GetAccountAuthorizationDetails");

        let b = boto3(&front.endpoint(), BOTO3_BEST_USERS_READ);
        assert_eq!(b["users"].as_u64(), Some(users as u64));
        boto3_s.push(b["seconds"].as_f64().unwrap());
        boto3_pages = b["pages"].as_u64().unwrap();
        boto3_moto_s.push(boto3(&moto.endpoint(), BOTO3_BEST_USERS_READ)["seconds"].as_f64().unwrap());
    }
    let rss_after = rss_mib();
    let inv = last.unwrap();

    // What Gatehouse did before it asked for MaxItems: AWS's default pages of 100.
    front.reset_stats();
    let t = Instant::now();
    let unpaged: usize = rt.block_on(async {
        let mut pages = fronted
            .iam
            .get_account_authorization_details()
            .filter(aws_sdk_iam::types::EntityType::User)
            .filter(aws_sdk_iam::types::EntityType::Group)
            .into_paginator()
            .send();
        let mut n = 0;
        while let Some(p) = pages.next().await {
            n += p.unwrap().user_detail_list.unwrap_or_default().len();
        }
        n
    });
    let unpaged_s = t.elapsed().as_secs_f64();
    assert_eq!(unpaged, users);
    let unpaged_pages = front.calls("GetAccountAuthorizationDetails");

    // The tutorials' way, on a sample: list the users, then per user its groups, policies,
    // keys and login profile (on moto alone: through the front it would take hours).
    let t = Instant::now();
    rt.block_on(async {
        let names: Vec<String> = conn
            .iam
            .list_users()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.user_name)
            .take(sample)
            .collect();
        for n in &names {
            let _ = conn.iam.list_groups_for_user().user_name(n).send().await;
            let _ = conn.iam.list_attached_user_policies().user_name(n).send().await;
            let _ = conn.iam.list_user_policies().user_name(n).send().await;
            let _ = conn.iam.list_access_keys().user_name(n).send().await;
            let _ = conn.iam.get_login_profile().user_name(n).send().await;
            let _ = conn.iam.list_mfa_devices().user_name(n).send().await;
        }
    });
    let per_user = t.elapsed() / sample as u32;

    let (front_m, boto3_m) = (median(front_s.clone()), median(boto3_s.clone()));
    println!("| measure | value |");
    println!("|---|---|");
    println!("| users (groups) | {users} ({}) |", inv.groups.len());
    println!("| seeding with boto3, 8 threads | {:.1} s |", seeded_in.as_secs_f64());
    println!("| **through the AWS-shaped front ({latency_ms} ms a call)** | |");
    println!("| Gatehouse: users table's data, median of {runs} | {front_m:.2} s ({inv_calls} calls) |");
    println!("| … GetAccountAuthorizationDetails pages | {front_details} |");
    println!(
        "| boto3's best (MaxItems=1000 + credential report), median of {runs} | {boto3_m:.2} s ({boto3_pages} pages) |"
    );
    println!("| Gatehouse / boto3 | {:.2}× |", front_m / boto3_m);
    println!("| GetAccountAuthorizationDetails without MaxItems (before) | {unpaged_s:.2} s ({unpaged_pages} pages) |");
    println!("| **moto alone** | |");
    println!("| Gatehouse: users table's data, median of {runs} | {:.2} s |", median(on_moto_s));
    println!("| boto3's best, median of {runs} | {:.2} s |", median(boto3_moto_s));
    println!("| process RSS before / after loading {} times | {rss_before:.0} MiB / {rss_after:.0} MiB |", 2 * runs);
    println!("| per-user loop: calls per user | 6 (+1 list) |");
    println!("| per-user loop: time per user (sample of {sample}, moto) | {:.1} ms |", per_user.as_secs_f64() * 1000.0);
    println!(
        "| per-user loop: extrapolated to {users} users | {:.0} s, {} calls |",
        per_user.as_secs_f64() * users as f64,
        6 * users + 1
    );
}
