//! The test harness: a real `pamctl server` on an ephemeral port with a temp data dir, and the
//! real `pamctl` binary with a temp HOME and XDG_CONFIG_HOME, so that tests see what users see.

#![allow(dead_code)]

pub mod postgres;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use tempfile::TempDir;

pub const DEV_PASSWORD: &str = "pamctl-dev";
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A temp home for one test: config, data and the files a test writes.
pub struct TestEnv {
    pub dir: TempDir,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "config", "data", "server-data"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("temp subdir");
        }
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn server_data_dir(&self) -> PathBuf {
        self.path("server-data")
    }

    pub fn profile_file(&self) -> PathBuf {
        self.path("config").join("pamctl").join("config.toml")
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// The real binary, isolated from the developer's own environment.
    pub fn command(&self) -> Command {
        let mut command = Command::cargo_bin("pamctl").expect("pamctl binary");
        command
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env_remove("PAMCTL_SERVER")
            .env_remove("PAMCTL_TOKEN")
            .env_remove("PAMCTL_PROFILE")
            .env_remove("PAMCTL_OUTPUT")
            .env_remove("PAMCTL_UTC")
            .env_remove("PAMCTL_LOG")
            .env_remove("PAMCTL_CONFIG")
            .env_remove("PAMCTL_DATA_DIR")
            .env_remove("PAMCTL_DATABASE")
            .env_remove("PAMCTL_DATABASE_URL")
            .env_remove("PAMCTL_DATABASE_PASSWORD")
            .env_remove("PAMCTL_DEV_PASSWORD")
            .env_remove("PAMCTL_DEV_POSTGRES")
            .env_remove("PAMCTL_DEV_POSTGRES_PASSWORD")
            .env_remove("PAMCTL_PSQL")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1");
        command
    }

    /// `pamctl login --server URL --user USER --password-stdin EXTRA...`, the password on stdin.
    pub fn login(
        &self,
        server_url: &str,
        user: &str,
        password: &str,
        extra: &[&str],
    ) -> assert_cmd::Command {
        let mut args = vec![
            "login",
            "--server",
            server_url,
            "--user",
            user,
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        let mut command = self.pamctl(&args);
        command.write_stdin(format!("{password}\n"));
        command
    }

    /// Runs `pamctl ARGS` and returns what it did.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.pamctl(args).output().expect("run pamctl")
    }

    /// Runs `pamctl ARGS`, asserts it succeeded, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "pamctl {args:?} failed ({:?}):\n{}",
            output.status.code(),
            stderr_of(&output)
        );
        stdout_of(&output)
    }

    /// Runs `pamctl ARGS -o json`, asserts it succeeded, and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.extend(["-o", "json"]);
        let stdout = self.ok(&with_json);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
    }

    /// `pamctl ARGS` as assert_cmd drives it (stdin empty, not a terminal).
    pub fn pamctl(&self, args: &[&str]) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::from_std(self.command());
        command.args(args).write_stdin("");
        command
    }
}

/// A running `pamctl server`, stopped when dropped.
pub struct Server {
    child: Option<Child>,
    pub url: String,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

pub struct ServerOptions<'a> {
    pub dev: bool,
    pub listen: &'a str,
    pub config: Option<&'a Path>,
    pub extra_args: Vec<String>,
    pub envs: Vec<(String, String)>,
}

impl Default for ServerOptions<'_> {
    fn default() -> Self {
        Self {
            dev: true,
            listen: "127.0.0.1:0",
            config: None,
            extra_args: Vec::new(),
            envs: Vec::new(),
        }
    }
}

fn drain(mut source: impl Read + Send + 'static, sink: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = source.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
}

impl Server {
    /// `pamctl server --dev` on a free port.
    pub fn dev(env: &TestEnv) -> Server {
        Self::start(env, ServerOptions::default())
    }

    pub fn start(env: &TestEnv, options: ServerOptions) -> Server {
        Self::try_start(env, options).unwrap_or_else(|(status, stderr)| {
            panic!("server did not start ({status:?}):\n{stderr}")
        })
    }

    /// Starts a server; when it exits instead, returns its status and stderr.
    pub fn try_start(
        env: &TestEnv,
        options: ServerOptions,
    ) -> Result<Server, (Option<ExitStatus>, String)> {
        let mut command = env.command();
        command.args(["server", "--listen", options.listen, "--data-dir"]);
        command.arg(env.server_data_dir());
        if options.dev {
            command.arg("--dev");
        }
        if let Some(config) = options.config {
            command.arg("--config").arg(config);
        }
        command.args(&options.extra_args);
        for (name, value) in &options.envs {
            command.env(name, value);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn pamctl server");
        let stdout_pipe = child.stdout.take().expect("stdout");
        let stderr = Arc::new(Mutex::new(String::new()));
        drain(child.stderr.take().expect("stderr"), Arc::clone(&stderr));

        let stdout = Arc::new(Mutex::new(String::new()));
        let (sender, receiver) = std::sync::mpsc::channel();
        {
            let stdout = Arc::clone(&stdout);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stdout_pipe);
                let mut line = String::new();
                let mut sent = false;
                while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    stdout.lock().unwrap().push_str(&line);
                    if !sent {
                        if let Some(url) = line.trim().strip_prefix("pamctl server listening on ") {
                            let _ = sender.send(url.to_owned());
                            sent = true;
                        }
                    }
                    line.clear();
                }
            });
        }

        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(url) = receiver.recv_timeout(Duration::from_millis(50)) {
                return Ok(Server {
                    child: Some(child),
                    url,
                    stdout,
                    stderr,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                let text = stderr.lock().unwrap().clone();
                return Err((Some(status), text));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let text = stderr.lock().unwrap().clone();
                return Err((None, text));
            }
        }
    }

    pub fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn stdout_text(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(mut self) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status;
            }
            assert!(Instant::now() < deadline, "server ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: the process gets no chance to clean up, as in a crash.
    pub fn kill_hard(mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill -9");
            let _ = child.wait();
        }
    }

    pub fn http(&self) -> Http {
        Http::new(&self.url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A plain HTTP client for the wire contract.
pub struct Http {
    pub base: String,
    pub client: reqwest::blocking::Client,
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self
    }

    /// Asserts an RFC 7807 problem with this status, and returns it.
    pub fn problem(self, status: u16) -> Value {
        let reply = self.expect(status);
        assert_eq!(
            reply.content_type, "application/problem+json",
            "body: {}",
            reply.body
        );
        let problem = reply.json();
        assert_eq!(problem["status"], status);
        assert!(problem["title"].is_string());
        assert!(problem["detail"].is_string());
        assert!(
            problem["instance"]
                .as_str()
                .is_some_and(|i| i.starts_with('/')),
            "{problem}"
        );
        problem
    }
}

impl Http {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            client: reqwest::blocking::Client::new(),
        }
    }

    pub fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().expect("body");
        Reply {
            status,
            content_type,
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str, token: &str) -> Reply {
        self.send("GET", path, Some(token), None)
    }

    /// Signs in and returns the token (full, or pre-MFA for enrolled users).
    pub fn sign_in(&self, login: &str, password: &str) -> String {
        let body = serde_json::json!({"Login": login, "Password": password}).to_string();
        let reply = self
            .send("POST", "/signinBody", None, Some(&body))
            .expect(200);
        reply.json().as_str().expect("token string").to_owned()
    }
}

/// Names in a JSON array of objects, sorted.
pub fn names(list: &Value) -> Vec<String> {
    let items = list
        .as_array()
        .or_else(|| list["data"].as_array())
        .unwrap_or_else(|| panic!("not a list: {list}"));
    let mut names: Vec<String> = items
        .iter()
        .map(|item| item["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A one-purpose HTTP receiver for webhooks: answers each request with the next status of
/// `statuses` (then stops listening) and keeps the bodies it was sent.
pub struct WebhookReceiver {
    pub base: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl WebhookReceiver {
    pub fn start(statuses: Vec<u16>) -> Self {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let received = Arc::clone(&bodies);
        std::thread::spawn(move || {
            for status in statuses {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.to_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0u8; length];
                if reader.read_exact(&mut body).is_err() {
                    continue;
                }
                received
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
            }
        });
        Self { base, bodies }
    }

    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }

    /// Waits until `count` bodies arrived and returns them as JSON.
    pub fn wait_for(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.bodies().len() < count {
            assert!(
                Instant::now() < deadline,
                "only {:?} arrived",
                self.bodies()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.bodies()
            .iter()
            .map(|body| serde_json::from_str(body).expect("a JSON body"))
            .collect()
    }
}

/// The cells of a table line (columns are two or more spaces apart).
pub fn cells(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The lines of a file an action writes to; none while it does not exist yet.
pub fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Raises this test process's own open-file limit to its hard limit, as the broker does
/// for itself; `false` (and a loud skip) when even that is below `needed`.
pub fn raise_own_open_file_limit(needed: u64) -> bool {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
    }
    if limit.rlim_max < needed {
        eprintln!(
            "!!!!! skipped: the hard open-file limit ({}) is too low for this test !!!!!",
            limit.rlim_max
        );
        return false;
    }
    true
}

/// A real HTTP gateway in front of a real server that does not serve the routes `refuses`
/// picks (a pamctl extension, as Privilege Secure does not): it answers those 404, as a server
/// without them would, and forwards every other request. Each connection carries one request.
pub struct Gateway {
    pub url: String,
    refused: Arc<Mutex<Vec<String>>>,
}

impl Gateway {
    pub fn start(upstream: &str, refuses: fn(&str, &str) -> bool) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let refused = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&refused);
        let upstream = upstream.trim_end_matches('/').to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (upstream, seen) = (upstream.clone(), Arc::clone(&seen));
                std::thread::spawn(move || Self::serve(stream, &upstream, refuses, &seen));
            }
        });
        Self { url, refused }
    }

    /// The requests answered 404, as "METHOD /path".
    pub fn refused(&self) -> Vec<String> {
        self.refused.lock().unwrap().clone()
    }

    fn serve(
        mut stream: std::net::TcpStream,
        upstream: &str,
        refuses: fn(&str, &str) -> bool,
        seen: &Mutex<Vec<String>>,
    ) {
        use std::io::Write;
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.trim_end().split_once(':') {
                let (name, value) = (name.trim().to_lowercase(), value.trim().to_owned());
                if name == "content-length" {
                    length = value.parse().unwrap_or(0);
                }
                if ["authorization", "content-type", "accept"].contains(&name.as_str()) {
                    headers.push((name, value));
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (status, content_type, answer) = if refuses(&method, &path) {
            seen.lock().unwrap().push(format!("{method} {path}"));
            (
                404,
                "application/problem+json".to_owned(),
                br#"{"title":"Not Found","status":404}"#.to_vec(),
            )
        } else {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let mut request = reqwest::blocking::Client::new()
                .request(method, format!("{upstream}{path}"))
                .body(body);
            for (name, value) in &headers {
                request = request.header(name.as_str(), value.as_str());
            }
            let response = request.send().expect("the server answers");
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/json")
                .to_owned();
            (
                status,
                content_type,
                response.bytes().expect("body").to_vec(),
            )
        };
        let _ = write!(
            stream,
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            answer.len()
        );
        let _ = stream.write_all(&answer);
    }
}
