//! One exec/attach session over the channel.k8s.io WebSocket protocol (v4/v5): every binary
//! frame starts with a channel byte (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; v5 adds
//! 255 = "close channel N").

use std::time::Duration;

use bytes::{BufMut, BytesMut};
use futures::{SinkExt, Stream, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use super::process::{self, ProcIo};
use super::ExecRequest;

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const STATUS: u8 = 3;
const RESIZE: u8 = 4;
const CLOSE: u8 = 255;

/// How long output may keep flowing after the process exited (a grandchild holding the pipe
/// is killed with the group, so this is only a backstop), and how long the client gets to
/// answer our close frame.
const DRAIN: Duration = Duration::from_secs(2);

fn frame(channel: u8, data: &[u8]) -> Message {
    let mut b = BytesMut::with_capacity(data.len() + 1);
    b.put_u8(channel);
    b.put_slice(data);
    Message::Binary(b.freeze())
}

/// Run the session to its end: start the process, shuttle bytes, report the exit Status on
/// channel 3, close the socket. If the client goes away first, the process group is killed
/// and the child reaped.
pub(super) async fn run<S>(ws: WebSocketStream<S>, exec: ExecRequest, v5: bool)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::channel::<Message>(32);
    // One writer owns the sink so output, status and close are sent in order.
    let writer = tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            if sink.send(m).await.is_err() {
                return;
            }
        }
        // A normal-closure code, as the kubelet sends: client-go reads a close without a code
        // (1005) as an error and fails the whole exec even though the status arrived.
        let normal = tokio_tungstenite::tungstenite::protocol::CloseFrame {
            code: tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode::Normal,
            reason: "".into(),
        };
        let _ = sink.send(Message::Close(Some(normal))).await;
        let _ = sink.close().await;
    });

    let proc = match process::spawn(&exec) {
        Ok(p) => p,
        Err(e) => {
            let _ = tx
                .send(frame(STATUS, super::internal_error_status(&e.0).as_bytes()))
                .await;
            drop(tx);
            finish(writer, &mut stream).await;
            return;
        }
    };
    let mut child = proc.child;
    // As the kubelet does: an empty frame on the lowest writable channel says "streams ready".
    let first = if exec.stdout {
        STDOUT
    } else if exec.stderr {
        STDERR
    } else {
        STATUS
    };
    let _ = tx.send(frame(first, &[])).await;

    let mut pumps = JoinSet::new();
    let (mut stdin, pty) = match proc.io {
        ProcIo::Pty(master) => {
            let (m, tx) = (master.clone(), tx.clone());
            pumps.spawn(async move {
                let mut buf = vec![0u8; 32 * 1024];
                while let Ok(n @ 1..) = m.read(&mut buf).await {
                    if tx.send(frame(STDOUT, &buf[..n])).await.is_err() {
                        break;
                    }
                }
            });
            (None, Some(master))
        }
        ProcIo::Pipes {
            stdin,
            stdout,
            stderr,
        } => {
            if let Some(out) = stdout {
                pumps.spawn(pump(out, STDOUT, tx.clone()));
            }
            if let Some(err) = stderr {
                pumps.spawn(pump(err, STDERR, tx.clone()));
            }
            (stdin, None)
        }
    };

    let exited = loop {
        tokio::select! {
            status = child.wait() => break status.ok(),
            msg = stream.next() => {
                let data = match msg {
                    Some(Ok(Message::Binary(b))) => b,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break None,
                    Some(Ok(_)) => continue,
                };
                let Some((&channel, payload)) = data.split_first() else { continue };
                match channel {
                    STDIN => {
                        if let Some(m) = &pty {
                            let _ = m.write_all(payload).await;
                        } else if let Some(w) = stdin.as_mut() {
                            // EPIPE: the child closed its stdin; later input is dropped.
                            if w.write_all(payload).await.is_err() {
                                stdin = None;
                            }
                        }
                    }
                    RESIZE => {
                        if let (Some(m), Some((w, h))) = (&pty, parse_resize(payload)) {
                            let _ = m.resize(w, h);
                        }
                    }
                    // Closing the child's stdin is how `kubectl cp` ends the tar it feeds.
                    CLOSE if v5 && payload.first() == Some(&STDIN) => stdin = None,
                    _ => {}
                }
            }
        }
    };

    // Nothing the command started outlives it (and held pipes/ptys reach EOF).
    process::kill_group(proc.pid);
    drop(stdin);
    let Some(status) = exited else {
        // The client is gone: no one to report to. Reap the child so no zombie is left.
        let _ = child.kill().await;
        pumps.abort_all();
        return;
    };
    let _ = tokio::time::timeout(DRAIN, async { while pumps.join_next().await.is_some() {} }).await;
    pumps.abort_all();
    drop(pty);
    let code = process::exit_code(status);
    let _ = tx
        .send(frame(
            STATUS,
            super::exit_status(&exec.argv(), code).as_bytes(),
        ))
        .await;
    drop(tx);
    finish(writer, &mut stream).await;
}

/// Let the writer flush and send its close frame, then read until the client answers it.
async fn finish<S>(writer: tokio::task::JoinHandle<()>, stream: &mut S)
where
    S: Stream<Item = Result<Message, WsError>> + Unpin,
{
    let _ = tokio::time::timeout(DRAIN, async {
        let _ = writer.await;
        while let Some(Ok(_)) = stream.next().await {}
    })
    .await;
}

async fn pump(mut from: impl AsyncRead + Unpin, channel: u8, tx: mpsc::Sender<Message>) {
    let mut buf = vec![0u8; 32 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buf).await {
        if tx.send(frame(channel, &buf[..n])).await.is_err() {
            break;
        }
    }
}

/// `{"Width":W,"Height":H}` as kubectl sends it on channel 4.
fn parse_resize(payload: &[u8]) -> Option<(u16, u16)> {
    let v: Value = serde_json::from_slice(payload).ok()?;
    let dim = |k: &str| v.get(k)?.as_u64().and_then(|n| u16::try_from(n).ok());
    Some((dim("Width")?, dim("Height")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn resize_payload() {
        assert_eq!(
            parse_resize(br#"{"Width":100,"Height":30}"#),
            Some((100, 30))
        );
        assert_eq!(parse_resize(b"nope"), None);
    }

    #[test]
    fn frames_carry_channel_first() {
        assert_eq!(
            frame(STDERR, b"x"),
            Message::Binary(Bytes::from_static(b"\x02x"))
        );
    }
}
