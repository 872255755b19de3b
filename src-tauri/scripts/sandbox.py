#!/usr/bin/env python3
"""The local sandbox: two moto servers on 127.0.0.1 standing for two AWS accounts, seeded with
a realistic organisation, and Gatehouse launched on a sandbox AWS config written outside
~/.aws. The servers stop when the app exits.

    sandbox.py --app target/debug/gatehouse      # run the app on the sandbox
    sandbox.py --serve                           # only the servers, until Ctrl-C
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent

ACCOUNTS = [
    # profile name, account id, organisation seeded, region
    ("sandbox-production", "111111111111", "acme", "eu-west-1"),
    ("sandbox-staging", "222222222222", "globex", "us-east-1"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(account):
    port = free_port()
    env = dict(os.environ, MOTO_ACCOUNT_ID=account, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    proc = subprocess.Popen(
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, stopped as a whole
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"moto_server for {account} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"moto_server for {account} did not start")


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def write_config(directory, endpoints):
    lines = []
    for (profile, _account, _org, region), endpoint in zip(ACCOUNTS, endpoints):
        lines += [
            f"[profile {profile}]",
            f"region = {region}",
            f"endpoint_url = {endpoint}",
            # moto accepts any keys; these are not secrets.
            "aws_access_key_id = AKIASANDBOXEXAMPLE00",
            "aws_secret_access_key = sandbox-not-a-secret",
            "",
        ]
    config = Path(directory) / "config"
    config.write_text("\n".join(lines))
    credentials = Path(directory) / "credentials"
    credentials.write_text("")
    return config, credentials


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", help="the Gatehouse binary to launch on the sandbox")
    ap.add_argument("--serve", action="store_true", help="only run the seeded servers")
    args = ap.parse_args()
    if not args.app and not args.serve:
        ap.error("give --app BINARY or --serve")

    sys.path.insert(0, str(HERE))
    import boto3
    import seed

    servers = []
    app = None
    workdir = tempfile.TemporaryDirectory(prefix="gatehouse-sandbox-")

    def shutdown(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, shutdown)
    try:
        endpoints = []
        for profile, account, org, _region in ACCOUNTS:
            proc, endpoint = start_moto(account)
            servers.append(proc)
            endpoints.append(endpoint)
            iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            made = seed.seed(iam, org)
            print(f"[sandbox] {profile}: account {account} at {endpoint}, "
                  f"{len(made['users'])} users, {len(made['groups'])} groups, {len(made['roles'])} roles",
                  flush=True)
        config, credentials = write_config(workdir.name, endpoints)
        env = dict(os.environ,
                   AWS_CONFIG_FILE=str(config),
                   AWS_SHARED_CREDENTIALS_FILE=str(credentials),
                   AWS_PROFILE=ACCOUNTS[0][0],
                   GATEHOUSE_SANDBOX="1")
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            env.pop(k, None)
        if args.serve:
            print(f"[sandbox] AWS_CONFIG_FILE={config} AWS_SHARED_CREDENTIALS_FILE={credentials}", flush=True)
            while True:
                time.sleep(3600)
        print(f"[sandbox] starting {args.app}", flush=True)
        app = subprocess.Popen([args.app], env=env)
        return app.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            app.wait()
        for proc in servers:
            stop(proc)
        workdir.cleanup()
        print("[sandbox] servers stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
