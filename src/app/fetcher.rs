//! Runs `Effect::FetchObject`: one task per purpose, a newer request aborting the older one, the
//! result sent back as a `Msg` with the request's id.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::app::effect::FetchPurpose;
use crate::app::msg::Msg;
use crate::kube::fetch::{fetch_with_events, ObjectRef};
use crate::kube::Cluster;

/// The fetch tasks in flight, at most one per purpose; dropping it aborts them.
#[derive(Debug, Default)]
pub struct Fetcher {
    tasks: HashMap<FetchPurpose, AbortHandle>,
}

impl Fetcher {
    /// Starts fetching `target` for `purpose`, aborting that purpose's previous fetch.
    pub fn start(
        &mut self,
        cluster: Option<Arc<dyn Cluster>>,
        tx: mpsc::Sender<Msg>,
        id: u64,
        purpose: FetchPurpose,
        target: ObjectRef,
    ) {
        if let Some(old) = self.tasks.remove(&purpose) {
            old.abort();
        }
        let task = tokio::spawn(async move {
            let result = match cluster {
                Some(cluster) => fetch_with_events(cluster.as_ref(), &target)
                    .await
                    .map_err(|e| e.to_string()),
                None => Err("Not connected to the cluster yet; try again in a moment.".to_string()),
            };
            let msg = match result {
                Ok(fetched) => Msg::ObjectFetched {
                    id,
                    purpose,
                    fetched: Arc::new(fetched),
                },
                Err(error) => Msg::ObjectFetchFailed { id, purpose, error },
            };
            // The app may have ended meanwhile; nobody is left to tell.
            let _ = tx.send(msg).await;
        });
        self.tasks.insert(purpose, task.abort_handle());
    }
}

impl Drop for Fetcher {
    fn drop(&mut self) {
        for task in self.tasks.values() {
            task.abort();
        }
    }
}
