use crate::process::Service;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The login keyring's password in a test keychain.
pub const PASSWORD: &str = "gatehouse-test";

/// A private D-Bus session bus with gnome-keyring's Secret Service on it, unlocked, in a
/// temporary data directory: the real keychain, without touching the user's.
///
/// The bus starts no service on demand: once the daemon is stopped the keychain is gone (no
/// other gnome-keyring is started in its place, with the user's home), and an unlock prompt
/// fails at once for want of a prompter, as when the user dismisses it.
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
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n                  \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                 <busconfig>\n  <type>session</type>\n  <listen>{bus_address}</listen>\n  <auth>EXTERNAL</auth>\n  \
                 <policy context=\"default\">\n    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n    \
                 <allow eavesdrop=\"true\"/>\n    <allow own=\"*\"/>\n  </policy>\n</busconfig>\n"
            ),
        )
        .unwrap();
        let mut bus = Service::spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .args(["--nofork", "--nopidfile"])
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
        stdin.write_all(PASSWORD.as_bytes()).unwrap();
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

    pub fn lock(&self) {
        lock(&self.bus_address);
    }

    pub fn unlock(&self) {
        unlock(&self.bus_address);
    }
}

const SECRETS: &str = "org.freedesktop.secrets";
const SERVICE: &str = "org.freedesktop.Secret.Service";

/// A connection to the Secret Service on the bus at `address` (not the process's session
/// bus), and the path of its default collection.
fn secret_service(address: &str) -> (dbus::blocking::Connection, dbus::Path<'static>) {
    let mut channel = dbus::channel::Channel::open_private(address).expect("connect to the test bus");
    channel.register().expect("register on the test bus");
    let conn = dbus::blocking::Connection::from(channel);
    let (collection,): (dbus::Path<'static>,) = conn
        .with_proxy(SECRETS, "/org/freedesktop/secrets", Duration::from_secs(5))
        .method_call(SERVICE, "ReadAlias", ("default",))
        .expect("the keychain has a default collection");
    (conn, collection)
}

/// Locks the default collection of the keychain on the bus at `address`, as a desktop does
/// after a while: its items are listed, their secrets need an unlock.
pub fn lock(address: &str) {
    let (conn, collection) = secret_service(address);
    let (_locked, _prompt): (Vec<dbus::Path<'static>>, dbus::Path<'static>) = conn
        .with_proxy(SECRETS, "/org/freedesktop/secrets", Duration::from_secs(5))
        .method_call(SERVICE, "Lock", (vec![collection],))
        .expect("lock the default collection");
}

/// Unlocks it with the login password, as logging in does: gnome-keyring's own method, which
/// needs no prompt.
pub fn unlock(address: &str) {
    use dbus::arg::{RefArg, Variant};
    let (conn, collection) = secret_service(address);
    let service = conn.with_proxy(SECRETS, "/org/freedesktop/secrets", Duration::from_secs(5));
    let (_, session): (Variant<Box<dyn RefArg>>, dbus::Path<'static>) =
        service.method_call(SERVICE, "OpenSession", ("plain", Variant(""))).expect("open a plain session");
    let secret = (session, Vec::<u8>::new(), PASSWORD.as_bytes().to_vec(), "text/plain");
    let () = service
        .method_call(
            "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
            "UnlockWithMasterPassword",
            (collection, secret),
        )
        .expect("unlock the default collection");
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
