//! One sentence for a failed request: what is wrong (DNS, refused, TLS, credentials, a reply
//! kterm cannot read) and what to check, instead of kube's chain of wrapper errors.

use super::root_cause;

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
    /// Anything else on the way to the server.
    Network,
}

/// Classifies `error`.
pub fn classify(error: &::kube::Error) -> Failure {
    use ::kube::Error as E;
    match error {
        E::Api(status) if status.code == 401 => Failure::Unauthorized,
        E::Api(status) if status.code == 403 => Failure::Forbidden,
        E::Api(_) => Failure::Api,
        E::SerdeError(_) | E::LinesCodecMaxLineLengthExceeded | E::FromUtf8(_) => Failure::Decode,
        E::Auth(_) => Failure::Credentials,
        E::RustlsTls(_) | E::TlsRequired => Failure::Tls,
        other => classify_cause(&root_cause(other)),
    }
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
                status.message
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
    use super::{classify_cause, Failure};

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
