//! Texts of the Protheus server processes: AppServer, DBAccess, LockServer, License Server.
//! Invented wording modelled on how those services report; nothing here is copied.

use super::content::{msg, Ctx, Lvl, Msg};
use super::util::{Clock, Rng};

pub const BUILD: &str = "7.00.210324P";

pub const USERS: &[&str] = &[
    "admin",
    "vendas01",
    "vendas02",
    "fiscal",
    "financeiro03",
    "compras",
    "estoque02",
    "rh.folha",
    "integracao",
    "contab01",
    "faturamento",
    "logistica",
];

/// (module, routine) pairs users run.
const PROGRAMS: &[(&str, &str)] = &[
    ("SIGAFAT", "MATA410"),
    ("SIGAFAT", "MATA461"),
    ("SIGAFIN", "FINA040"),
    ("SIGAFIN", "FINA070"),
    ("SIGACOM", "MATA121"),
    ("SIGAEST", "MATA240"),
    ("SIGAFIS", "MATA950"),
    ("SIGACTB", "CTBA102"),
    ("SIGAGPE", "GPEM020"),
    ("SIGAMDI", "MATA010"),
];

pub const TABLES: &[&str] = &[
    "SA1010", "SB1010", "SC5010", "SC6010", "SD2010", "SF2010", "SE1010", "SE2010", "CT2010",
    "SRA010", "SB2010", "SC7010",
];

/// Protheus field names drop the leading `S` of standard tables: SB1010 -> B1_FILIAL.
pub fn field_prefix(table: &str) -> &str {
    let alias = table.get(..3).unwrap_or(table);
    alias.strip_prefix('S').unwrap_or(alias)
}

/// How many banner lines a start-up crash gets through: it dies at the step that failed.
pub fn appserver_startup_keep(ctx: &Ctx) -> usize {
    match ctx.family % 3 {
        0 => 7,
        1 => 5,
        _ => 10,
    }
}

fn thread(rng: &mut Rng) -> u64 {
    rng.between(10_000, 64_000)
}

pub fn pod_ip(rng: &mut Rng) -> String {
    format!("10.42.{}.{}", rng.between(0, 7), rng.between(2, 250))
}

/// Resident memory of the AppServer: a slow wave plus a drift, a function of time only so a
/// line means the same thing whichever window of the log is generated.
pub fn appserver_mem(ctx: &Ctx, nanos: i64) -> u64 {
    let secs = ctx.uptime_secs(nanos) as f64;
    let phase = (ctx.family % 628) as f64 / 100.0;
    let drift = (secs / 86_400.0 * 0.05).min(0.1);
    let frac = 0.42 + 0.12 * (secs / 5_400.0 + phase).sin() + drift;
    (ctx.mem_limit_mb as f64 * frac) as u64
}

pub fn appserver_banner(ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    let ns = &ctx.ns;
    vec![
        msg(0, Lvl::Raw, format!("TOTVS - Build {BUILD} - Oct 14 2025 - 09:12:44 NG")),
        msg(5, Lvl::Raw, "Application Server (64 bits) - Linux x64 - Release 24.3.0.5"),
        msg(40, Lvl::Info, format!("[SERVER] Starting TOTVS Application Server (PID 1) on {}", ctx.pod)),
        msg(30, Lvl::Info, "[SERVER] Reading configuration file /totvs/protheus/bin/appserver/appserver.ini"),
        msg(60, Lvl::Info, "[SERVER] Environment P12 - RootPath /totvs/protheus_data - StartPath /system/ - RpoDb TOP - RpoLanguage portuguese"),
        msg(rng.between(400, 900), Lvl::Info, format!("[SERVER] RPO /totvs/protheus/apo/tttm120.rpo loaded (build {BUILD}) - {} functions", 48_000 + rng.below(900))),
        msg(80, Lvl::Info, format!("[SERVER] Connecting to DBAccess dbaccess.{ns}.svc.cluster.local:7890")),
        msg(rng.between(50, 300), Lvl::Info, format!("[SERVER] DBAccess connection established (POSTGRES/protheus_{ns})")),
        msg(40, Lvl::Info, format!("[SERVER] LockServer lockserver.{ns}.svc.cluster.local:5555 connected")),
        msg(rng.between(30, 200), Lvl::Info, format!("[SERVER] License Server licenseserver.{ns}.svc.cluster.local:5555 connected")),
        msg(20, Lvl::Info, "[SERVER] Http server is ready. Root path is /totvs/protheus_data/web"),
        msg(10, Lvl::Info, "[SERVER] TCP port 1234 (SmartClient) listening - multiprotocol enabled"),
        msg(15, Lvl::Info, format!("[SERVER] Application Server started successfully (MaxThreads 200, {} jobs)", rng.between(4, 14))),
    ]
}

pub fn appserver_line(ctx: &Ctx, clock: &Clock, nanos: i64, rng: &mut Rng) -> (Lvl, String) {
    let tid = thread(rng);
    let user = *rng.pick(USERS);
    let (module, routine) = *rng.pick(PROGRAMS);
    let roll = rng.below(100);
    match roll {
        0..=34 => (Lvl::Info, format!("[Thread {tid}] User {user} environment P12 program {module} routine {routine} company 01 branch 0{}01 started", rng.between(1, 4))),
        35..=54 => (Lvl::Info, format!("[Thread {tid}] User {user} program {module} finished - elapsed {}s", rng.between(2, 3_600))),
        55..=66 => (Lvl::Info, format!("[Thread {tid}] Connection from {} (SmartClient HTML 20.3.2) user {user} login OK", pod_ip(rng))),
        67..=78 => {
            let used = appserver_mem(ctx, nanos);
            let threads = busy_threads(clock.hour, rng);
            (Lvl::Info, format!("[SERVER] Memory statistics - in use {used} MB of {} MB, threads {threads}, connections {}", ctx.mem_limit_mb, threads + rng.below(10)))
        }
        79..=86 => (Lvl::Info, format!("[Thread {tid}] {routine} - record {} committed on {} in {} ms", rng.between(1, 999_999), rng.pick(TABLES), rng.between(3, 400))),
        87..=95 => appserver_warning(tid, user, module, rng),
        _ => appserver_error(tid, user, routine, clock, rng),
    }
}

/// Users are around during Brazilian business hours; nights are quiet.
fn busy_threads(hour: u32, rng: &mut Rng) -> u64 {
    let base = if (8..19).contains(&hour) { 60 } else { 6 };
    base + rng.below(base / 2 + 1)
}

fn appserver_warning(tid: u64, user: &str, module: &str, rng: &mut Rng) -> (Lvl, String) {
    let text = match rng.below(4) {
        0 => format!(
            "[Thread {tid}] User {user} idle for {} minutes - connection will be closed",
            rng.between(30, 90)
        ),
        1 => format!(
            "[Thread {tid}] Long query on {} took {} ms ({module})",
            rng.pick(TABLES),
            rng.between(3_000, 20_000)
        ),
        2 => format!(
            "[Thread {tid}] Function U_{} compiled with a different build in the RPO",
            rng.pick(&["MT410OK", "FA040GRV", "M461SER", "CTBGRV"])
        ),
        _ => format!(
            "[Thread {tid}] Lock on {} waited {} ms",
            rng.pick(TABLES),
            rng.between(1_000, 9_000)
        ),
    };
    (Lvl::Warn, text)
}

fn appserver_error(
    tid: u64,
    user: &str,
    routine: &str,
    clock: &Clock,
    rng: &mut Rng,
) -> (Lvl, String) {
    let (var, func, src) = *rng.pick(&[
        ("CCLIENTE", "U_MT410OK", "MT410OK.PRW"),
        ("NVALTOT", "U_FA040GRV", "FA040GRV.PRW"),
        ("ADADOS", "U_M461SER", "M461SER.PRW"),
    ]);
    let line = rng.between(20, 400);
    (Lvl::Error, format!("THREAD ERROR ([{tid}], {user}, {routine}) variable does not exist {var} on {func}({src}) {} line : {line}", clock.local))
}

pub fn appserver_oom(ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    let limit = ctx.mem_limit_mb;
    let tid = thread(rng);
    let user = *rng.pick(USERS);
    let mut out = vec![msg(95_000, Lvl::Warn, format!("[Thread {tid}] User {user} program SIGAFIS routine MATA950 - large array allocated in FISXAPUR ({} MB)", rng.between(300, 600)))];
    for i in 0..9u64 {
        let used = limit * (78 + i * 2) / 100 + rng.below(limit / 200 + 1);
        out.push(msg(
            (9 - i) * 9_000 + rng.below(3_000),
            Lvl::Warn,
            format!("[SERVER] Memory in use {used} MB of {limit} MB"),
        ));
    }
    out.push(msg(
        2_000,
        Lvl::Warn,
        "[SERVER] Garbage collector could not release memory - consider reducing MaxThreads",
    ));
    out.push(msg(
        400,
        Lvl::Warn,
        format!(
            "[SERVER] Memory in use {} MB of {limit} MB",
            limit * 98 / 100
        ),
    ));
    out
}

pub fn appserver_crash(ctx: &Ctx, code: i64, rng: &mut Rng) -> Vec<Msg> {
    let ns = &ctx.ns;
    let cause = match ctx.family % 3 {
        0 => format!("could not connect to DBAccess dbaccess.{ns}.svc.cluster.local:7890 (TOPCONN error -35: connection refused)"),
        1 => "RPO /totvs/protheus/apo/tttm120.rpo is corrupted or incompatible with this build".to_string(),
        _ => format!("no license available from licenseserver.{ns}.svc.cluster.local:5555 (slots in use 100/100)"),
    };
    vec![
        msg(
            2_500 + rng.below(500),
            Lvl::Error,
            format!("[SERVER] {cause}"),
        ),
        msg(
            900,
            Lvl::Error,
            "[SERVER] Called from SERVERSTARTUP(SRVSTART.PRX) line 212",
        ),
        msg(
            899,
            Lvl::Error,
            "[SERVER] Called from APPSRVINIT(APPSRV.PRX) line 88",
        ),
        msg(
            898,
            Lvl::Error,
            "[SERVER] Called from MAIN(APPMAIN.PRX) line 14",
        ),
        msg(
            50,
            Lvl::Fatal,
            format!("[SERVER] Application Server aborted - exit code {code}"),
        ),
    ]
}

pub fn dbaccess_banner(ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    let ns = &ctx.ns;
    vec![
        msg(0, Lvl::Raw, "DBAccess Build 24.1.0.2 - Linux x64 - Sep 30 2025"),
        msg(30, Lvl::Info, "Reading configuration /totvs/dbaccess/multi/dbaccess.ini"),
        msg(20, Lvl::Info, format!("Environment POSTGRES/protheus_{ns} configured (driver PostgreSQL Unicode)")),
        msg(rng.between(100, 800), Lvl::Info, format!("Connected to database POSTGRES protheus_{ns} at pg-{ns}.databases.svc:5432 (server 15.6)")),
        msg(15, Lvl::Info, "Listening on port 7890 (monitor port 7891)"),
        msg(10, Lvl::Info, "DBAccess ready - max connections 512"),
    ]
}

pub fn dbaccess_line(ctx: &Ctx, clock: &Clock, rng: &mut Rng) -> (Lvl, String) {
    let conn = rng.between(100, 9_999);
    let active = busy_threads(clock.hour, rng) * 2;
    match rng.below(100) {
        0..=34 => (
            Lvl::Info,
            format!(
                "Connection #{conn} opened from {} (appserver) env P12 - active {active}/512",
                pod_ip(rng)
            ),
        ),
        35..=64 => (
            Lvl::Info,
            format!(
                "Connection #{conn} closed - {} queries in {}s",
                rng.between(1, 4_000),
                rng.between(1, 7_200)
            ),
        ),
        65..=79 => (
            Lvl::Info,
            format!(
                "Statistics - active {active}/512, {} queries/s, avg {} ms",
                rng.between(20, 900),
                rng.between(1, 40)
            ),
        ),
        80..=96 => {
            let table = rng.pick(super::erp::TABLES);
            (Lvl::Warn, format!("Slow query ({} ms) on connection #{conn}: SELECT * FROM {table} WHERE D_E_L_E_T_ = ' ' AND {}_FILIAL = '0101'", rng.between(2_000, 30_000), field_prefix(table)))
        }
        _ => (
            Lvl::Error,
            format!(
                "Connection #{conn} lost - TOPCONN error -35 (client {} reset)",
                ctx.ns
            ),
        ),
    }
}

pub fn lockserver_banner(_ctx: &Ctx, rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(0, Lvl::Raw, format!("TOTVS LockServer - Build {BUILD}")),
        msg(30, Lvl::Info, "Loading lock table (hash size 65536)"),
        msg(
            rng.between(20, 200),
            Lvl::Info,
            "LockServer listening on port 5555",
        ),
    ]
}

pub fn lockserver_line(_ctx: &Ctx, rng: &mut Rng) -> (Lvl, String) {
    let table = rng.pick(TABLES);
    let recno = rng.between(1, 900_000);
    let tid = thread(rng);
    match rng.below(100) {
        0..=39 => (
            Lvl::Info,
            format!(
                "Lock granted {table} RECNO {recno} to thread {tid} ({})",
                rng.pick(USERS)
            ),
        ),
        40..=79 => (
            Lvl::Info,
            format!("Lock released {table} RECNO {recno} by thread {tid}"),
        ),
        80..=91 => (
            Lvl::Info,
            format!(
                "Statistics - {} locks held, {} waiting, {} clients",
                rng.between(10, 900),
                rng.between(0, 6),
                rng.between(2, 12)
            ),
        ),
        _ => (
            Lvl::Warn,
            format!(
                "Lock wait {} ms on {table} RECNO {recno} (held by thread {tid})",
                rng.between(1_000, 15_000)
            ),
        ),
    }
}

pub fn license_banner(ctx: &Ctx, _rng: &mut Rng) -> Vec<Msg> {
    vec![
        msg(0, Lvl::Raw, "TOTVS License Server Virtual - Release 3.6.2"),
        msg(
            40,
            Lvl::Info,
            format!("License contract for tenant {} loaded - 100 slots", ctx.ns),
        ),
        msg(
            25,
            Lvl::Info,
            "License server listening on port 5555 (http 8020)",
        ),
    ]
}

pub fn license_line(ctx: &Ctx, clock: &Clock, rng: &mut Rng) -> (Lvl, String) {
    let base = if (8..19).contains(&clock.hour) { 55 } else { 6 };
    let used = (base + rng.below(30)).min(100);
    let user = rng.pick(USERS);
    let (module, _) = *rng.pick(PROGRAMS);
    match rng.below(100) {
        0..=39 => (
            Lvl::Info,
            format!("License granted to {user} module {module} - slots in use {used}/100"),
        ),
        40..=74 => (
            Lvl::Info,
            format!(
                "License released by {user} module {module} - slots in use {}/100",
                used.saturating_sub(1)
            ),
        ),
        75..=95 => (
            Lvl::Info,
            format!("License server {} - slots in use {used}/100", ctx.ns),
        ),
        _ => (
            Lvl::Warn,
            format!("Slots in use {used}/100 - contract usage above 90% in the last hour"),
        ),
    }
}
