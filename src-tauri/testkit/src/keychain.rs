use crate::process::Service;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A private D-Bus session bus with gnome-keyring's Secret Service on it, unlocked, in a
/// temporary data directory: the real keychain, without touching the user's.
pub struct Keychain {
    pub dir: tempfile::TempDir,
    pub bus_address: String,
    // Dropped in reverse order: the keyring daemon before its bus.
    keyring: Service,
    _bus: Service,
}

impl Keychain {
    pub fn start() -> Keychain {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("bus");
        let bus_address = format!("unix:path={}", socket.display());
        let mut bus = Service::spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--nopidfile"])
                .arg(format!("--address={bus_address}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until(Duration::from_secs(10), || {
            bus.assert_running();
            socket.exists()
        });

        let data = dir.path().join("data");
        let runtime = dir.path().join("run");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&runtime).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();

        let mut cmd = Command::new("gnome-keyring-daemon");
        cmd.args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("HOME", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut keyring = Service::spawn("gnome-keyring-daemon", &mut cmd);
        // The unlock password is read from stdin until EOF.
        let mut stdin = keyring_stdin(&mut keyring);
        stdin.write_all(b"gatehouse-test").unwrap();
        drop(stdin);

        let kc = Keychain { dir, bus_address, keyring, _bus: bus };
        // Ready means an item can be stored in the default collection and read back: the
        // daemon answering is not enough, the login keyring must exist and be unlocked.
        let probe = Instant::now();
        loop {
            let stored = Command::new("secret-tool")
                .args(["store", "--label=probe", "service", "gatehouse-probe", "username", "probe"])
                .env("DBUS_SESSION_BUS_ADDRESS", &kc.bus_address)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .and_then(|mut c| {
                    c.stdin.take().unwrap().write_all(b"ready")?;
                    c.wait()
                })
                .is_ok_and(|s| s.success());
            if stored && kc.lookup("gatehouse-probe", "probe").as_deref() == Some("ready") {
                kc.secret_tool(&["clear", "service", "gatehouse-probe", "username", "probe"]);
                break;
            }
            // Generous: on a loaded 2-core machine the daemon can take this long to create its keyring.
            assert!(probe.elapsed() < Duration::from_secs(60), "gnome-keyring did not come up within 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        kc
    }

    /// Environment for a process that should use this keychain.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("DBUS_SESSION_BUS_ADDRESS".into(), self.bus_address.clone())]
    }

    /// Points this test process at the keychain. Only for test binaries that run one test.
    pub fn use_in_this_process(&self) {
        for (k, v) in self.env() {
            std::env::set_var(k, v);
        }
    }

    /// `secret-tool` against this keychain: the independent client.
    pub fn secret_tool(&self, args: &[&str]) -> std::process::Output {
        Command::new("secret-tool")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address)
            .output()
            .expect("secret-tool (libsecret-tools) is installed")
    }

    /// What `secret-tool lookup service S username U` prints, if anything.
    pub fn lookup(&self, service: &str, username: &str) -> Option<String> {
        let out = self.secret_tool(&["lookup", "service", service, "username", username]);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn keyring_pid(&self) -> u32 {
        self.keyring.pid()
    }
}

fn keyring_stdin(s: &mut Service) -> std::process::ChildStdin {
    s.take_stdin().expect("piped stdin")
}

fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < timeout, "timed out after {timeout:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
