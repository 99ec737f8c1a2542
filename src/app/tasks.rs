//! The runtime's background work as keyed tasks: at most one task per key, a newer task with
//! the same key aborting the older, and every message a task sends stamped with its key and
//! generation so that a message sent just before its task was replaced is dropped, not delivered.

use std::collections::HashMap;
use std::future::Future;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::app::effect::FetchPurpose;

/// Messages waiting in the set's channel; tasks wait when it is full.
const CHANNEL: usize = 256;

/// What a task is for; a new task with the same key replaces the running one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskKey {
    /// An object fetch for a view (`Effect::FetchObject`).
    Fetch(FetchPurpose),
    /// One pod's log stream (`Effect::StartLogs`), by its id.
    Logs(u64),
    /// The checks of a delete dialog's object (`Effect::CheckImpact`), by its index; a new
    /// dialog's checks replace the old ones.
    Impact(usize),
    /// The metrics poll (`Effect::PollMetrics`); at most one runs.
    Metrics,
}

/// The one task that counts for a key.
#[derive(Debug)]
struct Current {
    generation: u64,
    abort: AbortHandle,
}

/// A message and the task that sent it.
#[derive(Debug)]
struct Stamped<M> {
    key: TaskKey,
    generation: u64,
    msg: M,
}

/// What a task sends its messages through; each is stamped with the task's key and generation.
#[derive(Debug)]
pub struct Outbox<M> {
    key: TaskKey,
    generation: u64,
    tx: mpsc::Sender<Stamped<M>>,
}

impl<M> Clone for Outbox<M> {
    fn clone(&self) -> Self {
        Outbox {
            key: self.key,
            generation: self.generation,
            tx: self.tx.clone(),
        }
    }
}

impl<M> Outbox<M> {
    /// Sends one message; false when the set is gone and nobody will read it.
    pub async fn send(&self, msg: M) -> bool {
        let stamped = Stamped {
            key: self.key,
            generation: self.generation,
            msg,
        };
        self.tx.send(stamped).await.is_ok()
    }
}

/// The tasks in flight, at most one per key; dropping the set aborts them all.
#[derive(Debug)]
pub struct TaskSet<M> {
    current: HashMap<TaskKey, Current>,
    next_generation: u64,
    tx: mpsc::Sender<Stamped<M>>,
    rx: mpsc::Receiver<Stamped<M>>,
}

impl<M: Send + 'static> Default for TaskSet<M> {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL);
        TaskSet {
            current: HashMap::new(),
            next_generation: 0,
            tx,
            rx,
        }
    }
}

impl<M: Send + 'static> TaskSet<M> {
    /// Spawns `task` under `key`, aborting the task that key ran before; returns its generation.
    pub fn spawn<F, Fut>(&mut self, key: TaskKey, task: F) -> u64
    where
        F: FnOnce(Outbox<M>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.cancel(key);
        self.next_generation += 1;
        let generation = self.next_generation;
        let outbox = Outbox {
            key,
            generation,
            tx: self.tx.clone(),
        };
        let abort = tokio::spawn(task(outbox)).abort_handle();
        self.current.insert(key, Current { generation, abort });
        generation
    }

    /// Aborts the task of `key`, if any; its messages still queued are dropped too.
    pub fn cancel(&mut self, key: TaskKey) {
        if let Some(old) = self.current.remove(&key) {
            old.abort.abort();
        }
    }

    /// Aborts every task whose key `which` picks (all log streams on a context switch).
    pub fn cancel_where(&mut self, which: impl Fn(&TaskKey) -> bool) {
        let keys: Vec<TaskKey> = self.current.keys().filter(|k| which(k)).copied().collect();
        for key in keys {
            self.cancel(key);
        }
    }

    /// Whether a task of `key` is running (started, not replaced, cancelled or finished).
    pub fn is_running(&self, key: TaskKey) -> bool {
        self.current
            .get(&key)
            .is_some_and(|c| !c.abort.is_finished())
    }

    /// The next message of a task that still counts; messages of replaced or cancelled tasks
    /// are dropped here. Pending while no task sends (the set holds a sender itself).
    pub async fn recv(&mut self) -> Option<(TaskKey, M)> {
        loop {
            let stamped = self.rx.recv().await?;
            let counts = self
                .current
                .get(&stamped.key)
                .is_some_and(|c| c.generation == stamped.generation);
            if counts {
                return Some((stamped.key, stamped.msg));
            }
            tracing::debug!(key = ?stamped.key, "dropped a message of a replaced task");
        }
    }
}

impl<M> Drop for TaskSet<M> {
    fn drop(&mut self) {
        for task in self.current.values() {
            task.abort.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::oneshot;
    use tokio::time::timeout;

    use super::*;

    const TEXT: TaskKey = TaskKey::Fetch(FetchPurpose::Text);
    const PANE: TaskKey = TaskKey::Fetch(FetchPurpose::Pane);
    /// A deadline for things that happen at once, generous for a loaded machine.
    const SOON: Duration = Duration::from_secs(5);

    /// A task that holds `alive` until it is aborted (its future dropped).
    async fn pending_forever(alive: oneshot::Sender<()>) {
        let _alive = alive;
        std::future::pending::<()>().await;
    }

    /// Resolves when the task holding the other end is gone.
    async fn ended(alive: oneshot::Receiver<()>) -> bool {
        timeout(SOON, alive).await.is_ok_and(|r| r.is_err())
    }

    #[tokio::test]
    async fn a_newer_task_with_the_same_key_aborts_the_older_one_only() {
        let mut set: TaskSet<&str> = TaskSet::default();
        let (old_alive, old_gone) = oneshot::channel();
        let (pane_alive, mut pane_gone) = oneshot::channel();
        set.spawn(TEXT, |_| pending_forever(old_alive));
        set.spawn(PANE, |_| pending_forever(pane_alive));
        set.spawn(TEXT, |out| async move {
            out.send("new").await;
        });
        assert!(
            ended(old_gone).await,
            "the older Text task should be aborted"
        );
        assert_eq!(
            timeout(SOON, set.recv()).await.ok().flatten(),
            Some((TEXT, "new"))
        );
        assert!(set.is_running(PANE));
        assert_eq!(
            pane_gone.try_recv(),
            Err(oneshot::error::TryRecvError::Empty),
            "the Pane task has another key and should still run"
        );
    }

    #[tokio::test]
    async fn a_message_sent_before_the_task_was_replaced_is_not_delivered() {
        let mut set: TaskSet<&str> = TaskSet::default();
        let (sent, was_sent) = oneshot::channel();
        set.spawn(TEXT, |out| async move {
            out.send("stale").await;
            let _ = sent.send(());
        });
        // The old message is in the channel before the newer task starts.
        assert!(timeout(SOON, was_sent).await.is_ok_and(|r| r.is_ok()));
        set.spawn(TEXT, |out| async move {
            out.send("fresh").await;
        });
        assert_eq!(
            timeout(SOON, set.recv()).await.ok().flatten(),
            Some((TEXT, "fresh"))
        );
    }

    #[tokio::test]
    async fn a_cancelled_tasks_queued_message_is_dropped() {
        let mut set: TaskSet<&str> = TaskSet::default();
        let (sent, was_sent) = oneshot::channel();
        set.spawn(TEXT, |out| async move {
            out.send("late").await;
            let _ = sent.send(());
        });
        assert!(timeout(SOON, was_sent).await.is_ok_and(|r| r.is_ok()));
        set.cancel(TEXT);
        set.spawn(PANE, |out| async move {
            out.send("pane").await;
        });
        assert_eq!(
            timeout(SOON, set.recv()).await.ok().flatten(),
            Some((PANE, "pane"))
        );
    }

    #[tokio::test]
    async fn dropping_the_set_aborts_every_task() {
        let mut set: TaskSet<()> = TaskSet::default();
        let (text_alive, text_gone) = oneshot::channel();
        let (pane_alive, pane_gone) = oneshot::channel();
        set.spawn(TEXT, |_| pending_forever(text_alive));
        set.spawn(PANE, |_| pending_forever(pane_alive));
        assert!(set.is_running(TEXT) && set.is_running(PANE));
        drop(set);
        assert!(ended(text_gone).await);
        assert!(ended(pane_gone).await);
    }
}
