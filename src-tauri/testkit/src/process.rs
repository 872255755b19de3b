use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A process a test started. Dropping it stops it: SIGTERM to its PID, then, if it is still
/// there after a grace period, SIGTERM and SIGKILL to its whole process group; every
/// process of the group is then reaped here, so none is left as a zombie for init.
pub struct Service {
    name: String,
    child: Child,
}

impl Service {
    /// Starts `cmd` as the leader of a new process group, so that its children can be
    /// stopped with it.
    pub fn spawn(name: &str, cmd: &mut Command) -> Service {
        use std::os::unix::process::CommandExt;
        become_subreaper();
        cmd.process_group(0);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Service { name: name.to_string(), child }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Panics with the service's name if it exited, for clear start-up failures.
    pub fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early with {status}", self.name);
        }
    }

    pub fn stop(&mut self) {
        let pid = self.child.id() as i32;
        if !self.is_running() {
            // The leader is gone; its group may not be.
            kill_group(pid, libc::SIGKILL);
        } else {
            unsafe { libc::kill(pid, libc::SIGTERM) };
            if wait_exit(&mut self.child, Duration::from_secs(5)) {
                kill_group(pid, libc::SIGTERM);
                std::thread::sleep(Duration::from_millis(100));
                kill_group(pid, libc::SIGKILL);
            } else {
                kill_group(pid, libc::SIGTERM);
                if !wait_exit(&mut self.child, Duration::from_secs(3)) {
                    kill_group(pid, libc::SIGKILL);
                    let _ = self.child.wait();
                }
            }
        }
        reap_group(pid, Duration::from_secs(5));
    }
}

fn kill_group(pgid: i32, sig: i32) {
    unsafe { libc::kill(-pgid, sig) };
}

/// Makes this test process the parent of every orphan its services leave (a daemon's
/// children, WebKitWebDriver's app), so that `reap_group` can wait for them instead of
/// leaving zombies for init, which reaps them late on some machines.
fn become_subreaper() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    #[cfg(target_os = "linux")]
    ONCE.call_once(|| unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    });
}

/// Waits for every process of group `pgid` that is our child (directly, or adopted as a
/// subreaper) until none is left or `timeout` passes.
fn reap_group(pgid: i32, timeout: Duration) {
    let start = Instant::now();
    loop {
        let mut status = 0;
        let r = unsafe { libc::waitpid(-pgid, &mut status, libc::WNOHANG) };
        if r > 0 {
            continue;
        }
        if r < 0 || start.elapsed() >= timeout {
            return; // ECHILD: nothing of the group is left to reap.
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_exit(child: &mut Child, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until something accepts connections on 127.0.0.1:`port`.
pub fn wait_for_port(service: &mut Service, port: u16, timeout: Duration) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        service.assert_running();
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{} did not listen on 127.0.0.1:{port} within {timeout:?}", service.name);
}

impl Service {
    pub fn take_stdin(&mut self) -> Option<std::process::ChildStdin> {
        self.child.stdin.take()
    }
}

/// Process groups to stop when the test binary exits. For services shared by a whole test
/// binary through a `static`, which Rust never drops.
static AT_EXIT: std::sync::Mutex<Vec<i32>> = std::sync::Mutex::new(Vec::new());

extern "C" fn stop_registered() {
    let pids = std::mem::take(&mut *AT_EXIT.lock().unwrap_or_else(|e| e.into_inner()));
    for &pid in &pids {
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    for &pid in &pids {
        while Instant::now() < deadline {
            let mut status = 0;
            if unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } != 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        kill_group(pid, libc::SIGKILL);
        reap_group(pid, Duration::from_secs(2));
    }
}

impl Service {
    /// Keeps the service for the rest of the test binary's life and stops it (and its
    /// process group) when the binary exits.
    pub fn stop_at_exit(self) {
        let mut pids = AT_EXIT.lock().unwrap();
        if pids.is_empty() {
            unsafe { libc::atexit(stop_registered) };
        }
        pids.push(self.child.id() as i32);
        std::mem::forget(self);
    }
}
