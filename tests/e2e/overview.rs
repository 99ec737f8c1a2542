//! The tenant health overview (issue 11): `--demo` lands on it with the tenants in trouble above
//! the healthy ones, enter drills into a tenant's pods with the problems first, esc comes back.

use super::{quote, Pane, KTERM};

/// The overview's row for `tenant` and `env`, if shown.
fn row<'a>(screen: &'a str, tenant: &str, env: &str) -> Option<(usize, &'a str)> {
    screen.lines().enumerate().find(|(_, l)| {
        l.contains(&format!("{tenant} {env}"))
            && ["UP", "DOWN", "DEGRADED", "AT RISK"]
                .iter()
                .any(|w| l.contains(w))
    })
}

#[test]
fn the_demo_lands_on_the_overview_and_drills_into_a_tenant() {
    // The older tests start on the pod table through KTERM_START_VIEW=pods; this one does not.
    let script = format!(
        "env -u KTERM_START_VIEW {} --demo; echo \"EXITED $?\"",
        quote(KTERM)
    );
    let pane = Pane::new("overview").run(200, 40, &script);
    // The Services arrive on their own watch, after the pods: wait for the reason they give.
    let screen = pane.wait_for("the overview with its tenants in trouble", |s| {
        s.contains("STATE")
            && s.contains("f7h4js production")
            && s.contains("t4k9pz production")
            && s.contains("m8q3rx production")
            && s.contains("Service smartclient-html-prd has no ready endpoint")
            && s.contains("│ live")
    });
    let line = |tenant: &str, env: &str| {
        row(&screen, tenant, env)
            .unwrap_or_else(|| pane.fail(&format!("no row {tenant} {env}"), &screen))
    };
    let (f7, f7_text) = line("f7h4js", "production");
    let (m8, m8_text) = line("m8q3rx", "production");
    let (t4, t4_text) = line("t4k9pz", "production");
    let (healthy, _) = line("c2a7dv", "homologation");
    pane.check(
        f7_text.contains("✖ DOWN"),
        "f7h4js production is DOWN",
        &screen,
    );
    pane.check(
        f7_text.contains("Service smartclient-html-prd has no ready endpoint"),
        "f7h4js's reason names its Service",
        &screen,
    );
    pane.check(
        m8_text.contains("✖ DOWN"),
        "m8q3rx's only rest-prd pod crash-loops",
        &screen,
    );
    pane.check(
        t4_text.contains("! DEGRADED"),
        "t4k9pz is OOM-killed",
        &screen,
    );
    pane.check(
        t4_text.contains("OOM-killed"),
        "t4k9pz's reason says OOM-killed",
        &screen,
    );
    pane.check(
        f7 < healthy && m8 < healthy && t4 < healthy,
        "the tenants in trouble are above the healthy ones",
        &screen,
    );
    // AT RISK needs the first metrics poll of the tenants on screen: p9d6ty's homologation
    // appserver sits at 94 % of its memory limit.
    let risk = pane.wait_for("p9d6ty homologation AT RISK", |s| {
        row(s, "p9d6ty", "homologation").is_some_and(|(_, l)| l.contains("▲ AT RISK"))
    });
    let at = |tenant: &str, env: &str| row(&risk, tenant, env).map_or(usize::MAX, |(i, _)| i);
    pane.check(
        at("p9d6ty", "homologation") < at("c2a7dv", "homologation"),
        "the tenant at risk is above the healthy ones",
        &risk,
    );

    // Select f7h4js production (rows may still move as watches fill in: the cursor follows its
    // row, so step down one row at a time until the reasons below name it) and drill in.
    let title = |s: &str| {
        s.lines()
            .find(|l| l.contains(" — "))
            .unwrap_or("")
            .to_string()
    };
    let index = |s: &str, what: &str| {
        s.lines()
            .position(|l| l.contains(what) && !l.contains(" — "))
    };
    for _ in 0..30 {
        let now = pane.screen();
        let selected = title(&now);
        if selected.contains("f7h4js production") {
            break;
        }
        let current = selected.split(" — ").next().unwrap_or("").to_string();
        let up = index(&now, "f7h4js production") < index(&now, &current);
        pane.keys(&[if up { "k" } else { "j" }]);
        let before = title(&now);
        pane.wait_for("the cursor moved", |s| title(s) != before);
    }
    pane.wait_for("f7h4js production selected", |s| {
        s.contains("f7h4js production — DOWN")
    });
    pane.keys(&["Enter"]);
    let pods = pane.wait_for("f7h4js's pods, problems first", |s| {
        s.contains("pods of ns/f7h4js, problems first")
    });
    let first = pods
        .lines()
        .find(|l| l.contains("-") && !l.contains("NAME") && !l.trim().is_empty())
        .unwrap_or("");
    pane.check(
        first.contains("smartclient-html-prd") && first.contains("0/1"),
        "the not-ready smartclient pod is the first row",
        &pods,
    );
    pane.keys(&["Escape"]);
    pane.wait_for("back on the overview", |s| {
        s.contains("f7h4js production — DOWN")
    });
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}
