//! A scheduler and kubelet stand-in: binds pods to nodes, pulls, runs init containers (and native
//! sidecars), starts containers, plays the scripted behaviours (crash loop, OOM, failing readiness,
//! image pull failure, unschedulable, slow termination, job exit) and finishes graceful deletion.

use super::behavior::Behavior;
use super::events::{Recorder, Source};
use super::status::{self as st, container_status, set_condition, ts};
use crate::cluster::Cluster;
use crate::store::{EventType, StoreEvent};
use chrono::{DateTime, Duration as CDuration, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;

mod run;
pub(crate) use run::oom_message;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    Schedule,
    Pull,
    Init(usize),
    Start,
    /// Running; the next step is the behaviour's (exit, OOM, probe failure) if any.
    Run,
    /// Waiting in CrashLoopBackOff before the next start.
    Backoff,
    Terminate,
    Idle,
}

struct Track {
    ns: String,
    name: String,
    stage: Stage,
    at: Instant,
    /// Restarts in a row (drives the back-off) or image pull attempts.
    tries: u32,
}

#[derive(Default)]
pub struct Kubelet {
    tracks: HashMap<String, Track>,
    next_ip: u32,
}

fn far() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365)
}

/// Seconds of CrashLoopBackOff (and image pull back-off) after `tries` failures in a row.
pub(crate) fn backoff(tries: u32) -> i64 {
    (10i64 << tries.min(5)).min(300)
}

impl Kubelet {
    /// Follow pod writes: new pods get scheduled, pods marked for deletion get terminated.
    pub fn on_event(&mut self, ev: &StoreEvent) {
        if ev.key != "pods" {
            return;
        }
        let meta = &ev.entry.meta;
        let uid = meta.uid.to_string();
        let (ns, name) = (ev.ns.clone(), meta.name.to_string());
        match ev.ty {
            EventType::Deleted => {
                self.tracks.remove(&uid);
            }
            _ if meta.deleting => {
                let t = self.tracks.entry(uid).or_insert(Track {
                    ns,
                    name,
                    stage: Stage::Idle,
                    at: Instant::now(),
                    tries: 0,
                });
                if t.stage != Stage::Terminate {
                    t.stage = Stage::Terminate;
                    t.at = Instant::now();
                    t.tries = 0;
                }
            }
            // Only a new pod is parsed: has a kubelet reported on it yet?
            EventType::Added if ev.entry.value()["status"]["containerStatuses"].is_null() => {
                self.tracks.insert(
                    uid,
                    Track {
                        ns,
                        name,
                        stage: Stage::Schedule,
                        at: Instant::now(),
                        tries: 0,
                    },
                );
            }
            _ => {}
        }
    }

    /// Run every due step; `fast` runs start-up to Running at once with back-dated times (scenario load).
    pub fn tick(&mut self, cluster: &Cluster, rec: &mut Recorder, fast: bool) {
        let now = Instant::now();
        let due: Vec<String> = self
            .tracks
            .iter()
            // A scenario load brings new pods up to Running at once, but does not replay the
            // behaviours of pods already running (that would pile up restarts).
            .filter(|(_, t)| {
                t.at <= now
                    || (fast
                        && t.tries == 0
                        && matches!(
                            t.stage,
                            Stage::Schedule | Stage::Pull | Stage::Init(_) | Stage::Start
                        ))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for uid in due {
            for _ in 0..8 {
                let Some(t) = self.tracks.get(&uid) else {
                    break;
                };
                let (ns, name, stage, tries) = (t.ns.clone(), t.name.clone(), t.stage, t.tries);
                let Some(pod) = cluster.store.get("pods", &ns, &name) else {
                    self.tracks.remove(&uid);
                    break;
                };
                let next = self.step(cluster, rec, &pod.obj, stage, tries, fast);
                match next {
                    None => {
                        self.tracks.remove(&uid);
                        break;
                    }
                    Some((stage, delay, tries)) => {
                        if let Some(t) = self.tracks.get_mut(&uid) {
                            if t.stage == Stage::Terminate
                                && stage != Stage::Terminate
                                && stage != Stage::Idle
                            {
                                break;
                            }
                            t.stage = stage;
                            t.tries = tries;
                            t.at = if delay.is_zero() && !fast {
                                now
                            } else if stage == Stage::Idle {
                                far()
                            } else {
                                Instant::now() + delay
                            };
                        }
                        let settled = matches!(
                            stage,
                            Stage::Run | Stage::Backoff | Stage::Idle | Stage::Terminate
                        ) || !fast;
                        if settled
                            || stage == Stage::Schedule
                            || (stage == Stage::Pull && tries > 0)
                        {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// One step of a pod; returns the next stage, when, and the tries counter (None: forget the pod).
    fn step(
        &mut self,
        c: &Cluster,
        rec: &mut Recorder,
        pod: &Value,
        stage: Stage,
        tries: u32,
        fast: bool,
    ) -> Option<(Stage, Duration, u32)> {
        let b = Behavior::of(pod);
        let (ns, name) = (
            pod["metadata"]["namespace"].as_str()?.to_string(),
            pod["metadata"]["name"].as_str()?.to_string(),
        );
        let created: DateTime<Utc> = pod["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(Utc::now);
        let clock = |offset: i64| {
            if fast {
                created + CDuration::seconds(offset)
            } else {
                Utc::now()
            }
        };
        let secs = |s: f64| Duration::from_millis((s * 1000.0) as u64);
        match stage {
            Stage::Schedule => {
                if pod["spec"]["nodeName"].is_string() {
                    return Some((Stage::Pull, Duration::ZERO, 0));
                }
                // Nodes are parsed only to match a nodeSelector (5,000 of them at scale).
                let nodes = c.store.page("nodes", None, None, None).items;
                let sel = pod["spec"]["nodeSelector"].as_object();
                let fit: Vec<String> = nodes
                    .iter()
                    .filter(|(_, _, n)| {
                        sel.is_none_or(|s| {
                            let n = n.value();
                            s.iter().all(|(k, v)| n["metadata"]["labels"][k] == *v)
                        })
                    })
                    .map(|(_, name, _)| name.clone())
                    .collect();
                if fit.is_empty() || b.is("unschedulable") {
                    let n = nodes.len();
                    let msg = format!("0/{n} nodes are available: {n} node(s) didn't match Pod's node affinity/selector. preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling.");
                    let now = ts(clock(0));
                    let e = c.mutate("pods", &ns, &name, |p| {
                        set_condition(
                            p,
                            "PodScheduled",
                            false,
                            Some("Unschedulable"),
                            Some(&msg),
                            &now,
                        )
                    });
                    rec.emit(
                        c,
                        &e.map(|e| (*e.obj).clone()).unwrap_or_else(|| pod.clone()),
                        "Warning",
                        "FailedScheduling",
                        &msg,
                        Source::Scheduler,
                    );
                    return Some((Stage::Schedule, Duration::from_secs(60), 0));
                }
                let node = fit
                    [st::hex(&name, 4).bytes().map(|x| x as usize).sum::<usize>() % fit.len()]
                .clone();
                let now = ts(clock(1));
                let e = c.mutate("pods", &ns, &name, |p| {
                    p["spec"]["nodeName"] = json!(node);
                    set_condition(p, "PodScheduled", true, None, None, &now);
                })?;
                rec.emit(
                    c,
                    &e.obj,
                    "Normal",
                    "Scheduled",
                    &format!("Successfully assigned {ns}/{name} to {node}"),
                    Source::Scheduler,
                );
                Some((Stage::Pull, secs(0.5), 0))
            }
            Stage::Pull => self.pull(c, rec, pod, &b, tries, clock(2)),
            Stage::Init(i) => {
                let inits = pod["spec"]["initContainers"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if i >= inits.len() {
                    return Some((Stage::Start, Duration::ZERO, tries));
                }
                let now = ts(clock(3 + i as i64));
                let e = c.mutate("pods", &ns, &name, |p| {
                    let statuses: Vec<Value> = inits
                        .iter()
                        .enumerate()
                        .map(|(j, ic)| {
                            let sidecar = ic["restartPolicy"] == "Always";
                            let seed = format!("{name}/{}", ic["name"]);
                            let state = if j < i && !sidecar {
                                st::terminated(0, "Completed", &now, &now, &seed)
                            } else if j <= i {
                                st::running(&now)
                            } else {
                                st::waiting("PodInitializing", None)
                            };
                            container_status(ic, state, j <= i && sidecar, 0, json!({}), &seed)
                        })
                        .collect();
                    p["status"]["initContainerStatuses"] = json!(statuses);
                    p["status"]["phase"] = json!("Pending");
                })?;
                let ic = &inits[i];
                let cn = ic["name"].as_str().unwrap_or_default();
                started_events(c, rec, &e.obj, cn);
                Some((Stage::Init(i + 1), secs(1.5), tries))
            }
            Stage::Start => self.start(c, rec, pod, &b, clock(5), fast),
            Stage::Run => self.run_step(c, rec, pod, &b, tries),
            Stage::Backoff => self.restart(c, rec, pod, &b, tries),
            Stage::Terminate => {
                if tries == 0 {
                    for cn in container_names(pod) {
                        rec.emit(
                            c,
                            pod,
                            "Normal",
                            "Killing",
                            &format!("Stopping container {cn}"),
                            Source::Kubelet,
                        );
                    }
                    let grace = pod["metadata"]["deletionGracePeriodSeconds"]
                        .as_f64()
                        .unwrap_or(30.0);
                    let wait = if b.is("slow-terminate") {
                        grace.min(30.0)
                    } else {
                        grace.min(1.0)
                    };
                    return Some((Stage::Terminate, secs(wait), 1));
                }
                c.store.remove("pods", &ns, &name);
                None
            }
            Stage::Idle => Some((Stage::Idle, Duration::ZERO, tries)),
        }
    }

    fn pull(
        &mut self,
        c: &Cluster,
        rec: &mut Recorder,
        pod: &Value,
        b: &Behavior,
        tries: u32,
        when: DateTime<Utc>,
    ) -> Option<(Stage, Duration, u32)> {
        let (ns, name) = pod_key(pod)?;
        let now = ts(when);
        let has_init = pod["spec"]["initContainers"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
        let containers = pod["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let image = containers
            .first()
            .and_then(|c| c["image"].as_str())
            .unwrap_or_default()
            .to_string();
        let failing = b.is("image-pull");
        self.next_ip += 1;
        let ip = format!(
            "10.244.{}.{}",
            1 + (self.next_ip / 250) % 250,
            2 + self.next_ip % 250
        );
        let node_ip = node_ip(pod["spec"]["nodeName"].as_str().unwrap_or_default());
        let waiting = match (failing, tries % 2, has_init) {
            (true, 0, _) => st::waiting("ErrImagePull", Some(&format!("rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"))),
            (true, _, _) => st::waiting("ImagePullBackOff", Some(&format!("Back-off pulling image \"{image}\""))),
            (false, _, true) => st::waiting("PodInitializing", None),
            (false, _, false) => st::waiting("ContainerCreating", None),
        };
        let e = c.mutate("pods", ns, name, |p| {
            let s = &mut p["status"];
            if s["podIP"].is_null() {
                s["hostIP"] = json!(node_ip);
                s["hostIPs"] = json!([{"ip": node_ip}]);
                s["podIP"] = json!(ip);
                s["podIPs"] = json!([{"ip": ip}]);
                s["startTime"] = json!(now);
            }
            let cs: Vec<Value> = containers
                .iter()
                .map(|ct| container_status(ct, waiting.clone(), false, 0, json!({}), name))
                .collect();
            s["containerStatuses"] = json!(cs);
            set_condition(p, "PodReadyToStartContainers", true, None, None, &now);
            set_condition(
                p,
                "Initialized",
                !has_init,
                if has_init {
                    Some("ContainersNotInitialized")
                } else {
                    None
                },
                None,
                &now,
            );
            set_condition(
                p,
                "Ready",
                false,
                Some("ContainersNotReady"),
                Some("containers with unready status: [app]"),
                &now,
            );
            set_condition(
                p,
                "ContainersReady",
                false,
                Some("ContainersNotReady"),
                None,
                &now,
            );
        })?;
        if !failing {
            rec.emit(
                c,
                &e.obj,
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
                Source::Kubelet,
            );
            rec.emit(c, &e.obj, "Normal", "Pulled", &format!("Successfully pulled image \"{image}\" in 1.204s (1.204s including waiting). Image size: 48213554 bytes."), Source::Kubelet);
            return Some((Stage::Init(0), Duration::from_secs(1), 0));
        }
        if tries.is_multiple_of(2) {
            rec.emit(
                c,
                &e.obj,
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
                Source::Kubelet,
            );
            rec.emit(c, &e.obj, "Warning", "Failed", &format!("Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"), Source::Kubelet);
            rec.emit(
                c,
                &e.obj,
                "Warning",
                "Failed",
                "Error: ErrImagePull",
                Source::Kubelet,
            );
        } else {
            rec.emit(
                c,
                &e.obj,
                "Normal",
                "BackOff",
                &format!("Back-off pulling image \"{image}\""),
                Source::Kubelet,
            );
            rec.emit(
                c,
                &e.obj,
                "Warning",
                "Failed",
                "Error: ImagePullBackOff",
                Source::Kubelet,
            );
        }
        Some((
            Stage::Pull,
            Duration::from_secs(backoff(tries / 2) as u64 / 2),
            tries + 1,
        ))
    }
}

fn container_names(pod: &Value) -> Vec<String> {
    pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect()
}

/// The internal IP of a node (from its name, stable).
pub fn node_ip(node: &str) -> String {
    let n: u32 = node.bytes().map(u32::from).sum();
    format!("10.0.0.{}", 10 + n % 200)
}

/// The kubelet's Created and Started events for one container.
fn started_events(c: &Cluster, rec: &mut Recorder, pod: &Value, container: &str) {
    rec.emit(
        c,
        pod,
        "Normal",
        "Created",
        &format!("Created container: {container}"),
        Source::Kubelet,
    );
    rec.emit(
        c,
        pod,
        "Normal",
        "Started",
        &format!("Started container {container}"),
        Source::Kubelet,
    );
}

/// A pod's namespace and name (None for an object without them).
fn pod_key(pod: &Value) -> Option<(&str, &str)> {
    Some((
        pod["metadata"]["namespace"].as_str()?,
        pod["metadata"]["name"].as_str()?,
    ))
}
