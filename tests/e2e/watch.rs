//! Watches recover by themselves: a list on screen comes back live after the API server
//! restarts with a fresh history (the same address, none of the old resourceVersions).

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::PostParams;
use kube::{Api, Client, Config};

use super::{kterm_then_status, quote, start_sim, Pane, Sim};

/// Creates deployment `name` in namespace `default` of `sim`, through its kubeconfig.
fn create_deployment(sim: &Sim, name: &str) {
    let deployment: Deployment = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
            }
        }
    }))
    .expect("a deployment");
    sim.runtime.block_on(async {
        let kubeconfig = kube::config::Kubeconfig::read_from(sim.kubeconfig()).expect("kubeconfig");
        let config = Config::from_custom_kubeconfig(kubeconfig, &Default::default())
            .await
            .expect("config");
        let client = Client::try_from(config).expect("client");
        Api::<Deployment>::namespaced(client, "default")
            .create(&PostParams::default(), &deployment)
            .await
            .expect("create the deployment");
    });
}

#[test]
fn a_deploy_list_is_live_again_after_the_server_restarts() {
    let pane = Pane::new("restart");
    let kubeconfig = pane.dir().join("kubeconfig");
    let sim = start_sim(kterm_sim::SimOpts {
        kubeconfig: Some(kubeconfig.clone()),
        ..Default::default()
    });
    let port: u16 = sim
        .url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("the simulator's port");
    let args = format!("--kubeconfig {} -A", quote(&kubeconfig.to_string_lossy()));
    let pane = pane.run(120, 40, &kterm_then_status(&args));
    pane.wait_for("the pods listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&[":"]);
    pane.keys(&["-l", "deploy"]);
    pane.keys(&["Enter"]);
    pane.wait_for("the deployment list, live", |s| {
        s.contains(" deployments") && s.contains("│ live")
    });
    // Only this test's deployments, so they are on screen whatever the list's length.
    create_deployment(&sim, "before-restart");
    pane.keys(&["/"]);
    pane.keys(&["-l", "restart"]);
    pane.keys(&["Enter"]);
    pane.wait_text("before-restart");

    // Down: the runtime goes with the server, so every open watch connection drops too.
    drop(sim);
    let screen = pane.wait_text("retrying");
    pane.check(
        screen.contains("before-restart"),
        "the list stays on screen while the server is down",
        &screen,
    );

    // Up again on the same port with a fresh store: a deployment made now shows up, and the one
    // the new server never had goes (a re-watch from the old resourceVersion would keep it).
    let sim = start_sim(kterm_sim::SimOpts {
        port,
        kubeconfig: Some(kubeconfig.clone()),
        ..Default::default()
    });
    create_deployment(&sim, "after-restart");
    let screen = pane.wait_for("the new deployment, and the list live again", |s| {
        s.contains("after-restart")
            && !s.contains("before-restart")
            && s.contains("│ live")
            && !s.contains("retrying")
    });
    pane.check(
        screen.contains("1 of ") && screen.contains(" deployments"),
        "still the filtered deployment list",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

/// `--rbac tenant`, `-A` and no config: the cluster-wide watch is refused, then the context's
/// namespace too; that watch stops with one sentence instead of retrying for good, and
/// `:ns NAME` brings a readable tenant in.
#[test]
fn tenant_rbac_all_namespaces_without_config_stops_the_refused_watch() {
    let sim = start_sim(kterm_sim::SimOpts {
        rbac: kterm_sim::RbacProfile::Tenant,
        ..Default::default()
    });
    let args = format!(
        "--kubeconfig {} -A",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = Pane::new("refused").run(120, 40, &kterm_then_status(&args));
    let screen = pane.wait_text("so kterm stopped watching it");
    pane.check(
        screen.contains("You may not list pods in namespace default")
            && screen.contains(":ns NAME adds a namespace you can read")
            && !screen.contains("retrying"),
        "one sentence names the refused namespace and what to do; nothing retries",
        &screen,
    );
    pane.keys(&[":"]);
    pane.keys(&["-l", "ns c2a7dv"]);
    pane.keys(&["Enter"]);
    pane.wait_for("c2a7dv's pods, live", |s| {
        s.contains("appserver-prd-") && s.contains("│ live") && !s.contains("retrying")
    });
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}
