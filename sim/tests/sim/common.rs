//! Starting a simulator for a test and running kubectl against it.

use kterm_sim::{RbacProfile, ScenarioChoice, SimHandle, SimOpts};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct TestSim {
    pub sim: SimHandle,
    pub rt: tokio::runtime::Runtime,
}

impl TestSim {
    pub fn start(rbac: RbacProfile) -> TestSim {
        Self::with(SimOpts {
            rbac,
            ..Default::default()
        })
    }

    pub fn with(opts: SimOpts) -> TestSim {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sim = rt.block_on(kterm_sim::start(opts)).unwrap();
        TestSim { sim, rt }
    }

    pub fn scale(pods: usize, namespaces: usize) -> TestSim {
        Self::with(SimOpts {
            scenario: ScenarioChoice::Scale { pods, namespaces },
            ..Default::default()
        })
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.sim.kubeconfig().to_path_buf()
    }

    /// A kube-rs client for this simulator (through its kubeconfig, as any user would).
    pub async fn client(&self) -> kube::Client {
        let kc = kube::config::Kubeconfig::read_from(self.sim.kubeconfig()).unwrap();
        let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
            .await
            .unwrap();
        kube::Client::try_from(cfg).unwrap()
    }

    /// POST a JSON body to the admin endpoint.
    pub fn admin(&self, path: &str, body: &str) -> String {
        let url = format!("{}/_sim/{path}", self.sim.url);
        let out = Command::new("curl")
            .args(["-sk", "-X", "POST", "-d", body, &url])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn requests(&self) -> serde_json::Value {
        let url = format!("{}/_sim/requests", self.sim.url);
        let out = Command::new("curl").args(["-sk", &url]).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Run kubectl with this simulator's kubeconfig; None when kubectl is missing (and allowed to be).
    pub fn kubectl(&self, args: &[&str]) -> Option<Output> {
        let bin = kubectl_bin()?;
        Some(
            Command::new(bin)
                .args(args)
                .env("KUBECONFIG", self.kubeconfig())
                .output()
                .unwrap(),
        )
    }

    /// kubectl's stdout, asserting success.
    pub fn kubectl_ok(&self, args: &[&str]) -> Option<String> {
        let out = self.kubectl(args)?;
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// The kubectl binary, or None (the test is then skipped) unless KTERM_REQUIRE_KUBECTL=1.
pub fn kubectl_bin() -> Option<PathBuf> {
    let found = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("KTERM_REQUIRE_KUBECTL").as_deref() != Ok("1"),
            "kubectl is required (KTERM_REQUIRE_KUBECTL=1) but not installed"
        );
        eprintln!("kubectl not found: test skipped");
    }
    found
}

/// Poll `f` until it returns Some, or panic with `what` after `secs` seconds.
pub fn eventually<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The first pod name (in `ns`) whose `kubectl get pods` line contains `needle`.
pub fn pod_with(sim: &TestSim, ns: &str, needle: &str) -> Option<String> {
    let out = sim.kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])?;
    out.lines()
        .find(|l| l.contains(needle))
        .and_then(|l| l.split_whitespace().next())
        .map(str::to_string)
}
