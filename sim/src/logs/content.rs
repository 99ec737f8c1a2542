//! What a container "writes": the service kind, its line prefix style, and the dispatch to the
//! per-kind texts in `erp` (server processes) and `web` (HTTP front ends, jobs, generic).

use super::util::{Clock, Rng, NANOS};
use super::{erp, web};
use std::fmt::Write;

/// Which program runs in the container; decides the wording and rhythm of its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    AppServer,
    DbAccess,
    LockServer,
    LicenseServer,
    SmartClient,
    Rest,
    Updater,
    Init,
    Generic,
}

impl Kind {
    /// Recognises a kind from a label value, container name or image reference.
    pub fn from_word(word: &str) -> Option<Kind> {
        let w = word.to_ascii_lowercase();
        let table: [(&str, Kind); 9] = [
            ("appserver", Kind::AppServer),
            ("dbaccess", Kind::DbAccess),
            ("lockserver", Kind::LockServer),
            ("licenseserver", Kind::LicenseServer),
            ("license", Kind::LicenseServer),
            ("smartclient", Kind::SmartClient),
            ("upddistr", Kind::Updater),
            ("updater", Kind::Updater),
            ("rest", Kind::Rest),
        ];
        table
            .iter()
            .find(|(k, _)| w.contains(k))
            .map(|(_, kind)| *kind)
    }

    /// Milliseconds between two lines: each service has its own rhythm (1–3 s on average).
    pub fn gap_ms(self) -> (u64, u64) {
        match self {
            Kind::AppServer | Kind::SmartClient | Kind::Rest => (900, 2400),
            Kind::DbAccess => (1000, 2600),
            Kind::LockServer | Kind::Generic => (1200, 3000),
            Kind::LicenseServer | Kind::Updater | Kind::Init => (1800, 3000),
        }
    }
}

/// How an instance ended, read from `state.terminated` / `lastState.terminated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    OomKilled,
    Crash(i64),
    /// Exit 0: a finished job, or a server stopped cleanly.
    Completed,
    /// SIGTERM (143): graceful shutdown messages.
    Terminated,
    /// SIGKILL (137) without OOM: the log just stops.
    Killed,
}

impl Ending {
    pub fn from_status(reason: &str, exit_code: i64) -> Ending {
        match (reason, exit_code) {
            ("OOMKilled", _) => Ending::OomKilled,
            (_, 0) => Ending::Completed,
            (_, 143) => Ending::Terminated,
            (_, 137) => Ending::Killed,
            (_, code) => Ending::Crash(code),
        }
    }
}

/// Everything the texts depend on; all of it comes from the pod, so output is deterministic.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub kind: Kind,
    pub ns: String,
    pub pod: String,
    /// Seed of this container across restarts: a crash loop repeats the same cause.
    pub family: u64,
    pub mem_limit_mb: u64,
    pub start: i64,
    pub end: Option<(i64, Ending)>,
    /// Lines the program prints verbatim right after its banner (`sim.kterm.io/log-lines`).
    pub extra_lines: Vec<String>,
    /// Period in nanoseconds at which they are printed again (`sim.kterm.io/log-lines-every`).
    pub extra_every: Option<i64>,
}

impl Ctx {
    pub fn uptime_secs(&self, nanos: i64) -> i64 {
        (nanos - self.start).max(0) / NANOS
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lvl {
    /// Banner lines printed without any prefix.
    Raw,
    Info,
    Warn,
    Error,
    Fatal,
}

/// A message whose time is decided by the timeline: `ms` is the delay after the previous banner
/// line, or the distance before the end for epilogue lines.
pub struct Msg {
    pub ms: u64,
    pub lvl: Lvl,
    pub text: String,
}

pub fn msg(ms: u64, lvl: Lvl, text: impl Into<String>) -> Msg {
    Msg {
        ms,
        lvl,
        text: text.into(),
    }
}

fn tag(lvl: Lvl) -> &'static str {
    match lvl {
        Lvl::Raw | Lvl::Info => "INFO ",
        Lvl::Warn => "WARN ",
        Lvl::Error => "ERROR",
        Lvl::Fatal => "FATAL",
    }
}

/// Writes the kind's line prefix (time and level), as each real program formats it.
pub fn prefix(out: &mut String, kind: Kind, clock: &Clock, nanos: i64, lvl: Lvl) {
    if lvl == Lvl::Raw {
        return;
    }
    let t = tag(lvl);
    let _ = match kind {
        Kind::AppServer => write!(out, "[{t}][{}] ", clock.local_ms(nanos)),
        Kind::DbAccess => write!(out, "{} [DBACCESS] [{t}] ", clock.local_ms(nanos)),
        Kind::LockServer => write!(out, "{} [LOCKSERVER] [{t}] ", clock.local_ms(nanos)),
        Kind::LicenseServer => write!(out, "[{}] [LICENSE] {t} ", clock.local),
        Kind::SmartClient => write!(out, "{} [{}] 1#1: ", clock.slash, nginx_level(lvl)),
        Kind::Rest => write!(out, "{} {t} [REST] ", clock.iso_ms(nanos)),
        Kind::Updater => write!(out, "{} [{t}] ", clock.local),
        Kind::Init => write!(out, "{} ", clock.local),
        Kind::Generic => write!(
            out,
            "{}.{:03}Z {t} ",
            clock.utc,
            (nanos.rem_euclid(NANOS) / 1_000_000)
        ),
    };
}

fn nginx_level(lvl: Lvl) -> &'static str {
    match lvl {
        Lvl::Raw | Lvl::Info => "notice",
        Lvl::Warn => "warn",
        Lvl::Error => "error",
        Lvl::Fatal => "emerg",
    }
}

/// Startup lines of a fresh container.
pub fn banner(ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    match ctx.kind {
        Kind::AppServer => erp::appserver_banner(ctx, rng),
        Kind::DbAccess => erp::dbaccess_banner(ctx, rng),
        Kind::LockServer => erp::lockserver_banner(ctx, rng),
        Kind::LicenseServer => erp::license_banner(ctx, rng),
        Kind::SmartClient => web::smartclient_banner(ctx, rng),
        Kind::Rest => web::rest_banner(ctx, rng),
        Kind::Updater => web::updater_banner(ctx, rng),
        Kind::Init => web::init_banner(ctx, rng),
        Kind::Generic => web::generic_banner(ctx, rng),
    }
}

/// A crash this soon after start is a failed start-up: no regular lines, a cut banner.
pub const STARTUP_CRASH_NANOS: i64 = 120 * NANOS;

/// Banner lines printed before a failed start-up died.
pub fn startup_keep(ctx: &Ctx) -> usize {
    match ctx.kind {
        Kind::AppServer => erp::appserver_startup_keep(ctx),
        _ => 2,
    }
}

/// One ordinary line at `nanos`, appended to `out` without the newline.
pub fn regular(out: &mut String, ctx: &Ctx, clock: &Clock, nanos: i64, rng: &mut Rng) {
    if ctx.kind == Kind::SmartClient {
        web::smartclient_access(out, ctx, clock, nanos, rng);
        return;
    }
    let (lvl, text) = match ctx.kind {
        Kind::AppServer => erp::appserver_line(ctx, clock, nanos, rng),
        Kind::DbAccess => erp::dbaccess_line(ctx, clock, rng),
        Kind::LockServer => erp::lockserver_line(ctx, rng),
        Kind::LicenseServer => erp::license_line(ctx, clock, rng),
        Kind::Rest => web::rest_line(ctx, rng),
        Kind::Updater => web::updater_line(ctx, nanos, rng),
        Kind::Init => web::init_line(ctx, rng),
        Kind::SmartClient | Kind::Generic => web::generic_line(ctx, rng),
    };
    prefix(out, ctx.kind, clock, nanos, lvl);
    out.push_str(&text);
}

/// Last lines before the process ended, oldest first, timed relative to the end.
pub fn epilogue(ctx: &Ctx, ending: Ending, rng: &mut Rng) -> Vec<Msg> {
    match (ending, ctx.kind) {
        (Ending::Killed, _) => Vec::new(),
        (Ending::OomKilled, Kind::AppServer) => erp::appserver_oom(ctx, rng),
        (Ending::OomKilled, _) => memory_pressure(ctx, rng),
        (Ending::Crash(code), Kind::AppServer) => erp::appserver_crash(ctx, code, rng),
        (Ending::Crash(code), Kind::Updater) => web::updater_failure(ctx, code, rng),
        (Ending::Crash(code), _) => generic_crash(ctx, code, rng),
        (Ending::Completed, Kind::Updater) => web::updater_success(ctx, rng),
        (Ending::Completed, Kind::Init) => vec![msg(
            200,
            Lvl::Info,
            "init finished, starting main container",
        )],
        (Ending::Completed | Ending::Terminated, _) => shutdown(ctx, rng),
    }
}

/// Memory climbing towards the limit: what the last minute of an OOM-killed process shows.
pub fn memory_pressure(ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    let limit = ctx.mem_limit_mb;
    let steps = 8u64;
    (0..steps)
        .map(|i| {
            let used = limit * (80 + i * 2) / 100 + rng.below(limit / 100 + 1);
            let ms = (steps - i) * 7_000 + rng.below(2_000);
            msg(
                ms,
                Lvl::Warn,
                format!("Memory in use {used} MB of {limit} MB"),
            )
        })
        .collect()
}

fn generic_crash(ctx: &Ctx, code: i64, rng: &mut Rng) -> Vec<Msg> {
    let peer = *rng.pick(&["dbaccess", "lockserver", "licenseserver", "appserver"]);
    vec![
        msg(
            1_500,
            Lvl::Error,
            format!("connection to {peer}.{}.svc.cluster.local refused", ctx.ns),
        ),
        msg(
            900,
            Lvl::Error,
            format!("giving up after 5 attempts to reach {peer}"),
        ),
        msg(
            10,
            Lvl::Fatal,
            format!("process exiting with status {code}"),
        ),
    ]
}

fn shutdown(ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    let busy = rng.between(0, 12);
    vec![
        msg(4_000, Lvl::Info, "Received SIGTERM - shutting down"),
        msg(
            3_000,
            Lvl::Info,
            format!("Waiting for {busy} active sessions to finish"),
        ),
        msg(120, Lvl::Info, format!("{} stopped", ctx.pod)),
    ]
}
