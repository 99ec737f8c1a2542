//! The task behind the copy form: the default container when none was typed, the audit log's
//! intent and outcome, progress (after the first second, a few times a second), and one
//! sentence at the end. An existing local file is never replaced unasked.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::app::copy_form::CopyProgress;
use crate::app::msg::Msg;
use crate::audit::{copy_intent, copy_outcome, Audit};
use crate::kube::cluster::CopyJob;
use crate::kube::fetch::ObjectRef;
use crate::kube::logs::{pod, Containers};
use crate::kube::Cluster;

/// Progress is shown only for copies that last longer than this.
const QUIET: Duration = Duration::from_secs(1);
/// At most this often.
const EVERY: Duration = Duration::from_millis(200);

/// Copies `job` and reports on `tx`.
pub async fn run(
    cluster: Option<Arc<dyn Cluster>>,
    audit: Audit,
    mut job: CopyJob,
    inward: bool,
    tx: mpsc::Sender<Msg>,
) {
    let done = |s: String| Msg::CopyDone(s);
    let Some(cluster) = cluster else {
        let _ = tx
            .send(done(
                "Not connected to the cluster yet; nothing was copied.".into(),
            ))
            .await;
        return;
    };
    if !inward && !job.overwrite && job.local.is_file() {
        let _ = tx.send(Msg::CopyExists(job)).await;
        return;
    }
    if job.container.is_none() {
        let target = ObjectRef::pod(&job.namespace, &job.pod);
        match cluster.get_object(&target).await {
            Ok(object) => {
                job.container = pod::choose(&object, &Containers::DefaultOrAll)
                    .ok()
                    .and_then(|names| names.into_iter().next());
            }
            Err(error) => {
                let _ = tx.send(done(error.to_string())).await;
                return;
            }
        }
    }
    let what = crate::app::copy_form::label(&job, inward);
    let context = cluster.context().to_string();
    let container = job.container.clone().unwrap_or_default();
    let intent = copy_intent(
        &context,
        &job.namespace,
        &job.pod,
        &container,
        inward,
        &job.local,
        &job.remote,
    )
    .by(&cluster.identity());
    if let Err(sentence) = audit.append(&intent) {
        if audit.required() {
            let text = format!("{sentence} The audit log is required, so nothing was copied.");
            let _ = tx.send(done(text)).await;
            return;
        }
        let _ = tx.send(Msg::Noted(sentence)).await;
    }
    let started = Instant::now();
    let last = Arc::new(Mutex::new(started));
    let progress_tx = tx.clone();
    let label = what.clone();
    let progress = Box::new(move |bytes: u64, total: Option<u64>| {
        let now = Instant::now();
        let due = now.duration_since(started) >= QUIET
            && last
                .lock()
                .map(|l| now.duration_since(*l) >= EVERY)
                .unwrap_or(false);
        if due {
            if let Ok(mut l) = last.lock() {
                *l = now;
            }
            let _ = progress_tx.try_send(Msg::CopyProgress(CopyProgress {
                what: label.clone(),
                done: bytes,
                total,
            }));
        }
    });
    let result = if inward {
        cluster.copy_in(job, progress).await
    } else {
        cluster.copy_out(job, progress).await
    };
    let _ = audit.append(&copy_outcome(&intent, &result));
    let sentence = match result {
        Ok(bytes) => format!(
            "Copied {} ({} in {:.1} s).",
            what,
            crate::units::bytes(bytes),
            started.elapsed().as_secs_f64()
        ),
        Err(sentence) => sentence,
    };
    let _ = tx.send(done(sentence)).await;
}
