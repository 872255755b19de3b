use crate::process::{free_port, wait_for_port, Service};
use crate::{repo_root, venv_python};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A moto server on 127.0.0.1 standing for one AWS account; stopped when dropped.
pub struct Moto {
    pub account_id: String,
    pub port: u16,
    service: Service,
    _recording: RecordingFile,
}

/// Where the recorder writes; removed with the server, so that no run leaves files behind.
struct RecordingFile(std::path::PathBuf);

impl Drop for RecordingFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl Moto {
    /// A fresh server for `account_id`, with AWS's managed policies loaded so that
    /// attaching e.g. ReadOnlyAccess works as it does on AWS.
    pub fn start(account_id: &str) -> Moto {
        // Another process may take the free port before moto binds it (two test runs on
        // one machine): moto then exits, and the port answers for someone else. Check that
        // our server is the one listening, and try another port if not.
        for _ in 0..5 {
            let port = free_port();
            let recording = std::env::temp_dir().join(format!("gatehouse-moto-{port}.jsonl"));
            let moto_server = venv_python().with_file_name("moto_server");
            let mut cmd = Command::new(moto_server);
            cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .env("MOTO_ACCOUNT_ID", account_id)
                .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
                // The recorder (off until `start_recording`) writes here, not into the cwd.
                .env("MOTO_RECORDER_FILEPATH", &recording)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut service = Service::spawn(&format!("moto_server ({account_id})"), &mut cmd);
            wait_for_port(&mut service, port, Duration::from_secs(30));
            std::thread::sleep(Duration::from_millis(300));
            if service.is_running() && answers_as(port, account_id) {
                return Moto {
                    account_id: account_id.to_string(),
                    port,
                    service,
                    _recording: RecordingFile(recording),
                };
            }
        }
        panic!("could not start moto_server for {account_id} on a free port");
    }

    /// A server for the whole test binary, kept in a `static` (which Rust never drops):
    /// stopped when the binary exits.
    pub fn start_for_suite(account_id: &str) -> SuiteMoto {
        let Moto { account_id, port, service, .. } = Moto::start(account_id);
        service.stop_at_exit();
        SuiteMoto { account_id, port }
    }

    pub fn endpoint(&self) -> String {
        endpoint(self.port)
    }

    pub fn pid(&self) -> u32 {
        self.service.pid()
    }

    pub fn seed(&self, org: &str) -> serde_json::Value {
        seed(&self.endpoint(), org)
    }

    pub fn boto3(&self, snippet: &str) -> serde_json::Value {
        boto3(&self.endpoint(), snippet)
    }

    pub fn stop(&mut self) {
        self.service.stop();
    }

    /// An account at IAM's scale for the benchmarks: `users` users (`user-00000`…) on 12
    /// paths with a cost-center tag, in 40 groups (a third of them in two), a quarter with
    /// an access key and a fifth with console access; 8 boto3 clients at once.
    pub fn seed_users(&self, users: usize) {
        self.boto3(&format!(
            r#"
from concurrent.futures import ThreadPoolExecutor
import threading
local = threading.local()
def client():
    if not hasattr(local, 'iam'):
        local.iam = boto3.client('iam', endpoint_url=iam.meta.endpoint_url, region_name='us-east-1',
                                 aws_access_key_id='testing', aws_secret_access_key='testing')
    return local.iam
groups = [f'team-{{i:02d}}' for i in range(40)]
for g in groups:
    iam.create_group(GroupName=g)
def make(i):
    c = client(); name = f'user-{{i:05d}}'
    c.create_user(UserName=name, Path=f'/dept-{{i % 12}}/', Tags=[{{'Key': 'cost-center', 'Value': str(1000 + i % 50)}}])
    c.add_user_to_group(GroupName=groups[i % 40], UserName=name)
    if i % 3 == 0:
        c.add_user_to_group(GroupName=groups[(i * 7) % 40], UserName=name)
    if i % 4 == 0:
        c.create_access_key(UserName=name)
    if i % 5 == 0:
        c.create_login_profile(UserName=name, Password='Bench-Passw0rd!')
with ThreadPoolExecutor(8) as pool:
    list(pool.map(make, range({users})))
print('{{}}')
"#
        ));
    }

    /// Starts moto's request recorder with an empty log. STS sends its parameters in the
    /// POST body, which moto ignores in part (SerialNumber, TokenCode) and logs nowhere
    /// else: the recording is the only way to see what a request carried.
    pub fn start_recording(&self) {
        self.boto3(
            "import urllib.request\n\
             for what in ('reset-recording', 'start-recording'):\n\
             \x20   urllib.request.urlopen(urllib.request.Request(\n\
             \x20       iam.meta.endpoint_url + '/moto-api/recorder/' + what, data=b'', method='POST'))\n\
             print('null')",
        );
    }

    /// The form parameters (`Action`, `SerialNumber`, …) of each request recorded since
    /// `start_recording`, oldest first; a request without a form body gives an empty map.
    pub fn recorded_forms(&self) -> Vec<std::collections::BTreeMap<String, String>> {
        let v = self.boto3(
            "import urllib.request, base64, urllib.parse\n\
             raw = urllib.request.urlopen(iam.meta.endpoint_url + '/moto-api/recorder/download-recording').read()\n\
             forms = []\n\
             for line in raw.decode().splitlines():\n\
             \x20   if not line.strip(): continue\n\
             \x20   e = json.loads(line)\n\
             \x20   body = e.get('body') or ''\n\
             \x20   body = base64.b64decode(body).decode('utf-8', 'replace') if e.get('body_encoded') else body\n\
             \x20   forms.append(dict(urllib.parse.parse_qsl(body)))\n\
             print(json.dumps(forms))",
        );
        serde_json::from_value(v).expect("the recording is a list of forms")
    }
}

/// A moto server that lives until the test binary exits (see [`Moto::start_for_suite`]).
pub struct SuiteMoto {
    pub account_id: String,
    pub port: u16,
}

impl SuiteMoto {
    pub fn endpoint(&self) -> String {
        endpoint(self.port)
    }

    pub fn seed(&self, org: &str) -> serde_json::Value {
        seed(&self.endpoint(), org)
    }

    pub fn boto3(&self, snippet: &str) -> serde_json::Value {
        boto3(&self.endpoint(), snippet)
    }
}

/// Whether the server on `port` is the account we started (STS GetCallerIdentity).
fn answers_as(port: u16, account_id: &str) -> bool {
    let out = boto3_raw(
        &endpoint(port),
        "print(json.dumps(boto3.client('sts', endpoint_url=iam.meta.endpoint_url, region_name='us-east-1', \
         aws_access_key_id='testing', aws_secret_access_key='testing').get_caller_identity()['Account']))",
    );
    out.is_some_and(|v| v == account_id)
}

fn endpoint(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// Seeds the sandbox organisation `org` ("acme" or "globex") at `endpoint` with boto3 and
/// returns the script's account of what it created.
pub fn seed(endpoint: &str, org: &str) -> serde_json::Value {
    let script = repo_root().join("src-tauri/scripts/seed.py");
    let out = Command::new(venv_python())
        .arg(script)
        .args(["--endpoint", endpoint, "--org", org])
        .output()
        .expect("run seed.py");
    assert!(out.status.success(), "seed.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("seed.py prints JSON")
}

/// Runs Python with a boto3 IAM client `iam` bound to `endpoint`, and parses what the
/// snippet prints as JSON: the independent check of what Gatehouse wrote.
pub fn boto3(endpoint: &str, snippet: &str) -> serde_json::Value {
    let out = run_python(endpoint, snippet);
    assert!(out.status.success(), "boto3 snippet failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the snippet prints JSON")
}

fn boto3_raw(endpoint: &str, snippet: &str) -> Option<serde_json::Value> {
    let out = run_python(endpoint, snippet);
    out.status.success().then(|| serde_json::from_slice(&out.stdout).ok()).flatten()
}

fn run_python(endpoint: &str, snippet: &str) -> std::process::Output {
    let program = format!(
        "import boto3, json\n\
         iam = boto3.client('iam', endpoint_url='{endpoint}', region_name='us-east-1',\n\
             aws_access_key_id='testing', aws_secret_access_key='testing')\n{snippet}\n"
    );
    Command::new(venv_python()).arg("-c").arg(program).output().expect("run python")
}
