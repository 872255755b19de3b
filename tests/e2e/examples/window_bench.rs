//! The window's speed and memory on accounts at IAM's scale, measured on the release build
//! for docs/benchmarks.md: cold start to the profile list and to a 5,000-user table, a
//! filter keystroke and a sort click to the repainted table, and the PSS of the app with its
//! WebKit processes (idle, 5,000 users, after ten switches between two such accounts).
//!
//! Run by `src-tauri/scripts/bench-window`, which builds the release package first and sets
//! GATEHOUSE_BIN and GATEHOUSE_DEB. BENCH_USERS (5,000) and BENCH_RUNS (5) change the size;
//! the accounts are reached through the testkit's AWS-shaped front, BENCH_LATENCY_MS (100) a
//! call (0: moto alone), and boto3's best read of the same data is timed beside each start.
//! Times come from the page's own User Timing measures (`ui/src/lib/ui/perf.ts`), read over
//! WebDriver, so the WebDriver round trips are not part of them; cold starts are counted
//! from the moment the kernel started the app's process.

use gatehouse_e2e::{keys, AppWindow, AppWorld, TauriDriver, Xvfb};
use gatehouse_testkit::front::BOTO3_BEST_USERS_READ;
use gatehouse_testkit::moto::boto3;
use gatehouse_testkit::{AwsFiles, AwsFront, Behaviour, Moto};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

// The names in ui/src/lib/ui/perf.ts (MEASURE).
const PROFILES_PAINTED: &str = "gatehouse:profiles-painted";
const USERS_PAINTED: &str = "gatehouse:users-painted";
const USERS_FILTER: &str = "gatehouse:users-filter";
const USERS_SORT: &str = "gatehouse:users-sort";
const INVENTORY_READ: &str = "gatehouse:inventory-read";
const INVENTORY_SHOWN: &str = "gatehouse:inventory-shown";

const LOAD: Duration = Duration::from_secs(180);

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let users = env_number("BENCH_USERS", 5000);
    let runs = env_number("BENCH_RUNS", 5).max(1);
    let bin = gatehouse_e2e::app_binary();

    eprintln!("seeding two accounts of {users} users each (a few minutes)…");
    let seeding = Instant::now();
    let (a, b) = (Moto::start("915000000001"), Moto::start("915000000002"));
    std::thread::scope(|s| {
        s.spawn(|| a.seed_users(users));
        s.spawn(|| b.seed_users(users));
    });
    eprintln!("seeded in {:.0} s", seeding.elapsed().as_secs_f64());
    // Through the AWS-shaped front (AWS's paging and BENCH_LATENCY_MS a call, 100 by
    // default), or on moto alone with BENCH_LATENCY_MS=0.
    let latency = Duration::from_millis(env_number("BENCH_LATENCY_MS", 100) as u64);
    let fronts = (!latency.is_zero()).then(|| {
        let behaviour = Behaviour { latency, ..Behaviour::default() };
        (AwsFront::start(&a.endpoint(), behaviour), AwsFront::start(&b.endpoint(), behaviour))
    });
    let (endpoint_a, endpoint_b) = match &fronts {
        Some((fa, fb)) => (fa.endpoint(), fb.endpoint()),
        None => (a.endpoint(), b.endpoint()),
    };
    let mut files = AwsFiles::new();
    files.static_profile("large-a", &endpoint_a, "us-east-1");
    files.static_profile("large-b", &endpoint_b, "us-east-1");
    let world = AppWorld::new(files);
    let xvfb = Xvfb::start();

    // Cold starts: a new process each time, the profile selected at start (AWS_PROFILE) and
    // the Users tab clicked as soon as it exists.
    let (mut to_profiles, mut to_users, mut read, mut shown) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut baseline, mut details_pages) = (Vec::new(), 0);
    if let Some((fa, _)) = &fronts {
        fa.reset_stats();
    }
    for run in 1..=runs {
        let driver = TauriDriver::start(&xvfb.display, &world.env(&[("AWS_PROFILE", "large-a")]));
        let w = AppWindow::start(&driver.url(), &bin);
        let pid = app_pid(&bin);
        let started = process_start_ms(pid);
        let profiles = painted_at(&w, PROFILES_PAINTED) - started;
        w.show_users();
        let table = painted_at(&w, USERS_PAINTED) - started;
        let (r, v) = (durations(&w, INVENTORY_READ)[0], durations(&w, INVENTORY_SHOWN)[0]);
        eprintln!("cold start {run}/{runs}: profile list {profiles:.0} ms, users table {table:.0} ms (read {r:.0}, shown {v:.0})");
        to_profiles.push(profiles);
        to_users.push(table);
        read.push(r);
        shown.push(v);
        w.close();
        drop(driver);
        wait_gone(&bin);
        if let Some((fa, _)) = &fronts {
            details_pages = fa.calls("GetAccountAuthorizationDetails");
        }
        // The best a boto3 script does for the same data through the same endpoint, in turn.
        let best = boto3(&endpoint_a, BOTO3_BEST_USERS_READ);
        assert_eq!(best["users"].as_u64(), Some(users as u64));
        baseline.push(best["seconds"].as_f64().unwrap_or_default() * 1000.0);
        if let Some((fa, _)) = &fronts {
            fa.reset_stats();
        }
    }

    // One session for the rest: idle, then a 5,000-user table to type in and sort.
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[]));
    let w = AppWindow::start(&driver.url(), &bin);
    let pid = app_pid(&bin);
    painted_at(&w, PROFILES_PAINTED);
    let idle = settled_pss(pid);

    open_users(&w, "large-a", &a.account_id, users);
    let loaded = settled_pss(pid);

    let search = w.wait_for("[data-testid='user-search']", LOAD);
    let mut filter = Vec::new();
    for _ in 0..runs {
        for key in ["u", "s", "e", "r", "-", "0", "1", "2"].into_iter().chain([keys::BACKSPACE; 8]) {
            filter.push(measure_one(&w, USERS_FILTER, || w.type_text(&search, key)));
        }
    }
    let headers = w.find_all(".data-table th button.sort");
    assert!(headers.len() >= 8, "the users table has its sortable columns");
    let mut sort = Vec::new();
    for _ in 0..runs {
        for h in &headers {
            sort.push(measure_one(&w, USERS_SORT, || w.click(h)));
        }
    }

    let mut after_switches = Vec::new();
    for switch in 1..=10 {
        let (profile, moto) = if switch % 2 == 1 { ("large-b", &b) } else { ("large-a", &a) };
        open_users(&w, profile, &moto.account_id, users);
        if switch % 2 == 0 {
            after_switches.push((switch, settled_pss(pid)));
        }
    }
    w.close();
    drop(driver);
    wait_gone(&bin);

    report(Report {
        users,
        runs,
        latency,
        baseline,
        details_pages,
        to_profiles,
        to_users,
        read,
        shown,
        filter,
        sort,
        idle,
        loaded,
        after_switches,
        bin: &bin,
    });
}

/// Selects `profile`, opens its Users tab and waits for all `users` rows to be read (not a
/// snapshot from before a switch still being refreshed).
fn open_users(w: &AppWindow, profile: &str, account: &str, users: usize) {
    w.click_on(&format!("button[data-profile='{profile}']"));
    w.wait_until("the profile's identity", LOAD, |w| {
        w.attributes_of_all("[data-testid='identity-account']", "data-account") == [account]
    });
    w.show_users();
    w.wait_until("every user of the account, freshly read", LOAD, |w| {
        w.find_all("[data-testid='cached-banner']").is_empty()
            && w.execute("return document.querySelector('[data-testid=\"user-count\"]')?.textContent ?? ''")
                .as_str()
                .is_some_and(|t| t.trim() == users.to_string())
    });
}

/// When the measure `name` (from navigation start) ended, in ms since the epoch.
fn painted_at(w: &AppWindow, name: &str) -> f64 {
    let script = format!(
        "const e = performance.getEntriesByName({name:?}, 'measure')[0]; \
         return e ? performance.timeOrigin + e.startTime + e.duration : null"
    );
    let start = Instant::now();
    loop {
        if let Some(at) = w.execute(&script).as_f64() {
            return at;
        }
        assert!(start.elapsed() < LOAD, "the page never recorded {name}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The durations of the measures `name` recorded so far (waits for the first).
fn durations(w: &AppWindow, name: &str) -> Vec<f64> {
    let script = format!("return performance.getEntriesByName({name:?}, 'measure').map(e => e.duration)");
    let start = Instant::now();
    loop {
        if let Value::Array(d) = w.execute(&script) {
            if !d.is_empty() {
                return d.iter().filter_map(Value::as_f64).collect();
            }
        }
        assert!(start.elapsed() < LOAD, "the page never recorded {name}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `action` and returns the duration of the one new measure `name` it caused.
fn measure_one(w: &AppWindow, name: &str, action: impl FnOnce()) -> f64 {
    w.execute(&format!("performance.clearMeasures({name:?})"));
    action();
    durations(w, name)[0]
}

/// The newest process running `bin`.
fn app_pid(bin: &Path) -> u32 {
    let want = bin.canonicalize().unwrap_or_else(|_| bin.to_path_buf());
    let start = Instant::now();
    loop {
        let newest = processes()
            .filter(|&pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == want))
            .max_by_key(|&pid| stat_field(pid, 21).unwrap_or(0));
        if let Some(pid) = newest {
            return pid;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{} never started", want.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until no process runs `bin` (the closed window's app has exited).
fn wait_gone(bin: &Path) {
    let want = bin.canonicalize().unwrap_or_else(|_| bin.to_path_buf());
    let start = Instant::now();
    while processes().any(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == want)) {
        assert!(start.elapsed() < Duration::from_secs(30), "the app did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn processes() -> impl Iterator<Item = u32> {
    std::fs::read_dir("/proc").into_iter().flatten().flatten().filter_map(|e| e.file_name().to_str()?.parse().ok())
}

/// Field `n` (0-based, as in proc(5) minus one) of /proc/<pid>/stat.
fn stat_field(pid: u32, n: usize) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 1) may hold spaces: count from the closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(n - 2)?.parse().ok()
}

/// When the kernel started `pid`, in ms since the epoch (to 10 ms: clock ticks of 1/100 s).
fn process_start_ms(pid: u32) -> f64 {
    let ticks = stat_field(pid, 21).expect("start time of the app") as f64;
    let uptime: f64 =
        std::fs::read_to_string("/proc/uptime").unwrap().split_whitespace().next().unwrap().parse().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0;
    now - uptime * 1000.0 + ticks * 10.0
}

/// PSS in MiB of `pid` and every process under it (WebKit's web and network processes),
/// by command name, after a few seconds of quiet.
fn settled_pss(pid: u32) -> Vec<(String, f64)> {
    std::thread::sleep(Duration::from_secs(3));
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(processes().filter(|&p| stat_field(p, 3) == Some(u64::from(parent))));
        i += 1;
    }
    tree.into_iter()
        .map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default().trim().to_string();
            let pss_kib: f64 = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup"))
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0.0);
            (name, pss_kib / 1024.0)
        })
        .collect()
}

struct Report<'a> {
    users: usize,
    runs: usize,
    latency: Duration,
    /// boto3's best for the users table's data, ms, one per cold start.
    baseline: Vec<f64>,
    /// GetAccountAuthorizationDetails calls of the app's whole session, a cold start.
    details_pages: u64,
    to_profiles: Vec<f64>,
    to_users: Vec<f64>,
    read: Vec<f64>,
    shown: Vec<f64>,
    filter: Vec<f64>,
    sort: Vec<f64>,
    idle: Vec<(String, f64)>,
    loaded: Vec<(String, f64)>,
    after_switches: Vec<(usize, Vec<(String, f64)>)>,
    bin: &'a PathBuf,
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn spread(v: &[f64]) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(0.0, f64::max);
    format!("{:.0} ms | {min:.0}–{max:.0} ms | {}", median(v), v.len())
}

fn total(pss: &[(String, f64)]) -> f64 {
    pss.iter().map(|(_, m)| m).sum()
}

fn parts(pss: &[(String, f64)]) -> String {
    pss.iter().map(|(n, m)| format!("{n} {m:.0}")).collect::<Vec<_>>().join(", ")
}

fn size_mib(path: &Path) -> String {
    std::fs::metadata(path).map(|m| format!("{:.1} MiB", m.len() as f64 / 1048576.0)).unwrap_or_else(|_| "—".into())
}

fn report(r: Report<'_>) {
    let Report { users, runs, .. } = r;
    match r.latency.is_zero() {
        true => println!("On moto alone (no front)."),
        false => println!("Through the AWS-shaped front: AWS's paging, {} ms a call.", r.latency.as_millis()),
    }
    println!();
    println!("| measure | median | min–max | samples | target |");
    println!("|---|---|---|---|---|");
    println!("| cold start to the profile list | {} | ≤ 1 s |", spread(&r.to_profiles));
    println!("| cold start to the users table ({users} users) | {} | ≤ 1 s |", spread(&r.to_users));
    println!("| … of which reading the account (Rust, endpoint, IPC) | {} | |", spread(&r.read));
    println!("| … of which from the users' arrival to the painted table | {} | |", spread(&r.shown));
    println!("| boto3's best for the same data, same endpoint | {} | |", spread(&r.baseline));
    println!(
        "| users table / boto3's best | {:.2}× | | | ≤ 1.2× |",
        median(&r.to_users) / median(&r.baseline).max(1.0)
    );
    println!("| GetAccountAuthorizationDetails calls in one session (cold start) | {} | | | |", r.details_pages);
    println!("| filter keystroke to repainted table ({users} rows) | {} | ≤ 50 ms |", spread(&r.filter));
    println!("| sort click to repainted table ({users} rows) | {} | ≤ 100 ms |", spread(&r.sort));
    println!();
    println!("| memory (PSS, MiB) | total | by process | target |");
    println!("|---|---|---|---|");
    println!("| idle, no profile selected | {:.0} | {} | |", total(&r.idle), parts(&r.idle));
    println!("| {users} users loaded | {:.0} | {} | ≤ 250 |", total(&r.loaded), parts(&r.loaded));
    for (n, pss) in &r.after_switches {
        println!("| after {n} switches between two such accounts | {:.0} | {} | ≤ 250 |", total(pss), parts(pss));
    }
    println!();
    println!("| size | value | target |");
    println!("|---|---|---|");
    println!("| release binary (`{}`) | {} | |", r.bin.file_name().unwrap_or_default().display(), size_mib(r.bin));
    if let Some(deb) = std::env::var_os("GATEHOUSE_DEB") {
        let deb = PathBuf::from(deb);
        println!("| package (`{}`) | {} | ≤ 20 MB |", deb.file_name().unwrap_or_default().display(), size_mib(&deb));
    }
    println!();
    println!("Cold starts: {runs} launches; filter: {} keystrokes; sort: {} clicks.", r.filter.len(), r.sort.len());
}
