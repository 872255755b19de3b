//! Just enough of the W3C WebDriver protocol for Gatehouse's tests.

use base64::Engine;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The app's window, driven through one WebDriver session.
pub struct AppWindow {
    base: String,
    id: String,
    agent: ureq::Agent,
}

#[derive(Clone)]
pub struct Element(String);

#[derive(Debug)]
pub struct WdError(pub String);

fn request(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value, WdError> {
    let req = agent.request(method, url);
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let resp = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(WdError(format!("{method} {url} -> {code}: {text}")));
        }
        Err(e) => return Err(WdError(format!("{method} {url}: {e}"))),
    };
    let v: Value = resp.into_json().map_err(|e| WdError(e.to_string()))?;
    Ok(v["value"].clone())
}

/// Changes an invisible pixel every frame for 3 s, then answers after two frames.
const TICK_THEN_SETTLE: &str = "const done = arguments[arguments.length - 1];
let d = document.getElementById('gatehouse-e2e-tick');
if (!d) {
  d = document.createElement('div');
  d.id = 'gatehouse-e2e-tick';
  d.style.cssText = 'position:fixed;left:0;bottom:0;width:1px;height:1px;pointer-events:none;opacity:0.004';
  document.body.appendChild(d);
}
const until = performance.now() + 3000;
const tick = () => {
  d.style.background = d.style.background === 'red' ? 'blue' : 'red';
  if (performance.now() < until) requestAnimationFrame(tick); else d.remove();
};
requestAnimationFrame(tick);
requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";

impl AppWindow {
    /// Starts the app under `driver_url` (tauri-driver) and waits for its window.
    pub fn start(driver_url: &str, application: &Path) -> AppWindow {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).build();
        let caps = json!({
            "capabilities": {"alwaysMatch": {
                "browserName": "wry",
                "tauri:options": {"application": application.display().to_string()}
            }}
        });
        // tauri-driver accepts connections a moment before WebKitWebDriver does.
        let mut attempt = 0;
        let v = loop {
            match request(&agent, "POST", &format!("{driver_url}/session"), Some(caps.clone())) {
                Ok(v) => break v,
                Err(e) if attempt < 20 => {
                    attempt += 1;
                    eprintln!("new session failed ({}), retrying", e.0);
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(e) => panic!("cannot start a WebDriver session: {}", e.0),
            }
        };
        let id = v["sessionId"].as_str().expect("session id").to_string();
        AppWindow { base: format!("{driver_url}/session/{id}"), id, agent }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, WdError> {
        request(&self.agent, method, &format!("{}{path}", self.base), body)
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self
            .call("POST", "/elements", Some(json!({"using": "css selector", "value": css})))
            .unwrap_or(Value::Array(vec![]));
        v.as_array()
            .map(|a| a.iter().filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Element(s.to_string()))).collect())
            .unwrap_or_default()
    }

    /// Waits up to `timeout` for an element matching `css`.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find_all(css).into_iter().next() {
                return e;
            }
            if start.elapsed() > timeout {
                self.failure_screenshot();
                panic!("no element matches {css:?} after {timeout:?}; page text: {}", self.body_text());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `check` returns true, re-evaluated every 100 ms.
    pub fn wait_until(&self, what: &str, timeout: Duration, mut check: impl FnMut(&AppWindow) -> bool) {
        let start = Instant::now();
        while !check(self) {
            if start.elapsed() > timeout {
                self.failure_screenshot();
                panic!("timed out after {timeout:?} waiting for {what}; page text: {}", self.body_text());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks; while the page is still settling (a layout shift puts another element at
    /// the click point, a dialog closing keeps the page inert), tries again for a few seconds.
    pub fn click(&self, e: &Element) {
        // A disabled button ignores clicks: wait until the page has finished what it was doing.
        let start = Instant::now();
        while self.call("GET", &format!("/element/{}/enabled", e.0), None).ok().and_then(|v| v.as_bool()) == Some(false)
        {
            if start.elapsed() > Duration::from_secs(20) {
                self.failure_screenshot();
                panic!("the element stayed disabled for 20 s; page text: {}", self.body_text());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut tries = 0;
        loop {
            match self.call("POST", &format!("/element/{}/click", e.0), Some(json!({}))) {
                Ok(_) => return,
                // A modal dialog that is closing leaves the page behind it inert for a moment.
                Err(err)
                    if (err.0.contains("element click intercepted") || err.0.contains("element not interactable"))
                        && tries < 20 =>
                {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(150));
                }
                Err(err) => panic!("click: {}", err.0),
            }
        }
    }

    /// Waits up to 20 s for `css`, then clicks it.
    /// In the open MFA enrolment: reads the seed Gatehouse shows and types two consecutive
    /// codes computed from it, as an authenticator app would, then enables the device.
    /// Returns the seed (a secret: tests check it is on no disk).
    pub fn enter_mfa_codes(&self) -> String {
        self.click_on("[data-testid='mfa-show-seed']");
        let seed = self.text(&self.wait_for("[data-testid='mfa-seed']", Duration::from_secs(20)));
        let totp = totp_rs::Builder::new()
            .with_secret(totp_rs::Secret::try_from_base32(&seed).expect("a Base32 seed"))
            .build()
            .expect("a TOTP generator");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let t0 = now - now % 30;
        self.fill("[data-testid='mfa-code1']", &totp.generate(t0 - 30).to_string());
        self.fill("[data-testid='mfa-code2']", &totp.generate(t0).to_string());
        self.click_on("[data-testid='mfa-enable']");
        seed
    }

    /// Resizes the window (W3C Set Window Rect) and waits up to 10 s for the page to follow.
    /// Returns the page's viewport as it then is (`innerWidth`, `innerHeight`): the caller
    /// checks it, a window manager may have had its own idea.
    pub fn set_window_size(&self, width: u32, height: u32) -> (u64, u64) {
        self.call("POST", "/window/rect", Some(json!({"width": width, "height": height}))).expect("set window rect");
        let start = Instant::now();
        loop {
            let v = self.execute("return [window.innerWidth, window.innerHeight]");
            let seen = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
            if seen == (u64::from(width), u64::from(height)) || start.elapsed() > Duration::from_secs(10) {
                return seen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens the Users tab (a profile opens on its account's overview) and waits for its search.
    pub fn show_users(&self) {
        self.click_on("[data-testid='tab-users']");
        self.wait_for("[data-testid='user-search']", Duration::from_secs(30));
    }

    pub fn click_on(&self, css: &str) {
        eprintln!("click {css}");
        self.click(&self.wait_for(css, Duration::from_secs(20)));
    }

    /// Waits up to 20 s for the input `css`, clears it and types `text`.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.wait_for(css, Duration::from_secs(20));
        self.clear(&e);
        self.type_text(&e, text);
    }

    pub fn text(&self, e: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    }

    pub fn type_text(&self, e: &Element, text: &str) {
        self.call("POST", &format!("/element/{}/value", e.0), Some(json!({"text": text}))).expect("send keys");
    }

    /// Replaces the text of the policy editor `testid` (CodeMirror) by typing `keys` into
    /// it, key by key, as a person would: select all, delete, type.
    pub fn type_in_editor(&self, testid: &str, keys: &str) {
        let css = format!("[data-testid='{testid}'] .cm-content");
        let content = self.wait_for(&css, Duration::from_secs(20));
        // Inside a scrolling dialog WebKitWebDriver does not scroll a contenteditable into view.
        self.execute(&format!("document.querySelector({css:?}).scrollIntoView({{block: 'center'}})"));
        self.click(&content);
        self.type_text(&content, &format!("{}a{}{}", keys::CONTROL, keys::RELEASE, keys::BACKSPACE));
        self.type_text(&content, keys);
    }

    /// Types `keys` where the cursor of the policy editor `testid` is.
    pub fn type_more_in_editor(&self, testid: &str, keys: &str) {
        let content = self.wait_for(&format!("[data-testid='{testid}'] .cm-content"), Duration::from_secs(20));
        self.type_text(&content, keys);
    }

    /// The text of the policy editor `testid`.
    pub fn editor_text(&self, testid: &str) -> String {
        let css = format!("[data-testid='{testid}'] .cm-content");
        self.execute(&format!("return document.querySelector({css:?})?.innerText ?? ''"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn clear(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/clear", e.0), Some(json!({}))).expect("clear");
    }

    /// Runs JavaScript in the page and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []}))).expect("execute script")
    }

    pub fn body_text(&self) -> String {
        self.execute("return document.body ? document.body.innerText : ''").as_str().unwrap_or_default().to_string()
    }

    /// The values of `attr` on every element matching `css`, in document order.
    pub fn attributes_of_all(&self, css: &str, attr: &str) -> Vec<String> {
        let script =
            format!("return Array.from(document.querySelectorAll({css:?})).map(e => e.getAttribute({attr:?}))");
        self.execute(&script)
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// Saves a PNG of the window once the page has painted its current state: WebKit's
    /// snapshot can lag the DOM by a frame or more under Xvfb's software rendering. A page
    /// that paints nothing new never answers WebKitWebDriver's snapshot without the DMA-BUF
    /// renderer (it waits for a frame), so an invisible pixel changes every frame meanwhile.
    pub fn screenshot(&self, path: &Path) {
        let _ = self.call(
            "POST",
            "/execute/async",
            Some(json!({
                "script": TICK_THEN_SETTLE,
                "args": []
            })),
        );
        std::thread::sleep(Duration::from_millis(400));
        let v = self.call("GET", "/screenshot", None).expect("screenshot");
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().expect("base64")).expect("decode png");
        std::fs::write(path, png).expect("write screenshot");
    }

    /// What the window showed when a wait failed: tests/e2e/screenshots/failure-*.png.
    fn failure_screenshot(&self) {
        let name = format!("failure-{}.png", std::process::id());
        let _ = self.call("POST", "/execute/async", Some(json!({ "script": TICK_THEN_SETTLE, "args": [] })));
        if let Ok(v) = self.call("GET", "/screenshot", None) {
            if let Some(png) = v.as_str().and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok()) {
                let _ = std::fs::write(crate::screenshot_dir().join(&name), png);
                eprintln!("screenshot of the failure: tests/e2e/screenshots/{name}");
            }
        }
    }

    pub fn close(self) {
        let _ = request(&self.agent, "DELETE", &self.base, None);
    }
}

/// WebDriver's key codes (W3C "Keys"). A modifier stays down until `RELEASE`.
pub mod keys {
    pub const CONTROL: &str = "\u{E009}";
    pub const RELEASE: &str = "\u{E000}";
    pub const BACKSPACE: &str = "\u{E003}";
    pub const ENTER: &str = "\u{E007}";
}
