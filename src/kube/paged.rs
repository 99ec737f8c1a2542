//! The initial LIST of a watch, page by page, with the next page on its way while this one is
//! decoded. kube's watcher asks for page n+1 only once every object of page n has been taken
//! from it, and reads each page through two full copies (bytes, then a `String`); at 150,000
//! pods that made counting them all a chain of 75 round trips plus their decoding, one after
//! the other. Here a fetcher task reads each reply into a buffer it reuses, finds the continue
//! token in the reply's first bytes and asks for the next page at once; the watch loop decodes.
//! The next reply is read into the buffer once the watch loop has decoded the page before it.

use std::borrow::Cow;
use std::fmt;

use ::kube::api::ListParams;
use ::kube::core::Request;
use ::kube::runtime::watcher;
use ::kube::{Api, Client};
use futures::AsyncBufReadExt;
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use tokio::sync::mpsc;

/// A page's reply, read whole: its bytes and whether another page follows.
pub struct Page {
    /// The reply's JSON (a buffer the fetcher gets back through `done`).
    pub body: Vec<u8>,
    /// The list's resourceVersion as of this page (the last page's is where the watch starts).
    pub resource_version: Option<String>,
    /// Whether this is the last page.
    pub last: bool,
    /// Objects still to come after this page, when the server says.
    pub remaining: Option<usize>,
}

/// The pages of one LIST, as the fetcher delivers them; dropping it stops the fetcher.
pub struct Pages {
    pages: mpsc::Receiver<Result<Page, watcher::Error>>,
    buffers: mpsc::Sender<Vec<u8>>,
    fetcher: tokio::task::AbortHandle,
}

impl Drop for Pages {
    fn drop(&mut self) {
        self.fetcher.abort();
    }
}

impl Pages {
    /// Starts listing `api` in pages of `limit`.
    pub fn start<K: ::kube::Resource + Clone>(api: &Api<K>, limit: u32) -> Pages {
        let (page_tx, pages) = mpsc::channel(1);
        let (buffers, free) = mpsc::channel(1);
        let request = Request::new(api.resource_url());
        let client = api.clone().into_client();
        // One buffer, reused for every page; the next page's request is already out while
        // this one is decoded (a second buffer, filled meanwhile, cost 15 MB of peak RSS).
        let _ = buffers.try_send(Vec::new());
        let fetcher = tokio::spawn(fetch(client, request, limit, free, page_tx)).abort_handle();
        Pages {
            pages,
            buffers,
            fetcher,
        }
    }

    /// The next page; `None` once the fetcher is gone (it always ends with a last page or an
    /// error first).
    pub async fn next(&mut self) -> Option<Result<Page, watcher::Error>> {
        self.pages.recv().await
    }

    /// Decodes a page's objects and hands its buffer back for the next reply.
    pub fn decode<K: DeserializeOwned>(&self, page: Page) -> Result<Vec<K>, watcher::Error> {
        let items = serde_json::from_slice::<Items<K>>(&page.body)
            .map(|list| list.items)
            .map_err(|e| watcher::Error::InitialListFailed(::kube::Error::SerdeError(e)));
        let mut body = page.body;
        body.clear();
        let _ = self.buffers.try_send(body);
        items
    }
}

/// Only the objects of a list reply; the metadata was read by the fetcher.
#[derive(Deserialize)]
#[serde(bound = "K: DeserializeOwned")]
struct Items<K> {
    #[serde(default = "Vec::new")]
    items: Vec<K>,
}

/// Asks for every page in turn, each as soon as the one before it has arrived.
async fn fetch(
    client: Client,
    request: Request,
    limit: u32,
    mut free: mpsc::Receiver<Vec<u8>>,
    pages: mpsc::Sender<Result<Page, watcher::Error>>,
) {
    let mut continue_token: Option<String> = None;
    loop {
        let params = ListParams {
            limit: Some(limit),
            continue_token: continue_token.take(),
            ..ListParams::default()
        };
        let page = match read(&client, &request, &params, &mut free).await {
            Ok(Some(body)) => {
                let head = head(&body);
                continue_token = head.continue_token.filter(|t| !t.is_empty());
                Ok(Page {
                    resource_version: head.resource_version.filter(|v| !v.is_empty()),
                    last: continue_token.is_none(),
                    remaining: head.remaining,
                    body,
                })
            }
            Ok(None) => return,
            Err(error) => Err(watcher::Error::InitialListFailed(error)),
        };
        let end = page.as_ref().map_or(true, |p| p.last);
        if pages.send(page).await.is_err() || end {
            return;
        }
    }
}

/// Asks for one page and reads its reply into the buffer the watch loop gives back; the
/// request goes out before that buffer is free, so the server prepares this page while the
/// one before it is decoded. `None`: the watch loop is gone.
async fn read(
    client: &Client,
    request: &Request,
    params: &ListParams,
    free: &mut mpsc::Receiver<Vec<u8>>,
) -> Result<Option<Vec<u8>>, ::kube::Error> {
    let mut req = request.list(params).map_err(::kube::Error::BuildRequest)?;
    req.extensions_mut().insert("list");
    let reply = client.request_stream(req).await?;
    let mut reply = Box::pin(reply);
    let Some(mut body) = free.recv().await else {
        return Ok(None);
    };
    // Chunk by chunk into the buffer: `read_to_end` would zero its spare room first, a
    // megabyte-scale memset on every page.
    loop {
        let chunk = reply.fill_buf().await.map_err(::kube::Error::ReadEvents)?;
        if chunk.is_empty() {
            return Ok(Some(body));
        }
        let taken = chunk.len();
        body.extend_from_slice(chunk);
        reply.consume_unpin(taken);
    }
}

/// The list metadata a page starts with.
#[derive(Debug, Default, Deserialize)]
struct Head {
    #[serde(rename = "continue")]
    continue_token: Option<String>,
    #[serde(rename = "resourceVersion")]
    resource_version: Option<String>,
    #[serde(rename = "remainingItemCount")]
    remaining: Option<usize>,
}

/// The list's metadata, read without decoding its items when it comes before them (the API
/// server writes kind, apiVersion, metadata, then items); otherwise the items are skipped.
/// A reply that is not a list yields no metadata: it is the last page, and decoding it says why.
fn head(body: &[u8]) -> Head {
    let mut head = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    // Stopping at `items` leaves the map unfinished, which serde_json reports as an error;
    // the metadata is already read by then.
    let _ = serde::Deserializer::deserialize_map(&mut de, HeadVisitor(&mut head));
    head.unwrap_or_default()
}

struct HeadVisitor<'a>(&'a mut Option<Head>);

impl<'de> Visitor<'de> for HeadVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "metadata" => *self.0 = Some(map.next_value()?),
                "items" if self.0.is_some() => return Ok(()),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_read_before_the_items_or_after_them() {
        let first = br#"{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"abc","resourceVersion":"42"},"items":[{"x":1},{"y":[2]}]}"#;
        let head = head(first);
        assert_eq!(head.continue_token.as_deref(), Some("abc"));
        assert_eq!(head.resource_version.as_deref(), Some("42"));
        let after =
            br#"{"items":[{"metadata":{"continue":"no"}}],"metadata":{"resourceVersion":"7"}}"#;
        let head = super::head(after);
        assert_eq!(head.continue_token, None);
        assert_eq!(head.resource_version.as_deref(), Some("7"));
        let broken = super::head(b"<html>");
        assert_eq!(
            (broken.continue_token, broken.resource_version),
            (None, None)
        );
    }
}
