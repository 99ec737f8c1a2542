//! Starting containers and playing their behaviours: exits, OOM kills, failing probes, restarts.

use super::*;
use crate::controllers::behavior::runs_to_completion;
use chrono::DurationRound;

impl Kubelet {
    pub(super) fn start(
        &mut self,
        c: &Cluster,
        rec: &mut Recorder,
        pod: &Value,
        b: &Behavior,
        when: DateTime<Utc>,
        fast: bool,
    ) -> Option<(Stage, Duration, u32)> {
        let (ns, name) = pod_key(pod)?;
        let real_now = Utc::now();
        let restarts = if fast { b.initial_restarts } else { 0 };
        // With restart history, the current container started later than the pod.
        let (started, last, crashed) = if restarts > 0 {
            let (reason, code, ran) = if b.is("oom") {
                ("OOMKilled", 137, b.oom_seconds * 0.6)
            } else {
                ("Error", 1, 25.0)
            };
            let started = real_now - CDuration::milliseconds((ran * 1000.0) as i64);
            let finished = started - CDuration::seconds(backoff(restarts as u32 - 1).min(60));
            let prev_start =
                finished - CDuration::seconds(if b.is("oom") { b.oom_seconds as i64 } else { 3 });
            let last = st::terminated(
                code,
                reason,
                &ts(prev_start),
                &ts(finished),
                &format!("{name}/{}", restarts - 1),
            );
            (started, last, b.is("crashloop"))
        } else {
            // A pod created at load has its back-dated start-up in the future: it starts now.
            (when.min(real_now), json!({}), false)
        };
        let ready = !b.is("not-ready") && !b.is("crashloop");
        let containers = pod["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let now_s = ts(if fast { started } else { real_now });
        let e = c.mutate("pods", ns, name, |p| {
            let cs: Vec<Value> = containers
                .iter()
                .map(|ct| {
                    let state = if crashed {
                        st::waiting(
                            "CrashLoopBackOff",
                            Some(&format!(
                                "back-off 5m0s restarting failed container={} pod={name}_{ns}",
                                ct["name"].as_str().unwrap_or_default()
                            )),
                        )
                    } else {
                        st::running(&now_s)
                    };
                    container_status(
                        ct,
                        state,
                        ready && !crashed,
                        restarts,
                        last.clone(),
                        &format!("{name}/{restarts}"),
                    )
                })
                .collect();
            p["status"]["containerStatuses"] = json!(cs);
            if let Some(inits) = p["status"]["initContainerStatuses"].as_array_mut() {
                for s in inits {
                    if s["state"]["running"].is_object() {
                        s["ready"] = json!(true);
                    }
                }
            }
            p["status"]["phase"] = json!("Running");
            let ok = ready && !crashed;
            set_condition(p, "Initialized", true, None, None, &now_s);
            set_condition(
                p,
                "ContainersReady",
                ok,
                (!ok).then_some("ContainersNotReady"),
                None,
                &now_s,
            );
            set_condition(
                p,
                "Ready",
                ok,
                (!ok).then_some("ContainersNotReady"),
                None,
                &now_s,
            );
        })?;
        for cn in container_names(pod) {
            started_events(c, rec, &e.obj, &cn);
        }
        if crashed {
            return Some((
                Stage::Backoff,
                Duration::from_secs(backoff(restarts as u32) as u64 / 2),
                restarts as u32,
            ));
        }
        // Counted from the start as written (whole seconds) so the timer never fires before
        // the scheduled exit the log shows.
        let written = if fast { started } else { real_now };
        let since_start =
            (real_now - whole_second(written)).num_milliseconds().max(0) as f64 / 1000.0;
        self.after_start(pod, b, since_start, restarts as u32)
    }

    /// What comes after a container started `since` seconds ago.
    pub(super) fn after_start(
        &self,
        pod: &Value,
        b: &Behavior,
        since: f64,
        tries: u32,
    ) -> Option<(Stage, Duration, u32)> {
        let secs = |s: f64| Duration::from_millis((s.max(0.0) * 1000.0) as u64);
        if b.is("not-ready") {
            return Some((Stage::Run, secs(10.0), tries));
        }
        let wait = match b.scheduled_exit(runs_to_completion(pod)) {
            // A crash loop's first run after a scenario load still gets its few seconds.
            Some(x) if b.is("crashloop") => x.secs,
            Some(x) => x.secs - since,
            None => return Some((Stage::Idle, Duration::ZERO, tries)),
        };
        Some((Stage::Run, secs(wait), tries))
    }

    pub(super) fn run_step(
        &mut self,
        c: &Cluster,
        rec: &mut Recorder,
        pod: &Value,
        b: &Behavior,
        tries: u32,
    ) -> Option<(Stage, Duration, u32)> {
        let (ns, name) = pod_key(pod)?;
        if b.is("not-ready") {
            rec.emit(
                c,
                pod,
                "Warning",
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
                Source::Kubelet,
            );
            return Some((Stage::Run, Duration::from_secs(10), tries));
        }
        let job = runs_to_completion(pod);
        let exit = b.scheduled_exit(job);
        let (code, reason) = exit.map_or((0, "Completed"), |x| (x.code, x.reason));
        let now = ts(Utc::now());
        let restart = !job || (pod["spec"]["restartPolicy"] == "OnFailure" && code != 0);
        if reason == "OOMKilled" {
            if let Some(node) = pod["spec"]["nodeName"]
                .as_str()
                .and_then(|n| c.store.get("nodes", "", n))
            {
                // The kubelet says nothing about a container's cgroup OOM; node-problem-detector's
                // kernel monitor reports the kernel's line on the Node.
                rec.emit(
                    c,
                    &node.obj,
                    "Warning",
                    "OOMKilling",
                    &oom_message(pod, tries),
                    Source::NodeMonitor("kernel-monitor"),
                );
            }
        }
        let e = c.mutate("pods", ns, name, |p| {
            let ready = false;
            if let Some(cs) = p["status"]["containerStatuses"].as_array_mut() {
                for s in cs {
                    let started = s["state"]["running"]["startedAt"]
                        .as_str()
                        .unwrap_or(&now)
                        .to_string();
                    let seed = format!("{name}/{}", s["restartCount"]);
                    // The scheduled exit, not the moment this timer fired: the running log's
                    // epilogue ended there.
                    let finished = exit
                        .zip(started.parse::<DateTime<Utc>>().ok())
                        .map_or_else(|| now.clone(), |(x, t)| ts(x.at(t)));
                    let mut term = st::terminated(code, reason, &started, &finished, &seed);
                    // The same container, so the same ID (and log seed) as while it ran.
                    if s["containerID"].is_string() {
                        term["terminated"]["containerID"] = s["containerID"].clone();
                    }
                    s["ready"] = json!(false);
                    s["started"] = json!(false);
                    if restart {
                        let n = s["restartCount"].as_i64().unwrap_or(0) + 1;
                        s["restartCount"] = json!(n);
                        s["lastState"] = term;
                        let cn = s["name"].as_str().unwrap_or_default().to_string();
                        s["state"] = st::waiting(
                            "CrashLoopBackOff",
                            Some(&format!(
                                "back-off {}s restarting failed container={cn} pod={name}_{ns}",
                                backoff(tries)
                            )),
                        );
                    } else {
                        s["state"] = term;
                    }
                }
            }
            if !restart {
                p["status"]["phase"] = json!(if code == 0 { "Succeeded" } else { "Failed" });
            }
            let r = if restart {
                "ContainersNotReady"
            } else {
                "PodCompleted"
            };
            set_condition(p, "ContainersReady", ready, Some(r), None, &now);
            set_condition(p, "Ready", ready, Some(r), None, &now);
        })?;
        if !restart {
            return Some((Stage::Idle, Duration::ZERO, tries));
        }
        let cn = container_names(pod).first().cloned().unwrap_or_default();
        let uid = pod["metadata"]["uid"].as_str().unwrap_or_default();
        rec.emit(
            c,
            &e.obj,
            "Warning",
            "BackOff",
            &format!("Back-off restarting failed container {cn} in pod {name}_{ns}({uid})"),
            Source::Kubelet,
        );
        Some((
            Stage::Backoff,
            Duration::from_secs(backoff(tries) as u64),
            tries + 1,
        ))
    }

    pub(super) fn restart(
        &mut self,
        c: &Cluster,
        rec: &mut Recorder,
        pod: &Value,
        b: &Behavior,
        tries: u32,
    ) -> Option<(Stage, Duration, u32)> {
        let (ns, name) = pod_key(pod)?;
        let real_now = Utc::now();
        let now = ts(real_now);
        let ready = !b.is("not-ready") && !b.is("crashloop");
        let e = c.mutate("pods", ns, name, |p| {
            if let Some(cs) = p["status"]["containerStatuses"].as_array_mut() {
                for s in cs {
                    s["state"] = st::running(&now);
                    s["started"] = json!(true);
                    s["ready"] = json!(ready);
                    let seed = format!("{name}/{}", s["restartCount"]);
                    s["containerID"] = json!(format!("containerd://{}", st::hex(&seed, 64)));
                }
            }
            set_condition(
                p,
                "ContainersReady",
                ready,
                (!ready).then_some("ContainersNotReady"),
                None,
                &now,
            );
            set_condition(
                p,
                "Ready",
                ready,
                (!ready).then_some("ContainersNotReady"),
                None,
                &now,
            );
        })?;
        let image = pod["spec"]["containers"][0]["image"]
            .as_str()
            .unwrap_or_default();
        rec.emit(
            c,
            &e.obj,
            "Normal",
            "Pulled",
            &format!("Container image \"{image}\" already present on machine"),
            Source::Kubelet,
        );
        for cn in container_names(pod) {
            started_events(c, rec, &e.obj, &cn);
        }
        let since = (real_now - whole_second(real_now)).num_milliseconds() as f64 / 1000.0;
        self.after_start(pod, b, since, tries)
    }
}

/// The kernel's OOM line for the `tries`-th kill of a pod's container (its pid differs per kill).
pub(crate) fn oom_message(pod: &Value, tries: u32) -> String {
    let base: u32 = pod["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .bytes()
        .map(u32::from)
        .sum();
    format!("Memory cgroup out of memory: Killed process {} (appsrvlinux) total-vm:4318720kB, anon-rss:2097152kB, file-rss:10240kB, shmem-rss:0kB, UID:1000 pgtables:4560kB oom_score_adj:999", 4000 + base % 1000 * 7 + tries * 17)
}

/// `t` as a status field records it.
fn whole_second(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(CDuration::seconds(1)).unwrap_or(t)
}
