//! The one executor of `Mutation`s: the audit log's intent (verb, `kind/name`, namespace and
//! the one-sentence detail), the cluster call, the outcome, and `Msg::Mutated` or
//! `Msg::MutateFailed`. A required audit log that cannot be written stops the change before
//! anything is sent to the server.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::app::msg::Msg;
use crate::app::mutation::{job_from_cronjob, manual_job_name, Mutation};
use crate::audit::{Audit, Outcome, Record};
use crate::kube::kinds::ResourceKind;
use crate::kube::mutate::MutateError;
use crate::kube::target::Target;
use crate::kube::Cluster;

/// Carries out `mutation` and reports on `tx`.
pub async fn run(
    cluster: Option<Arc<dyn Cluster>>,
    audit: Audit,
    mutation: Mutation,
    tx: mpsc::Sender<Msg>,
) {
    let msg = match carry_out(cluster, audit, &mutation).await {
        Ok(sentence) => Msg::Mutated { sentence },
        Err(sentence) => Msg::MutateFailed { sentence },
    };
    let _ = tx.send(msg).await;
}

async fn carry_out(
    cluster: Option<Arc<dyn Cluster>>,
    audit: Audit,
    mutation: &Mutation,
) -> Result<String, String> {
    let Some(cluster) = cluster else {
        return Err(format!(
            "Not connected to the cluster yet; did not {}.",
            mutation.describe()
        ));
    };
    let target = mutation.target();
    // Named before the intent is written, so the audit log says which Job a trigger made.
    let job_name = match mutation {
        Mutation::Trigger { cronjob } => Some(manual_job_name(&cronjob.name, seed())),
        _ => None,
    };
    let mut detail = mutation.describe();
    if let Some(job) = &job_name {
        detail.push_str(&format!(": job {job}"));
    }
    let mut intent =
        Record::intent(cluster.context(), mutation.verb(), &target.slash()).by(&cluster.identity());
    intent.namespace = target.namespace.clone();
    intent.detail = Some(detail);
    let mut note = None;
    if let Err(sentence) = audit.append(&intent) {
        if audit.required() {
            return Err(format!(
                "{sentence} The audit log is required, so nothing was changed."
            ));
        }
        note = Some(sentence);
    }
    let result = call(cluster.as_ref(), mutation, job_name.as_deref()).await;
    let outcome = match &result {
        Ok(()) => Outcome::Ok,
        Err(sentence) => Outcome::Error(sentence.clone()),
    };
    if let Err(sentence) = audit.append(&intent.outcome(outcome)) {
        note.get_or_insert(sentence);
    }
    let with_note = |s: String| match &note {
        Some(problem) => format!("{s} {problem}"),
        None => s,
    };
    match result {
        Ok(()) => Ok(with_note(mutation.done(job_name.as_deref()))),
        Err(sentence) => Err(with_note(sentence)),
    }
}

/// The cluster call(s) of `mutation`; Err is one sentence.
async fn call(
    cluster: &dyn Cluster,
    mutation: &Mutation,
    job_name: Option<&str>,
) -> Result<(), String> {
    let said = |e: MutateError| e.to_string();
    match mutation {
        Mutation::Delete { target, options } => {
            cluster.delete(target, *options).await.map_err(said)
        }
        Mutation::Trigger { cronjob } => {
            let object = cluster.get_target(cronjob).await.map_err(said)?;
            let name = job_name.unwrap_or(&cronjob.name);
            let job = job_from_cronjob(&object, name)?;
            let target = Target::of(ResourceKind::Job, cronjob.namespace.as_deref(), name);
            cluster.create(&target, job).await.map(|_| ()).map_err(said)
        }
        other => match other.patch(Utc::now()) {
            Some((kind, body)) => cluster
                .patch(other.target(), kind, body)
                .await
                .map(|_| ())
                .map_err(said),
            None => Err(format!("kterm cannot {} yet.", other.describe())),
        },
    }
}

/// A seed for the trigger's random suffix: the clock's nanoseconds mixed with the process id.
fn seed() -> u64 {
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
    nanos ^ (u64::from(std::process::id()) << 32)
}
