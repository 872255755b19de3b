use gatehouse_testkit::process::{free_port, wait_for_port, Service};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A virtual X display on a Unix socket only (`-nolisten tcp`).
pub struct Xvfb {
    pub display: String,
    _service: Service,
}

impl Xvfb {
    pub fn start() -> Xvfb {
        let n = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let display = format!(":{n}");
        let mut service = Service::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([display.as_str(), "-screen", "0", "1360x860x24", "-nolisten", "tcp", "-noreset"])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        let socket = format!("/tmp/.X11-unix/X{n}");
        let start = Instant::now();
        while !Path::new(&socket).exists() {
            service.assert_running();
            assert!(start.elapsed() < Duration::from_secs(10), "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Xvfb { display, _service: service }
    }
}

/// tauri-driver on 127.0.0.1, with WebKitWebDriver on another loopback port. Stopped with
/// SIGTERM, which lets it stop WebKitWebDriver too.
pub struct TauriDriver {
    pub port: u16,
    _service: Service,
}

impl TauriDriver {
    /// `env` is what the app will see (it inherits it through WebKitWebDriver).
    pub fn start(display: &str, env: &[(String, String)]) -> TauriDriver {
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", display)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // The app sees the AWS environment the test gives it, never the developer's own.
        for (k, _) in std::env::vars_os() {
            if k.to_str().is_some_and(|k| k.starts_with("AWS_")) {
                cmd.env_remove(k);
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut service = Service::spawn("tauri-driver", &mut cmd);
        wait_for_port(&mut service, port, Duration::from_secs(15));
        TauriDriver { port, _service: service }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn tauri_driver() -> String {
    if let Ok(p) = std::env::var("TAURI_DRIVER") {
        return p;
    }
    let cargo_bin = std::env::var("CARGO_HOME")
        .map(|h| format!("{h}/bin/tauri-driver"))
        .unwrap_or_else(|_| format!("{}/.cargo/bin/tauri-driver", std::env::var("HOME").unwrap_or_default()));
    if Path::new(&cargo_bin).exists() {
        cargo_bin
    } else {
        "tauri-driver".into()
    }
}
