"""A front for moto that answers as AWS's IAM does where moto does not.

moto answers every listing in one page, at once, and never lags or throttles. AWS:
- pages every IAM listing: MaxItems defaults to 100 and may be at most 1,000; a truncated
  page says IsTruncated=true and carries an opaque Marker, and IAM may return fewer items
  than asked even when more exist (the API reference says so for every listing);
- answers across a network (LATENCY, seconds per call; calls are answered concurrently);
- is eventually consistent: a user, group or role created a moment ago can be left out of
  listings and answer NoSuchEntity for a while (CONSISTENCY, seconds);
- throttles its control plane: above a rate it answers 400 Throttling "Rate exceeded"
  (THROTTLE, calls a second; 0 is off).

Started by the testkit (src-tauri/testkit/src/front.rs) on 127.0.0.1 in front of one moto
server; told what to do through POST /front-api/config, asked what it saw through
GET /front-api/stats. Only the standard library: it runs in the project's venv.
"""

import base64
import json
import random
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NS = "https://iam.amazonaws.com/doc/2010-05-08/"
ET.register_namespace("", NS)

DEFAULT_PAGE = 100
LARGEST_PAGE = 1000
# Listings AWS does not page (no MaxItems, no Marker in their API).
UNPAGED = {
    "ListOpenIDConnectProviders",
    "ListSAMLProviders",
    "ListServiceSpecificCredentials",
    "ListSTSRegionalEndpointsStatus",
}
# Which form field names an entity of which kind, for eventual consistency.
NAME_FIELDS = {"UserName": "user", "GroupName": "group", "RoleName": "role"}
CREATES = {"CreateUser": "user", "CreateGroup": "group", "CreateRole": "role"}
KIND_FIELD = {"user": "UserName", "group": "GroupName", "role": "RoleName"}


class State:
    def __init__(self, upstream):
        self.upstream = upstream.rstrip("/")
        self.lock = threading.Lock()
        self.latency = 0.0
        self.consistency = 0.0
        self.throttle = 0.0
        self.short_pages = True
        self.created = {}  # (kind, name) -> monotonic time of creation
        self.listings = {}  # token -> (monotonic time, parsed full answer)
        self.calls = {}  # Action -> count
        self.throttled = 0
        self.hidden_answers = 0
        self.bucket = 0.0
        self.bucket_at = time.monotonic()

    def configure(self, cfg):
        with self.lock:
            self.latency = float(cfg.get("latency", self.latency))
            self.consistency = float(cfg.get("consistency", self.consistency))
            self.throttle = float(cfg.get("throttle", self.throttle))
            self.short_pages = bool(cfg.get("short_pages", self.short_pages))
            self.bucket = self.throttle
            self.bucket_at = time.monotonic()

    def stats(self):
        with self.lock:
            return {"calls": dict(self.calls), "throttled": self.throttled, "hidden": self.hidden_answers}

    def reset_stats(self):
        with self.lock:
            self.calls = {}
            self.throttled = 0
            self.hidden_answers = 0

    def count(self, action):
        with self.lock:
            self.calls[action] = self.calls.get(action, 0) + 1

    def take_token(self):
        """A token bucket of THROTTLE calls a second (as deep as one second's worth)."""
        with self.lock:
            if self.throttle <= 0:
                return True
            now = time.monotonic()
            self.bucket = min(self.throttle, self.bucket + (now - self.bucket_at) * self.throttle)
            self.bucket_at = now
            if self.bucket >= 1:
                self.bucket -= 1
                return True
            self.throttled += 1
            return False

    def invisible(self, kind, name):
        with self.lock:
            at = self.created.get((kind, name))
            return at is not None and time.monotonic() - at < self.consistency

    def invisible_names(self):
        with self.lock:
            now = time.monotonic()
            return {k for k, at in self.created.items() if now - at < self.consistency}

    def remember_listing(self, answer):
        token = secrets.token_urlsafe(12)
        with self.lock:
            now = time.monotonic()
            for t in [t for t, (at, _) in self.listings.items() if now - at > 600]:
                del self.listings[t]
            self.listings[token] = (now, answer)
        return token

    def listing(self, token):
        with self.lock:
            found = self.listings.get(token)
            return found[1] if found else None


def error_xml(code, message, status):
    body = (
        f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{message}</Message></Error><RequestId>{secrets.token_hex(16)}</RequestId></ErrorResponse>"
    )
    return status, body.encode()


def tag(el):
    return el.tag.split("}", 1)[-1]


def result_of(root):
    for child in root:
        if tag(child).endswith("Result"):
            return child
    return None


def member_lists(result):
    """The lists of a listing's result: its direct children made of <member> elements."""
    lists = []
    for child in result:
        if len(child) and all(tag(m) == "member" for m in child):
            lists.append(child)
        elif len(child) == 0 and tag(child) not in ("IsTruncated", "Marker") and (child.text or "").strip() == "":
            # An empty list (<Users/>) is a list too.
            lists.append(child)
    return lists


def hide_invisible(state, result):
    hidden = state.invisible_names()
    if not hidden:
        return
    for lst in member_lists(result):
        for m in list(lst):
            for kind, field in KIND_FIELD.items():
                name = m.find(f"{{{NS}}}{field}")
                if name is None:
                    name = m.find(field)
                if name is not None and (kind, name.text) in hidden and lst.tag.split("}")[-1] != "GroupList":
                    # Only the entity's own entry: a user's entry under another name stays.
                    own = {"user": ("Users", "UserDetailList", "PolicyUsers"),
                           "group": ("Groups", "GroupDetailList", "PolicyGroups"),
                           "role": ("Roles", "RoleDetailList", "PolicyRoles")}[kind]
                    if tag(lst) in own:
                        lst.remove(m)
                        with state.lock:
                            state.hidden_answers += 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", secrets.token_hex(16))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/front-api/stats"):
            return self.reply(200, json.dumps(self.state.stats()).encode(), "application/json")
        self.forward(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/front-api/config"):
            self.state.configure(json.loads(body or b"{}"))
            return self.reply(200, b"{}", "application/json")
        if self.path.startswith("/front-api/reset-stats"):
            self.state.reset_stats()
            return self.reply(200, b"{}", "application/json")
        self.forward(body)

    def upstream(self, body, form=None):
        if form is not None:
            body = urllib.parse.urlencode(list(form.items())).encode()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        req = urllib.request.Request(self.state.upstream + self.path, data=body if self.command == "POST" else None,
                                     headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read(), r.headers.get("Content-Type", "text/xml")
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers.get("Content-Type", "text/xml")

    def forward(self, body):
        state = self.state
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"))) if body else {}
        action = form.get("Action")
        if action is None or self.path.startswith("/moto-api"):
            status, out, ctype = self.upstream(body)
            return self.reply(status, out, ctype)
        state.count(action)
        if state.latency:
            time.sleep(state.latency)
        if not state.take_token():
            return self.reply(*error_xml("Throttling", "Rate exceeded", 400))
        if action not in CREATES:
            for field, kind in NAME_FIELDS.items():
                if field in form and state.invisible(kind, form[field]):
                    with state.lock:
                        state.hidden_answers += 1
                    return self.reply(*error_xml("NoSuchEntity", f"The {kind} with name {form[field]} cannot be found.", 404))
        if self.is_paged(action):
            return self.page(action, form)
        status, out, ctype = self.upstream(body)
        if status == 200 and action in CREATES:
            kind = CREATES[action]
            with state.lock:
                state.created[(kind, form.get(KIND_FIELD[kind]))] = time.monotonic()
        self.reply(status, out, ctype)

    @staticmethod
    def is_paged(action):
        return (action.startswith("List") and action not in UNPAGED) or action in (
            "GetAccountAuthorizationDetails", "GetGroup")

    def page(self, action, form):
        state = self.state
        try:
            asked = int(form.get("MaxItems", DEFAULT_PAGE))
        except ValueError:
            return self.reply(*error_xml("ValidationError", "MaxItems must be a number", 400))
        if asked < 1 or asked > LARGEST_PAGE:
            return self.reply(*error_xml(
                "ValidationError",
                f"1 validation error detected: Value '{asked}' at 'maxItems' failed to satisfy constraint: "
                f"Member must have value less than or equal to {LARGEST_PAGE}", 400))
        marker = form.get("Marker")
        if marker:
            try:
                token, offset = base64.urlsafe_b64decode(marker.encode()).decode().rsplit(":", 1)
                offset = int(offset)
                full = state.listing(token)
            except Exception:
                full = None
            if full is None:
                return self.reply(*error_xml("ValidationError", "Invalid Marker", 400))
        else:
            # The whole listing from moto at once (it pages a few listings itself).
            whole = {k: v for k, v in form.items() if k not in ("Marker", "MaxItems")}
            whole["MaxItems"] = "100000"
            status, out, ctype = self.upstream(b"", whole)
            if status != 200:
                return self.reply(status, out, ctype)
            full = ET.fromstring(out)
            token, offset = state.remember_listing(full), 0
        root = ET.fromstring(ET.tostring(full))
        result = result_of(root)
        if result is None:
            return self.reply(200, ET.tostring(root, xml_declaration=True, encoding="utf-8"))
        hide_invisible(state, result)
        lists = member_lists(result)
        items = [(lst, m) for lst in lists for m in list(lst)]
        for lst in lists:
            for m in list(lst):
                lst.remove(m)
        n = asked
        # IAM may answer fewer than asked though more remain: every other page is shorter.
        if state.short_pages and (offset // max(asked, 1)) % 2 == 1 and asked > 1:
            n = max(1, asked * 9 // 10)
        chunk = items[offset:offset + n]
        for lst, m in chunk:
            lst.append(m)
        truncated = offset + n < len(items)
        for old in [c for c in result if tag(c) in ("IsTruncated", "Marker")]:
            result.remove(old)
        it = ET.SubElement(result, f"{{{NS}}}IsTruncated")
        it.text = "true" if truncated else "false"
        if truncated:
            mk = ET.SubElement(result, f"{{{NS}}}Marker")
            mk.text = base64.urlsafe_b64encode(f"{token}:{offset + n}".encode()).decode()
        self.reply(200, ET.tostring(root, xml_declaration=True, encoding="utf-8"))


def main():
    upstream, port = sys.argv[1], int(sys.argv[2])
    Handler.state = State(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
