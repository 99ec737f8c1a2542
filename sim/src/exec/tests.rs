//! End-to-end: a real hyper server answering with `serve`, a tokio-tungstenite client
//! speaking the channel protocol as kubectl does.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{client_async, WebSocketStream};

use super::*;

type Client = WebSocketStream<TcpStream>;

fn pct_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < b.len() {
        match (
            b[i],
            s.get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(v)) => (out.push(v), i += 3),
            (b'+', _) => (out.push(b' '), i += 1),
            (c, _) => (out.push(c), i += 1),
        };
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A server routing every request to `serve`, exec'ing in `sandbox`.
async fn server(sandbox: PathBuf) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let sandbox = sandbox.clone();
            let svc = service_fn(move |req: Request<Incoming>| {
                let pairs: Vec<(String, String)> = req
                    .uri()
                    .query()
                    .unwrap_or("")
                    .split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (pct_decode(k), pct_decode(v)))
                    .collect();
                let resp = match ExecRequest::from_query(&pairs, sandbox.clone()) {
                    Ok(exec) => serve(req, exec),
                    Err(e) => error_response(&e),
                };
                async move { Ok::<_, Infallible>(resp) }
            });
            tokio::spawn(
                http1::Builder::new()
                    .serve_connection(TokioIo::new(tcp), svc)
                    .with_upgrades(),
            );
        }
    });
    addr
}

fn query(command: &[&str], flags: &[&str]) -> String {
    let mut q: Vec<String> = command
        .iter()
        .map(|c| format!("command={}", pct_encode(c)))
        .collect();
    q.extend(flags.iter().map(|f| format!("{f}=true")));
    q.push("container=c".into());
    q.join("&")
}

async fn connect(
    addr: SocketAddr,
    query: &str,
    protocol: &str,
) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut req = format!("ws://{addr}/api/v1/namespaces/default/pods/p/exec?{query}")
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", protocol.parse().unwrap());
    let (ws, resp) = client_async(req, tcp).await?;
    assert_eq!(
        resp.headers()["Sec-WebSocket-Protocol"],
        protocol.split(',').next().unwrap().trim()
    );
    Ok(ws)
}

#[derive(Debug, Default)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: String,
}

/// Read until the server closes the socket, as client-go does.
async fn collect(ws: &mut Client) -> Outcome {
    let mut out = Outcome::default();
    let read = async {
        while let Some(Ok(m)) = ws.next().await {
            let Message::Binary(b) = m else { continue };
            match b.split_first() {
                Some((1, d)) => out.stdout.extend_from_slice(d),
                Some((2, d)) => out.stderr.extend_from_slice(d),
                Some((3, d)) => out.status.push_str(&String::from_utf8_lossy(d)),
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("session did not end");
    out
}

fn send(channel: u8, data: &[u8]) -> Message {
    Message::Binary(Bytes::from([&[channel][..], data].concat()))
}

async fn run(sandbox: &Path, command: &[&str], flags: &[&str], input: Vec<Message>) -> Outcome {
    let addr = server(sandbox.to_path_buf()).await;
    let mut ws = connect(
        addr,
        &query(command, flags),
        "v5.channel.k8s.io, v4.channel.k8s.io",
    )
    .await
    .unwrap();
    for m in input {
        ws.send(m).await.unwrap();
    }
    collect(&mut ws).await
}

const SUCCESS: &str = r#"{"metadata":{},"status":"Success"}"#;

#[tokio::test]
async fn exit_code_and_streams() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = ["sh", "-c", "echo hi; echo err >&2; exit 3"];
    let out = run(dir.path(), &cmd, &["stdout", "stderr"], vec![]).await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "err\n");
    assert_eq!(
        out.status,
        r#"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c echo hi; echo err >&2; exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#
    );
}

#[tokio::test]
async fn tty_follows_resize() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = ["sh", "-c", "read x; stty size; echo $TERM"];
    let input = vec![send(4, br#"{"Width":100,"Height":30}"#), send(0, b"\n")];
    let out = run(
        dir.path(),
        &cmd,
        &["stdin", "stdout", "stderr", "tty"],
        input,
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("30 100\r\nxterm\r\n"), "{text:?}");
    assert_eq!(out.status, SUCCESS);
}

#[tokio::test]
async fn stdin_close_ends_cat() {
    let dir = tempfile::tempdir().unwrap();
    let input = vec![send(0, b"hello "), send(0, b"world"), send(255, &[0])];
    let out = run(dir.path(), &["cat"], &["stdin", "stdout", "stderr"], input).await;
    assert_eq!(out.stdout, b"hello world");
    assert_eq!(out.status, SUCCESS);
}

#[tokio::test]
async fn writes_stay_in_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("kterm-sim-exec-test-{}.txt", std::process::id());
    let script = format!("echo inside > /{name} && cd /tmp && pwd && ls /proc/self/fd >/dev/null");
    let out = run(
        dir.path(),
        &["sh", "-c", &script],
        &["stdout", "stderr"],
        vec![],
    )
    .await;
    assert_eq!(
        out.status,
        SUCCESS,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"/tmp\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&name)).unwrap(),
        "inside\n"
    );
    assert!(!Path::new("/").join(&name).exists());
}

#[tokio::test]
async fn seeded_usr_local_tools_are_on_path() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("usr/local/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("hello-tool"), "#!/bin/sh\necho seeded tool\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        bin.join("hello-tool"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    // The host's /usr stays underneath (`sh`, `ls` come from it); /usr/local is the sandbox's and writable.
    let script = "hello-tool && touch /usr/local/bin/made-inside && ls /proc/self/fd >/dev/null";
    let out = run(
        dir.path(),
        &["sh", "-c", script],
        &["stdout", "stderr"],
        vec![],
    )
    .await;
    assert_eq!(
        out.status,
        SUCCESS,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"seeded tool\n");
    assert!(bin.join("made-inside").exists());
}

#[tokio::test]
async fn tar_round_trip_like_kubectl_cp() {
    let dir = tempfile::tempdir().unwrap();
    let content: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(dir.path().join("somefile"), &content).unwrap();
    // kubectl cp pod:/somefile .
    let out = run(
        dir.path(),
        &["tar", "cf", "-", "-C", "/", "somefile"],
        &["stdout", "stderr"],
        vec![],
    )
    .await;
    assert_eq!(
        out.status,
        SUCCESS,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&out.stdout[..8], b"somefile");
    assert_eq!(&out.stdout[512..512 + content.len()], &content[..]);
    // kubectl cp ./somefile pod:/dest (1.32's form), fed the archive we just got.
    std::fs::create_dir(dir.path().join("dest")).unwrap();
    let cmd = [
        "tar",
        "--no-same-permissions",
        "--no-same-owner",
        "-xmf",
        "-",
        "-C",
        "/dest",
    ];
    let input = vec![send(0, &out.stdout), send(255, &[0])];
    let back = run(dir.path(), &cmd, &["stdin", "stdout", "stderr"], input).await;
    assert_eq!(
        back.status,
        SUCCESS,
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert_eq!(
        std::fs::read(dir.path().join("dest/somefile")).unwrap(),
        content
    );
}

#[tokio::test]
async fn client_gone_kills_the_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let addr = server(dir.path().to_path_buf()).await;
    // The sandbox shares the host PID namespace, so the pids printed are host pids.
    let cmd = ["sh", "-c", "sleep 30 & echo $$ $!; wait"];
    let mut ws = connect(addr, &query(&cmd, &["stdout"]), "v5.channel.k8s.io")
        .await
        .unwrap();
    let mut line = Vec::new();
    while !line.ends_with(b"\n") {
        match ws.next().await {
            Some(Ok(Message::Binary(b))) if b.first() == Some(&1) => {
                line.extend_from_slice(&b[1..])
            }
            Some(Ok(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    drop(ws);
    let pids: Vec<String> = String::from_utf8_lossy(&line)
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(pids.len(), 2);
    for _ in 0..100 {
        if pids.iter().all(|p| !Path::new("/proc").join(p).exists()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("processes {pids:?} outlived the session");
}

#[tokio::test]
async fn command_not_found_is_a_runtime_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["no-such-cmd"], &["stdout", "stderr"], vec![]).await;
    let v: serde_json::Value = serde_json::from_str(&out.status).unwrap();
    assert_eq!(v["reason"], "InternalError");
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Internal error occurred: error executing command in container:"),
        "{msg}"
    );
    assert!(
        msg.ends_with(r#"exec: "no-such-cmd": executable file not found in $PATH: unknown"#),
        "{msg}"
    );
}

#[tokio::test]
async fn v4_and_protocol_negotiation() {
    let dir = tempfile::tempdir().unwrap();
    let addr = server(dir.path().to_path_buf()).await;
    let mut ws = connect(addr, &query(&["true"], &["stdout"]), "v4.channel.k8s.io")
        .await
        .unwrap();
    assert_eq!(collect(&mut ws).await.status, SUCCESS);
    let err = connect(addr, &query(&["true"], &["stdout"]), "channel.k8s.io")
        .await
        .unwrap_err();
    let tokio_tungstenite::tungstenite::Error::Http(resp) = err else {
        panic!("{err:?}")
    };
    assert_eq!(resp.status(), 403);
}

#[tokio::test]
async fn unsandboxable_exec_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the host's /usr must be mounted: the sandbox cannot be built.
    std::fs::write(dir.path().join("usr"), "").unwrap();
    let out = run(dir.path(), &["true"], &["stdout"], vec![]).await;
    let v: serde_json::Value = serde_json::from_str(&out.status).unwrap();
    assert_eq!(v["reason"], "InternalError");
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.contains("could not confine the process") && msg.contains(UNSANDBOXED_ENV),
        "{msg}"
    );
}

#[test]
fn query_parsing() {
    let q = |s: &[(&str, &str)]| {
        s.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let sb = PathBuf::from("/sb");
    let e = ExecRequest::from_query(
        &q(&[
            ("command", "ls"),
            ("command", "-l"),
            ("stdout", "1"),
            ("tty", "true"),
            ("stderr", "true"),
        ]),
        sb.clone(),
    )
    .unwrap();
    assert_eq!(e.command, ["ls", "-l"]);
    assert!(e.stdout && e.tty && !e.stderr && !e.stdin);
    let err = ExecRequest::from_query(&q(&[("command", "ls"), ("stdout", "false")]), sb.clone())
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (400, "you must specify at least 1 of stdin, stdout, stderr")
    );
    assert_eq!(
        ExecRequest::from_query(&q(&[("stdout", "1")]), sb.clone())
            .unwrap_err()
            .code,
        400
    );
    assert_eq!(
        ExecRequest::for_attach(&q(&[("stdin", "1")]), sb)
            .unwrap()
            .argv(),
        ["/bin/sh"]
    );
}

#[test]
fn spdy_is_refused() {
    let req = Request::builder()
        .header("Connection", "Upgrade")
        .header("Upgrade", "SPDY/3.1")
        .body(())
        .unwrap();
    let err = handshake(&req).unwrap_err();
    assert_eq!(err.code, 400);
    assert!(err
        .message
        .contains("SPDY is not supported by the simulator"));
}
