//! Texts of the HTTP front ends (SmartClient HTML, REST), the update jobs, init containers and
//! anything unrecognised.

use super::content::{msg, Ctx, Ending, Lvl, Msg};
use super::erp::{field_prefix, BUILD, TABLES, USERS};
use super::util::{Clock, Rng, NANOS};
use std::fmt::Write;

pub fn smartclient_banner(_ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(0, Lvl::Info, "using the \"epoll\" event method"),
        msg(2, Lvl::Info, "nginx/1.26.2"),
        msg(1, Lvl::Info, "start worker processes"),
        msg(
            rng.between(200, 900),
            Lvl::Info,
            format!("SmartClient HTML {BUILD} webapp ready on :8080 (/webapp)"),
        ),
    ]
}

const ASSETS: &[(&str, u64)] = &[
    ("/webapp/", 1_532),
    ("/webapp/static/js/main.4f2a91c.js", 812_344),
    ("/webapp/static/css/app.77b1.css", 64_210),
    ("/webapp/favicon.ico", 4_286),
    ("/webapp/api/session", 312),
    ("/webapp/images/totvs-logo.svg", 9_870),
];

const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
];

/// An nginx "combined" access log line plus the request time, as the web client's proxy logs.
pub fn smartclient_access(out: &mut String, _ctx: &Ctx, clock: &Clock, _nanos: i64, rng: &mut Rng) {
    let ip = format!(
        "189.{}.{}.{}",
        rng.between(1, 120),
        rng.below(256),
        rng.between(1, 254)
    );
    let agent = rng.pick(AGENTS);
    let roll = rng.below(100);
    let (method, path, code, bytes) = match roll {
        0..=14 => ("GET", "/webapp/websocket", 101, 0),
        15..=92 => {
            let (p, b) = *rng.pick(ASSETS);
            let cached = rng.chance(400);
            (
                "GET",
                p,
                if cached { 304 } else { 200 },
                if cached { 0 } else { b },
            )
        }
        93..=97 => ("POST", "/webapp/api/login", 200, 418),
        98 => ("GET", "/webapp/config.json", 404, 153),
        _ => ("GET", "/webapp/websocket", 502, 157),
    };
    let rt = rng.between(1, 900);
    let _ = write!(
        out,
        "{ip} - - [{}] \"{method} {path} HTTP/1.1\" {code} {bytes} \"-\" \"{agent}\" 0.{rt:03}",
        clock.access
    );
}

pub fn rest_banner(ctx: &Ctx, _rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(
            0,
            Lvl::Raw,
            format!("TOTVS - Build {BUILD} - REST/HTTP server"),
        ),
        msg(
            50,
            Lvl::Info,
            format!(
                "HTTP REST server starting for tenant {} on port 8080",
                ctx.ns
            ),
        ),
        msg(
            300,
            Lvl::Info,
            "Registered 214 REST services (WSRESTFUL) - swagger at /rest/api/framework/v1/swagger",
        ),
        msg(20, Lvl::Info, "REST server ready"),
    ]
}

const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/rest/api/fat/v1/pedidos?page=2&pageSize=50"),
    ("POST", "/rest/api/fat/v1/pedidos"),
    ("GET", "/rest/api/crm/v1/customers/000123"),
    ("GET", "/rest/api/fin/v1/titulos?status=aberto"),
    ("PUT", "/rest/api/est/v1/produtos/PA0001"),
    ("GET", "/rest/WSRESTFUL/PRODUTOS"),
    ("GET", "/rest/api/framework/v1/health"),
];

pub fn rest_line(ctx: &Ctx, rng: &mut Rng) -> (Lvl, String) {
    let (method, path) = *rng.pick(ENDPOINTS);
    let user = if rng.chance(600) {
        "integracao"
    } else {
        *rng.pick(USERS)
    };
    let roll = rng.below(1000);
    let (lvl, status) = match roll {
        0..=899 => (Lvl::Info, if method == "POST" { 201 } else { 200 }),
        900..=939 => (Lvl::Warn, 400),
        940..=969 => (Lvl::Warn, 401),
        970..=989 => (Lvl::Warn, 404),
        _ => (Lvl::Error, 500),
    };
    let ms = if status == 500 {
        rng.between(5_000, 30_000)
    } else {
        rng.between(4, 1_800)
    };
    let mut text = format!(
        "{method} {path} {status} {ms}ms user={user} tenant={}",
        ctx.ns
    );
    if status == 500 {
        let _ = write!(text, " error=\"TOPCONN error -2 on {}\"", rng.pick(TABLES));
    }
    (lvl, text)
}

const STEPS: &[&str] = &[
    "backing up dictionary (SX2/SX3/SIX)",
    "validating package 12.1.2410",
    "updating SX2 (tables)",
    "updating SX3 (fields)",
    "updating SIX (indexes)",
    "converting table SA1010 (clientes)",
    "converting table SB1010 (produtos)",
    "converting table SC5010 (pedidos de venda)",
    "converting table SD2010 (itens de NF de saida)",
    "converting table SE1010 (titulos a receber)",
    "rebuilding indexes",
    "updating RPO and finishing",
];

fn step_total() -> u64 {
    STEPS.len() as u64
}

/// The step the job fails at, if it fails: fixed per container so reruns fail alike.
fn fail_step(ctx: &Ctx) -> u64 {
    6 + ctx.family % 6
}

/// Nanoseconds per step: a running job advances 5 minutes a step; a finished one is stretched so
/// its steps fit between start and end.
fn step_len(ctx: &Ctx) -> i64 {
    let five_min = 300 * NANOS;
    match ctx.end {
        Some((end, Ending::Completed)) => ((end - ctx.start) / step_total() as i64).max(NANOS),
        Some((end, _)) => ((end - ctx.start) * 2 / (2 * fail_step(ctx) as i64 - 1)).max(NANOS),
        None => five_min,
    }
}

pub fn updater_banner(ctx: &Ctx, _rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(
            0,
            Lvl::Info,
            format!("UPDDISTR - TOTVS update distribution - Build {BUILD}"),
        ),
        msg(
            40,
            Lvl::Info,
            format!(
                "UPDDISTR - tenant {} - environment P12 - package 12.1.2410",
                ctx.ns
            ),
        ),
        msg(
            300,
            Lvl::Info,
            "UPDDISTR - exclusive mode acquired, users locked out",
        ),
    ]
}

pub fn updater_line(ctx: &Ctx, nanos: i64, rng: &mut Rng) -> (Lvl, String) {
    let len = step_len(ctx);
    let done = (nanos - ctx.start).max(0);
    // A run without an end (`behavior: hang`) that has gone through every step waits on a lock.
    if ctx.end.is_none() && (done / len) as u64 >= step_total() {
        let table = rng.pick(TABLES);
        return (
            Lvl::Warn,
            format!(
                "UPDDISTR - step {0}/{0} - waiting for exclusive lock on {table} (held by another session), retrying",
                step_total()
            ),
        );
    }
    let step = ((done / len) as u64).min(step_total() - 1);
    let within = ((done % len) * 100 / len).clamp(0, 99) as u64;
    let total = 20_000 + (ctx.family >> 8) % 400_000 + step * 1_337;
    let records = total * within / 100;
    let name = STEPS[step as usize % STEPS.len()];
    if rng.chance(60) {
        let table = rng.pick(TABLES);
        return (
            Lvl::Warn,
            format!(
                "UPDDISTR - step {}/{} - field {}_XOBS size changed 250 -> 500, data kept",
                step + 1,
                step_total(),
                field_prefix(table)
            ),
        );
    }
    (
        Lvl::Info,
        format!(
            "UPDDISTR - step {}/{} - {name}: {records}/{total} records ({within}%)",
            step + 1,
            step_total()
        ),
    )
}

pub fn updater_success(_ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(
            2_000,
            Lvl::Info,
            format!(
                "UPDDISTR - step {0}/{0} - updating RPO and finishing: done",
                step_total()
            ),
        ),
        msg(
            800,
            Lvl::Info,
            format!(
                "UPDDISTR - {} tables converted, 0 errors",
                rng.between(40, 120)
            ),
        ),
        msg(
            100,
            Lvl::Info,
            "UPDDISTR - update finished successfully, exclusive mode released",
        ),
    ]
}

pub fn updater_failure(ctx: &Ctx, code: i64, _rng: &mut Rng) -> Vec<Msg> {
    let step = fail_step(ctx);
    let name = STEPS[(step as usize - 1) % STEPS.len()];
    let table = name.split_whitespace().nth(2).unwrap_or("SC5010");
    let n = step_total();
    vec![
        msg(3_000, Lvl::Error, format!("UPDDISTR - step {step}/{n} - {name}: TOPCONN error -19 - duplicate key value violates unique constraint \"{}_unq\"", table.to_lowercase())),
        msg(2_000, Lvl::Error, format!("UPDDISTR - conversion of {table} aborted, rolling back")),
        msg(500, Lvl::Error, format!("UPDDISTR - update FAILED at step {step}/{n} - see /totvs/protheus_data/system/upddistr_{}.log", ctx.ns)),
        msg(10, Lvl::Fatal, format!("UPDDISTR - exit code {code}")),
    ]
}

pub fn init_banner(ctx: &Ctx, _rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(
            0,
            Lvl::Info,
            format!("waiting for dbaccess.{}.svc.cluster.local:7890", ctx.ns),
        ),
        msg(1_500, Lvl::Info, "dbaccess is up"),
        msg(40, Lvl::Info, "rendering appserver.ini from template"),
    ]
}

pub fn init_line(ctx: &Ctx, _rng: &mut Rng) -> (Lvl, String) {
    (
        Lvl::Info,
        format!(
            "waiting for licenseserver.{}.svc.cluster.local:5555",
            ctx.ns
        ),
    )
}

pub fn generic_banner(ctx: &Ctx, _rng: &mut Rng) -> Vec<Msg> {
    vec![msg(0, Lvl::Info, format!("starting {}", ctx.pod))]
}

pub fn generic_line(_ctx: &Ctx, rng: &mut Rng) -> (Lvl, String) {
    match rng.below(10) {
        0..=6 => (
            Lvl::Info,
            format!("heartbeat ok ({} ms)", rng.between(1, 40)),
        ),
        7 | 8 => (
            Lvl::Info,
            format!("metrics flushed: {} series", rng.between(100, 2_000)),
        ),
        _ => (
            Lvl::Warn,
            format!("slow upstream response ({} ms)", rng.between(1_000, 5_000)),
        ),
    }
}
