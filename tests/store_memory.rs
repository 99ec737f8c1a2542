//! Bytes the pod store keeps per pod (PERFORMANCE.md P1: ≤ 1 KB retained per extra pod),
//! counted with a counting allocator, so the gate is deterministic. Its own binary: the global
//! allocator counts everything the process allocates, and no other test may run beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use chrono::{TimeZone, Utc};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::{NamespaceChoice, State};
use kterm::kube::pods::{pod_row, SlimPod};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
/// The most `LIVE` has been since a test last reset it.
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The counter is global: the tests of this binary take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

// SAFETY: every call is passed to the system allocator unchanged; only a counter is kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        PEAK.fetch_max(live + layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on as given.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: ptr was allocated by System with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A pod as a list sends it: two containers with requests and limits, labels, statuses.
fn pod_json(ns: usize, i: usize) -> String {
    format!(
        r#"{{"metadata":{{"name":"appserver-prd-7d9f8c6b5-{i:05}","namespace":"t{ns:05}x",
        "uid":"0f6c1b8e-0000-4000-8000-{i:012}","resourceVersion":"{i}",
        "creationTimestamp":"2026-12-01T10:00:00Z",
        "labels":{{"app":"appserver","env":"prd","pod-template-hash":"7d9f8c6b5"}}}},
        "spec":{{"nodeName":"ip-10-42-10-{n}.eu-central-1.compute.internal",
        "containers":[
          {{"name":"appserver","resources":{{"requests":{{"cpu":"500m","memory":"1536Mi"}},
            "limits":{{"cpu":"2","memory":"2Gi"}}}}}},
          {{"name":"sidecar","resources":{{"requests":{{"cpu":"50m","memory":"64Mi"}},
            "limits":{{"cpu":"100m","memory":"128Mi"}}}}}}]}},
        "status":{{"phase":"Running","podIP":"10.42.{n}.{m}",
        "conditions":[{{"type":"Ready","status":"True"}}],
        "containerStatuses":[
          {{"name":"appserver","ready":true,"restartCount":0,"state":{{"running":{{}}}}}},
          {{"name":"sidecar","ready":true,"restartCount":0,"state":{{"running":{{}}}}}}]}}}}"#,
        n = i % 20,
        m = i % 250,
    )
}

#[test]
fn ten_thousand_pods_cost_under_a_kilobyte_each() {
    let _turn = ONE_AT_A_TIME.lock();
    let pods: Vec<SlimPod> = (0..10_000)
        .map(|i| serde_json::from_str(&pod_json(i / 20, i)))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    assert_eq!(pods.len(), 10_000);
    let now = Utc
        .timestamp_opt(1_800_000_000, 0)
        .single()
        .unwrap_or_default();
    let mut state = State::new("test", NamespaceChoice::All, now);
    let before = LIVE.load(Ordering::Relaxed);
    let rows = pods.iter().map(pod_row).collect();
    kterm::app::update::update(
        &mut state,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows,
        },
    );
    let kept = LIVE.load(Ordering::Relaxed) - before;
    let per_pod = kept / 10_000;
    println!(
        "10k-pod store: {kept} bytes, {per_pod} per pod; PodRow is {} bytes",
        std::mem::size_of::<kterm::kube::pods::PodRow>()
    );
    assert!(per_pod <= 1024, "{per_pod} bytes per pod");
    assert_eq!(state.store.len(), 10_000);
}

/// A list arrives in key order, which leaves a B-tree's nodes half full; rows are boxed so the
/// half-empty room is small, and the end of the list (the relist) must not copy the store to
/// pack it: at 150,000 pods that copy put 40 MB on the peak (P11: within 150 MB).
#[test]
fn a_listed_store_stays_small_and_its_relist_copies_nothing() {
    let _turn = ONE_AT_A_TIME.lock();
    let now = Utc
        .timestamp_opt(1_800_000_000, 0)
        .single()
        .unwrap_or_default();
    let mut state = State::new("test", NamespaceChoice::All, now);
    let before = LIVE.load(Ordering::Relaxed);
    let mut keys = Vec::new();
    for page in 0..20 {
        let rows: Vec<_> = (page * 500..(page + 1) * 500)
            .filter_map(|i| serde_json::from_str::<SlimPod>(&pod_json(i / 20, i)).ok())
            .map(|pod| pod_row(&pod))
            .collect();
        keys.extend(rows.iter().map(|r| r.key()));
        kterm::app::update::update(
            &mut state,
            Msg::PodsApplied {
                scope: WatchScope::All,
                rows,
            },
        );
    }
    let listed = LIVE.load(Ordering::Relaxed) - before;
    let keys_bytes = (keys.capacity() * std::mem::size_of::<kterm::kube::pods::PodKey>()) as isize;
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let at_relist = LIVE.load(Ordering::Relaxed);
    kterm::app::update::update(
        &mut state,
        Msg::PodsRelisted {
            scope: WatchScope::All,
            keys,
        },
    );
    let relist_peak = PEAK.load(Ordering::Relaxed) - at_relist;
    let kept = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "10k pods listed in pages: {} bytes a pod before the relist, {} after; the relist's peak added {} a pod",
        (listed - keys_bytes) / 10_000,
        kept / 10_000,
        relist_peak / 10_000,
    );
    assert_eq!(state.store.len(), 10_000);
    assert!(kept / 10_000 <= 480, "{} bytes a pod", kept / 10_000);
    // The relist's own transients (a set of the listed keys, the journal) are well under the
    // 264 bytes a pod that copying the rows into a packed map cost.
    assert!(
        relist_peak / 10_000 <= 128,
        "the relist added {} bytes a pod at its peak",
        relist_peak / 10_000
    );
}
