//! The moto emulator for the end-to-end tests: starts `mocks/moto_server.py` (moto in server mode behind
//! awsaudit's fault-injecting middleware) on a free loopback port and talks to its control API.
//!
//! The Python side is installed by `mocks/setup.sh`; see `mocks/README.md`. When the interpreter or moto is
//! missing, [`Moto::start`] panics: the end-to-end tests fail, they never skip.
//!
//! Interpreter: `$AWSAUDIT_MOTO_PYTHON`, else `$AWSAUDIT_VENV/bin/python`, else
//! `$HOME/.cache/awsaudit/venv/bin/python`. `AWSAUDIT_MOTO_VERBOSE=1` makes the launcher log every request and
//! copies its stderr to this process's stderr.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const READY_TIMEOUT: Duration = Duration::from_secs(30);
const CONTROL_TIMEOUT: Duration = Duration::from_secs(60);
const STDERR_TAIL_LINES: usize = 200;
const SETUP_HINT: &str = "run `mocks/setup.sh` to create the moto venv \
    (or point AWSAUDIT_MOTO_PYTHON at a Python with the moto version pinned in mocks/requirements.txt)";

/// One running moto server. Dropping it kills the server.
pub struct Moto {
    /// `http://127.0.0.1:PORT`: the endpoint URL for every AWS SDK client.
    pub endpoint: String,
    /// `127.0.0.1:PORT`
    addr: String,
    child: Child,
    /// Held open for the server's lifetime: the launcher runs with `--exit-on-stdin-close`, so the server also
    /// goes away when this process dies without running `Drop`.
    stdin: Option<ChildStdin>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    /// Seconds from spawn to the ready line.
    pub startup: Duration,
}

impl Moto {
    /// The Python interpreter of the moto venv (see the module docs). Not checked for existence.
    pub fn python() -> PathBuf {
        if let Some(p) = std::env::var_os("AWSAUDIT_MOTO_PYTHON").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        let venv = match std::env::var_os("AWSAUDIT_VENV").filter(|p| !p.is_empty()) {
            Some(v) => PathBuf::from(v),
            None => {
                let home = std::env::var_os("HOME").unwrap_or_else(|| {
                    panic!("moto: neither AWSAUDIT_MOTO_PYTHON, AWSAUDIT_VENV nor HOME is set; {SETUP_HINT}")
                });
                PathBuf::from(home).join(".cache/awsaudit/venv")
            }
        };
        venv.join("bin").join("python")
    }

    /// The launcher script, `mocks/moto_server.py` in this package.
    pub fn launcher() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("mocks").join("moto_server.py")
    }

    /// Starts a fresh moto server on a free loopback port and waits (up to 30 s) until it answers.
    pub fn start() -> Moto {
        let python = Self::python();
        let launcher = Self::launcher();
        if !python.exists() {
            panic!("moto: no Python interpreter at {}: {SETUP_HINT}", python.display());
        }
        if !launcher.exists() {
            panic!("moto: launcher {} is missing", launcher.display());
        }
        let verbose = std::env::var("AWSAUDIT_MOTO_VERBOSE").is_ok_and(|v| !v.is_empty() && v != "0");

        let mut cmd = Command::new(&python);
        cmd.arg(&launcher).args(["--port", "0", "--host", "127.0.0.1", "--exit-on-stdin-close"]);
        if verbose {
            cmd.arg("--verbose");
        }
        cmd.env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!("moto: cannot run {} {}: {e}; {SETUP_HINT}", python.display(), launcher.display())
        });
        let stdin = child.stdin.take();

        // stderr: keep a tail for error messages (and drain it so the pipe never fills).
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        {
            let tail = Arc::clone(&stderr_tail);
            let stderr = child.stderr.take().expect("piped stderr");
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if verbose {
                        eprintln!("[moto] {line}");
                    }
                    let mut t = tail.lock().unwrap_or_else(|p| p.into_inner());
                    if t.len() == STDERR_TAIL_LINES {
                        t.pop_front();
                    }
                    t.push_back(line);
                }
            });
        }

        // stdout: the first `MOTO_READY <url>` line, then drain.
        let (tx, rx) = mpsc::channel::<Result<String, String>>();
        {
            let stdout = child.stdout.take().expect("piped stdout");
            std::thread::spawn(move || {
                let mut sent = false;
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if !sent {
                        if let Some(url) = line.trim().strip_prefix("MOTO_READY ") {
                            let _ = tx.send(Ok(url.trim().to_string()));
                            sent = true;
                            continue;
                        }
                    }
                    if verbose {
                        eprintln!("[moto stdout] {line}");
                    }
                }
                if !sent {
                    let _ = tx.send(Err("the launcher exited before printing MOTO_READY".to_string()));
                }
            });
        }

        let endpoint = match rx.recv_timeout(READY_TIMEOUT) {
            Ok(Ok(url)) => url,
            Ok(Err(reason)) => {
                // Let the stderr reader catch up with the last lines the launcher wrote.
                let status = wait_briefly(&mut child);
                std::thread::sleep(Duration::from_millis(100));
                fail_start(&python, &reason, status, &stderr_tail);
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                fail_start(&python, &format!("no MOTO_READY line within {READY_TIMEOUT:?}"), None, &stderr_tail);
            }
        };
        let addr = endpoint
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("moto: unexpected endpoint {endpoint:?}"))
            .trim_end_matches('/')
            .to_string();
        Moto { endpoint, addr, child, stdin, stderr_tail, startup: started.elapsed() }
    }

    /// Replaces all fault rules: a JSON list of
    /// `{"service", "operation", "error": "AccessDenied"|"Throttling"|<code>|null, "times", "region", "delay_ms"}`
    /// (see mocks/README.md). Also resets the per-operation counts of [`Moto::fault_stats`].
    pub fn set_faults(&self, rules: serde_json::Value) {
        let body = serde_json::to_vec(&rules).expect("serialize fault rules");
        self.control("POST", "/_awsaudit/faults", Some(&body));
    }

    /// Removes every fault rule and resets the counts.
    pub fn clear_faults(&self) {
        self.control("DELETE", "/_awsaudit/faults", None);
    }

    /// `{"rules": [... each with "hits"], "counts": {"s3:GetBucketPolicy": {"requests": N, "faults": M}, ...}}`,
    /// counted since the rules were last set or cleared.
    pub fn fault_stats(&self) -> serde_json::Value {
        self.control_json("GET", "/_awsaudit/faults", None)
    }

    /// Every AWS request the server received since the log was last cleared, in order: (service, region,
    /// operation), e.g. `("s3", "eu-west-1", "GetBucketPolicy")`, `("s3control", "us-east-1",
    /// "GetPublicAccessBlock")`, `("ec2", "us-east-1", "DescribeVpcs")`. Requests answered with an injected
    /// fault are included (so are the SDK's retries of them).
    pub fn requests(&self) -> Vec<(String, String, String)> {
        self.requests_detailed()
            .iter()
            .map(|r| {
                let s = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                (s("service"), s("region"), s("operation"))
            })
            .collect()
    }

    /// The request log with every recorded field: service, region, operation, method, path, akid (the access
    /// key id that signed it), status, fault (true when the answer was injected), account (`x-moto-account-id`).
    pub fn requests_detailed(&self) -> Vec<serde_json::Value> {
        match self.control_json("GET", "/_awsaudit/requests", None) {
            serde_json::Value::Array(items) => items,
            other => panic!("moto: request log is not a list: {other}"),
        }
    }

    pub fn clear_requests(&self) {
        self.control("DELETE", "/_awsaudit/requests", None);
    }

    /// Wipes all of moto's state (`POST /moto-api/reset`). Fault rules and the request log are kept.
    pub fn reset(&self) {
        self.control("POST", "/moto-api/reset", None);
    }

    /// The last lines the launcher wrote to stderr (for assertion messages).
    pub fn stderr_tail(&self) -> String {
        let t = self.stderr_tail.lock().unwrap_or_else(|p| p.into_inner());
        t.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    fn control_json(&self, method: &str, path: &str, body: Option<&[u8]>) -> serde_json::Value {
        let bytes = self.control(method, path, body);
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("moto: {method} {path}: bad JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    }

    /// One request to the server's control API; panics unless it answers 200.
    fn control(&self, method: &str, path: &str, body: Option<&[u8]>) -> Vec<u8> {
        match http_request(&self.addr, method, path, body) {
            Ok((200, body)) => body,
            Ok((status, body)) => {
                panic!("moto: {method} {path} answered HTTP {status}: {}", String::from_utf8_lossy(&body))
            }
            Err(e) => panic!("moto: {method} {path} failed: {e}\nlauncher stderr:\n{}", self.stderr_tail()),
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        drop(self.stdin.take()); // EOF on the launcher's stdin: it exits by itself too
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_briefly(child: &mut Child) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                return child.wait().ok();
            }
        }
    }
}

fn fail_start(
    python: &std::path::Path,
    reason: &str,
    status: Option<std::process::ExitStatus>,
    tail: &Arc<Mutex<VecDeque<String>>>,
) -> ! {
    let tail = tail.lock().unwrap_or_else(|p| p.into_inner());
    let stderr = tail.iter().cloned().collect::<Vec<_>>().join("\n");
    let status = status.map(|s| format!(" ({s})")).unwrap_or_default();
    panic!(
        "moto did not start: {reason}{status}\n  interpreter: {}\n  launcher: {}\n  launcher stderr:\n{}\n\
         To fix: {SETUP_HINT}",
        python.display(),
        Moto::launcher().display(),
        if stderr.is_empty() { "    (empty)".to_string() } else { stderr },
    );
}

/// A minimal HTTP/1.1 client: one request, `Connection: close`, read to end. Returns (status, body).
fn http_request(addr: &str, method: &str, path: &str, body: Option<&[u8]>) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(CONTROL_TIMEOUT))?;
    stream.set_write_timeout(Some(CONTROL_TIMEOUT))?;
    let body = body.unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: application/json\r\n\
         User-Agent: awsaudit-e2e\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;

    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{what} from {addr}"));
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| bad("no HTTP header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut payload = raw[split + 4..].to_vec();
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad("no HTTP status line"))?;
    let chunked = head.lines().skip(1).any(|l| {
        let (k, v) = l.split_once(':').unwrap_or((l, ""));
        k.trim().eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    if chunked {
        payload = dechunk(&payload).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok((status, payload))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
