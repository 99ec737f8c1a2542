//! One sentence for a failed request: what is wrong (DNS, refused, TLS, credentials, a reply
//! kterm cannot read) and what to check, instead of kube's chain of wrapper errors.

use std::sync::RwLock;

use super::root_cause;
use crate::sanitize::{sanitize, sanitize_owned};

/// What kind of failure a request met, decided from the error and its innermost cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The API server answered 401.
    Unauthorized,
    /// The API server answered 403.
    Forbidden,
    /// The API server answered with another status.
    Api,
    /// The server's name did not resolve.
    Dns,
    /// Nothing listens at the server's address.
    Refused,
    /// The TLS handshake failed (certificate authority, server name).
    Tls,
    /// The server did not answer in time.
    Timeout,
    /// Credentials could not be obtained (exec plugin, token file).
    Credentials,
    /// The reply could not be decoded.
    Decode,
    /// The reply was a web page (HTML) or no JSON at all: the URL is not a Kubernetes API.
    WebPage,
    /// Anything else on the way to the server.
    Network,
}

/// Classifies `error`.
pub fn classify(error: &::kube::Error) -> Failure {
    use ::kube::Error as E;
    match error {
        // Before the codes: a proxy's HTML 403 page is not RBAC speaking.
        E::Api(status) if status.reason == UNPARSED && looks_like_html(&status.message) => {
            Failure::WebPage
        }
        // kube decodes a 2xx reply as JSON; one that is not JSON from its first byte is a page.
        E::SerdeError(e) if e.line() == 1 && e.column() == 1 => Failure::WebPage,
        E::Api(status) if status.code == 401 => Failure::Unauthorized,
        E::Api(status) if status.code == 403 => Failure::Forbidden,
        E::Api(_) => Failure::Api,
        E::SerdeError(_) | E::LinesCodecMaxLineLengthExceeded | E::FromUtf8(_) => Failure::Decode,
        E::Auth(_) => Failure::Credentials,
        E::RustlsTls(_) | E::TlsRequired => Failure::Tls,
        other => classify_cause(&root_cause(other)),
    }
}

/// kube-rs's reason for an error reply whose body is not a Kubernetes `Status`.
const UNPARSED: &str = "Failed to parse error data";

fn looks_like_html(body: &str) -> bool {
    let start: String = body.trim_start().chars().take(200).collect();
    let start = start.to_ascii_lowercase();
    start.starts_with('<') || start.contains("<html") || start.contains("<!doctype")
}

/// The server and context in use, for the sentence about a web page: the watch loops that
/// build sentences know neither, and the connection sets them once.
static SERVER: RwLock<Option<(String, String)>> = RwLock::new(None);

/// Records the server URL and context being connected to.
pub fn set_server(url: &str, context: &str) {
    if let Ok(mut server) = SERVER.write() {
        *server = Some((url.to_string(), context.to_string()));
    }
}

/// "The server at URL answered with a web page, not a Kubernetes API; check the server URL
/// of context x."
pub fn web_page_sentence() -> String {
    let server = SERVER.read().ok().and_then(|s| s.clone());
    let (url, context) = server.unwrap_or_else(|| ("its URL".to_string(), "in use".to_string()));
    sanitize_owned(format!(
        "The server at {url} answered with a web page, not a Kubernetes API; check the server URL of context {context}."
    ))
}

/// Classifies a failed watch by the request that failed; `None` for the watch protocol's own
/// errors (an ended watch, a missing resourceVersion).
pub fn classify_watch(error: &::kube::runtime::watcher::Error) -> Option<Failure> {
    use ::kube::runtime::watcher::Error as W;
    match error {
        W::InitialListFailed(e) | W::WatchStartFailed(e) | W::WatchFailed(e) => Some(classify(e)),
        W::WatchError(_) | W::NoResourceVersion => None,
    }
}

/// Classifies a network failure by its innermost cause's words (hyper and the resolver do not
/// expose typed kinds through kube's boxed errors).
pub fn classify_cause(cause: &str) -> Failure {
    let cause = cause.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| cause.contains(w));
    if has(&[
        "lookup address",
        "name or service not known",
        "dns",
        "no such host",
    ]) {
        Failure::Dns
    } else if has(&["connection refused"]) {
        Failure::Refused
    } else if has(&["certificate", "tls", "handshake", "unknownissuer"]) {
        Failure::Tls
    } else if has(&["timed out", "timeout", "deadline"]) {
        Failure::Timeout
    } else {
        Failure::Network
    }
}

/// One sentence saying what went wrong while trying to `what` (e.g. "list pods in namespace
/// t4k9pz") and what to check; `then` ends it ("retrying", "press :ctx to reconnect").
pub fn sentence(error: &::kube::Error, what: &str, then: &str) -> String {
    sanitize_owned(raw_sentence(error, what, then))
}

/// `sentence` before the server's words are made safe to print.
fn raw_sentence(error: &::kube::Error, what: &str, then: &str) -> String {
    let cause = match error {
        ::kube::Error::Api(status) => status.message.clone(),
        other => root_cause(other),
    };
    let then = if then.is_empty() {
        String::new()
    } else {
        format!("; {then}")
    };
    match classify(error) {
        Failure::WebPage => web_page_sentence(),
        Failure::Unauthorized => format!(
            "The cluster rejected the credentials (401) to {what}; log in again (token or exec plugin){then}."
        ),
        Failure::Forbidden => format!("You may not {what} ({cause}){then}."),
        Failure::Api => format!("The server refused to {what} ({cause}){then}."),
        Failure::Dns => format!(
            "Cannot resolve the cluster's address ({cause}); check the server name in the kubeconfig and this host's DNS{then}."
        ),
        Failure::Refused => format!(
            "The cluster refused the connection ({cause}); check the server address and port and that the API server is up{then}."
        ),
        Failure::Tls => format!(
            "The TLS handshake with the cluster failed ({cause}); check the kubeconfig's certificate authority and server name{then}."
        ),
        Failure::Timeout => format!(
            "The cluster did not answer in time ({cause}); check the network path from this host{then}."
        ),
        Failure::Credentials => format!(
            "Cannot get credentials for the context ({cause}); check the kubeconfig's user (token file, certificate or exec plugin){then}."
        ),
        Failure::Decode => format!(
            "The server's reply to {what} could not be read ({cause}); it may not be a Kubernetes API server{then}."
        ),
        Failure::Network => format!(
            "Cannot reach the cluster ({cause}); check the network and the kubeconfig's server{then}."
        ),
    }
}

/// One sentence for a failed watch of `what` ("pods") in `where_` ("namespace t4k9pz"):
/// `forbidden` is said on a 403, since RBAC will not change by retrying; everything else says
/// what went wrong and that kterm retries.
pub fn watch_sentence(
    error: &::kube::runtime::watcher::Error,
    what: &str,
    where_: &str,
    forbidden: &str,
) -> String {
    use ::kube::runtime::watcher::Error as W;
    let client_error = match error {
        W::InitialListFailed(e) | W::WatchStartFailed(e) | W::WatchFailed(e) => e,
        W::WatchError(status) => {
            return format!(
                "The watch of {what} in {where_} ended ({}); retrying.",
                sanitize(&status.message)
            );
        }
        W::NoResourceVersion => {
            return format!(
                "The server sent {what} of {where_} without a resourceVersion; retrying."
            );
        }
    };
    match classify(client_error) {
        Failure::Forbidden => forbidden.to_string(),
        _ => sentence(
            client_error,
            &format!("list {what} in {where_}"),
            "retrying",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{classify, classify_cause, sentence, Failure, UNPARSED};

    fn unparsed(code: u16, body: &str) -> ::kube::Error {
        ::kube::Error::Api(Box::new(::kube::core::Status {
            code,
            message: body.into(),
            reason: UNPARSED.into(),
            ..Default::default()
        }))
    }

    #[test]
    fn a_web_page_is_not_a_kubernetes_api() {
        let page = "<!DOCTYPE html>\n<html><body><h1>Not Found</h1></body></html>";
        assert_eq!(classify(&unparsed(404, page)), Failure::WebPage);
        assert_eq!(classify(&unparsed(403, page)), Failure::WebPage);
        // The API server's own plain-text 404 for an unknown path is still the API speaking.
        assert_eq!(classify(&unparsed(404, "404 page not found")), Failure::Api);
        let not_json = serde_json::from_str::<serde_json::Value>("<html>").err();
        let not_json = not_json.map(::kube::Error::SerdeError);
        assert_eq!(not_json.as_ref().map(classify), Some(Failure::WebPage));
        let said = sentence(&unparsed(404, page), "list pods", "retrying");
        assert!(
            said.contains("answered with a web page, not a Kubernetes API"),
            "{said}"
        );
        assert!(!said.contains("<html>"), "{said}");
    }

    #[test]
    fn a_server_message_cannot_drive_the_terminal() {
        let status = ::kube::core::Status {
            code: 500,
            message: "boom\u{1b}]52;c;cHduZWQ=\u{7}".into(),
            ..Default::default()
        };
        let said = sentence(&::kube::Error::Api(Box::new(status)), "list pods", "");
        assert!(!said.contains('\u{1b}'), "{said}");
        assert!(said.contains("boom^[]52;c;cHduZWQ=^G"), "{said}");
    }

    #[test]
    fn causes_are_told_apart_by_their_words() {
        let cases = [
            (
                "dns error: failed to lookup address information: Name or service not known",
                Failure::Dns,
            ),
            ("Connection refused (os error 111)", Failure::Refused),
            ("invalid peer certificate: UnknownIssuer", Failure::Tls),
            ("operation timed out", Failure::Timeout),
            ("connection reset by peer", Failure::Network),
        ];
        for (cause, want) in cases {
            assert_eq!(classify_cause(cause), want, "{cause}");
        }
    }
}
