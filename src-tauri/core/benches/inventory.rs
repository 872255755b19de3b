//! How long the users screen takes to load for a large account, and with how many calls:
//! the bulk inventory (authorization details + credential report) against the tutorials'
//! one-call-per-user loop, on a moto server seeded with BENCH_USERS users (default 5,000,
//! IAM's quota). Prints a Markdown table for docs/benchmarks.md.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::iam::inventory;
use gatehouse_testkit::{AwsFiles, Moto};
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

fn main() {
    let users: usize = std::env::var("BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let sample: usize = 500.min(users);
    let moto = Moto::start("900000000000");
    let seeding = Instant::now();
    moto.seed_users(users);
    let seeded_in = seeding.elapsed();

    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut files = AwsFiles::new();
    files.static_profile("bench", &moto.endpoint(), "us-east-1");
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
    let conn = connections.get("bench").unwrap();

    let rss_before = rss_mib();
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let inv = rt.block_on(inventory::load(&conn)).unwrap();
        times.push(t.elapsed());
        last = Some(inv);
    }
    let inv = last.unwrap();
    assert_eq!(inv.users.len(), users);
    times.sort();
    let rss_after = rss_mib();

    // The tutorials' way, on a sample: list the users, then per user its groups, policies,
    // keys and login profile.
    let t = Instant::now();
    let mut calls = 0u32;
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
        calls += 1;
        for n in &names {
            let _ = conn.iam.list_groups_for_user().user_name(n).send().await;
            let _ = conn.iam.list_attached_user_policies().user_name(n).send().await;
            let _ = conn.iam.list_user_policies().user_name(n).send().await;
            let _ = conn.iam.list_access_keys().user_name(n).send().await;
            let _ = conn.iam.get_login_profile().user_name(n).send().await;
            let _ = conn.iam.list_mfa_devices().user_name(n).send().await;
            calls += 6;
        }
    });
    let per_user = t.elapsed() / sample as u32;

    println!("| measure | value |");
    println!("|---|---|");
    println!("| users (groups) | {users} (40) |");
    println!("| seeding with boto3, 8 threads | {:.1} s |", seeded_in.as_secs_f64());
    println!("| bulk inventory: calls | {} |", inv.calls);
    println!(
        "| bulk inventory: time (min / median / max of 3) | {:.2} s / {:.2} s / {:.2} s |",
        times[0].as_secs_f64(),
        times[1].as_secs_f64(),
        times[2].as_secs_f64()
    );
    println!("| process RSS before / after loading 3 times | {rss_before:.0} MiB / {rss_after:.0} MiB |");
    println!("| per-user loop: calls per user | 6 (+1 list) |");
    println!("| per-user loop: time per user (sample of {sample}) | {:.1} ms |", per_user.as_secs_f64() * 1000.0);
    println!(
        "| per-user loop: extrapolated to {users} users | {:.0} s, {} calls |",
        per_user.as_secs_f64() * users as f64,
        6 * users + 1
    );
    let _ = calls;
}
