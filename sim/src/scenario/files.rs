//! What an operator finds inside the Protheus containers: the shared volume's flags and logs, the RPO
//! directory, the ini files and the `init-upddistr` script the runbooks tell them to run.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use super::topology::{Env, Tenant, ENVS};
use super::SandboxFile;

/// Pods that mount the shared volume and see the migration's traces.
const VOLUME_APPS: [&str; 4] = ["appserver", "dbaccess", "upddistr", "protheus-updater"];
/// Pods that carry the RPO (the compiled program repository) and may run a migration.
const RPO_APPS: [&str; 3] = ["appserver", "upddistr", "protheus-updater"];

fn file(
    namespace: Option<&str>,
    selector: String,
    path: &str,
    content: String,
    mode: u32,
) -> SandboxFile {
    SandboxFile {
        namespace: namespace.map(str::to_string),
        selector: Some(selector),
        path: path.into(),
        content,
        mode,
    }
}

fn dir(namespace: Option<&str>, selector: String, path: &str) -> SandboxFile {
    file(namespace, selector, path, String::new(), 0o755)
}

/// The flag files a finished migration step leaves, per environment; appservers wait for them.
pub(super) fn flag_names(e: &Env) -> [String; 2] {
    [
        format!("upddistr.{}.ok", e.protheus),
        format!("rup.{}.ok", e.protheus),
    ]
}

pub(super) fn appserver_ini(e: &Env) -> String {
    let (env, sfx) = (e.protheus, e.suffix);
    format!(
        "[General]\nMaxStringSize=10\nConsoleLog=1\nConsoleFile=/volume/logs/console-{sfx}.log\n\
         InactiveTimeout=3600\n\n[Drivers]\nActive=TCP\n\n[TCP]\nTYPE=TCPIP\nPort=1234\n\n\
         [{env}]\nSourcePath=/protheus/apo\nRootPath=/volume/protheus_data\nStartPath=/system/\n\
         RpoDb=TOP\nRpoLanguage=Portuguese\nRpoVersion=120\nLocalFiles=CTREE\nTrace=0\n\
         DBDataBase=POSTGRES\nDBServer=dbaccess-{sfx}\nDBAlias=protheus_{sfx}\nDBPort=7890\n\
         TopMemoMega=1\nRegionalLanguage=BRA\n\n\
         [LicenseClient]\nServer=licenseserver-{sfx}\nPort=5555\n\n\
         [LockServer]\nEnable=1\nServer=lockserver-{sfx}\nPort=2234\n\n\
         [HTTPV11]\nEnable=1\nSockets=HTTPREST\n\n[HTTPREST]\nPort=8181\nURIs=HTTPURI\nSecurity=1\n\n\
         [HTTPURI]\nURL=/rest\nPrepareIn=All\nInstances=1,5,1,1\nCORSEnable=0\nEnvironment={env}\n\n\
         [WebApp]\nPort=8080\nEnvironment={env}\n"
    )
}

pub(super) fn dbaccess_ini(e: &Env) -> String {
    let sfx = e.suffix;
    format!(
        "[General]\nLicenseServer=licenseserver-{sfx}\nLicensePort=5555\nPort=7890\nThreadMin=10\n\
         ThreadMax=200\nConsoleLog=1\nLogFile=/volume/logs/dbaccess-{sfx}.log\n\n\
         [POSTGRES]\nEnvironments=protheus_{sfx}\nClientLibrary=/usr/lib64/psqlodbcw.so\n\n\
         [POSTGRES/protheus_{sfx}]\nServer=postgres-{sfx}.db.internal\nDatabase=protheus_{sfx}\n\
         User=${{DB_USER}}\nPassword=${{DB_PASSWORD}}\nTableSpace=protheus_data\n"
    )
}

/// Kept POSIX-sh so it runs under whatever shell the sandbox offers. Run by hand (runbook: "executar o
/// init-upddistr diretamente dentro do pod", after copying a patched RPO) it migrates again even where
/// flags exist, and appends what it prints to the volume's log as the nightly runs do.
const INIT_UPDDISTR: &str = r#"#!/bin/sh
# init-upddistr: dictionary migration (UPDDISTR) and RUPs of one Protheus environment.
# Each finished step leaves a flag in /volume/flags; appservers wait for them before starting.
# Environment: the first argument, else $ENVIRONMENT, else producao (the updater serves both).
set -e
case "${1:-${ENVIRONMENT:-producao}}" in
  producao|production|prd) ENVIRONMENT=producao SFX=prd ;;
  homologacao|homologation|hml) ENVIRONMENT=homologacao SFX=hml ;;
  *) echo "init-upddistr: unknown environment '$1'; use producao or homologacao" >&2; exit 2 ;;
esac
FLAGS=/volume/flags
LOG=/volume/logs/UPDDISTR.LOG
mkdir -p "$FLAGS" /volume/logs
say() {
  # São Paulo time without tzdata: UTC-3, no DST since 2019.
  line="$(TZ=BRT3 date '+%Y-%m-%d %H:%M:%S') [$1] $2"
  echo "$line"
  echo "$line" >> "$LOG"
}
say "INFO " "UPDDISTR - execucao manual - ambiente $ENVIRONMENT - tenant ${TENANT:-desconhecido}"
for rpo in /protheus/apo/*.rpo; do
  if [ -f "$rpo" ]; then say "INFO " "RPO $rpo ($(wc -c < "$rpo") bytes)"; fi
done
say "INFO " "Conectando ao DBAccess dbaccess-$SFX:7890 (POSTGRES/protheus_$SFX) ... OK"
say "INFO " "Licenca obtida em licenseserver-$SFX:5555 (slot 1/1)"
say "INFO " "Lendo pacote de atualizacao /protheus/apo/sdfbra.txt (dicionario 12.1.x)"
say "INFO " "SX2 (tabelas): 1843 registros atualizados"
say "INFO " "SX3 (campos): 51237 registros atualizados"
say "INFO " "SIX (indices): 9921 registros atualizados"
touch "$FLAGS/upddistr.$ENVIRONMENT.ok"
say "INFO " "Flag criada: $FLAGS/upddistr.$ENVIRONMENT.ok"
say "INFO " "Executando RUPs: RUP_FAT RUP_FIN RUP_EST RUP_COM ... OK"
touch "$FLAGS/rup.$ENVIRONMENT.ok"
say "INFO " "Flag criada: $FLAGS/rup.$ENVIRONMENT.ok"
say "INFO " "UPDDISTR finalizado com sucesso (ambiente $ENVIRONMENT)"
"#;

/// Text stands in for the binary RPO: the sandbox only needs files that can be listed, copied and replaced.
fn rpo(name: &str, release: &str) -> String {
    format!("TOTVS RPO {name}\nrelease={release}\nlanguage=portuguese\nbuild=20240517-1412\nfunctions=48213\n")
}

/// Local time of the platform (São Paulo has had no DST since 2019, so a fixed offset is exact).
fn local(t: DateTime<Utc>) -> String {
    let brt = FixedOffset::west_opt(3 * 3600)
        .map(|o| t.with_timezone(&o).format("%Y-%m-%d %H:%M:%S").to_string());
    brt.unwrap_or_else(|| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// One environment's run; `night` counts back from the latest run (0), whose pack created new fields.
fn migration_lines(
    log: &mut Vec<String>,
    t: &Tenant,
    e: &Env,
    start: DateTime<Utc>,
    fails: bool,
    night: i64,
) {
    let sfx = e.suffix;
    let mut line = |secs: i64, level: &str, text: String| {
        log.push(format!(
            "{} [{level:<5}] {text}",
            local(start + Duration::seconds(secs))
        ));
    };
    line(
        0,
        "INFO",
        format!(
            "UPDDISTR - Protheus {} - ambiente {} - tenant {}",
            t.release, e.protheus, t.code
        ),
    );
    line(
        1,
        "INFO",
        format!("Conectando ao DBAccess dbaccess-{sfx}:7890 (POSTGRES/protheus_{sfx}) ... OK"),
    );
    line(
        2,
        "INFO",
        format!("Licenca obtida em licenseserver-{sfx}:5555 (slot 1/1)"),
    );
    line(
        4,
        "INFO",
        "Lendo pacote de atualizacao /protheus/apo/sdfbra.txt (dicionario 12.1.x)".into(),
    );
    line(
        38,
        "INFO",
        "SX2 (tabelas): 1843 registros atualizados".into(),
    );
    if night > 0 {
        // Earlier packs changed existing fields only.
        let n = 51237 - 131 * night;
        line(
            131,
            "INFO",
            format!("SX3 (campos): {n} registros atualizados"),
        );
    } else {
        line(
            131,
            "INFO",
            "SX3 (campos): 51237 registros atualizados, 112 novos".into(),
        );
        line(140, "INFO", "SA1010: campo A1_XSEGMT criado (C,6)".into());
        line(152, "INFO", "SC5010: campo C5_XPEDWEB criado (C,20)".into());
    }
    if fails {
        line(167, "INFO", "SIX (indices): recriando SE1010 ...".into());
        line(
            171,
            "ERROR",
            "Falha ao criar indice SE1010 (SE1010_UNQ): ERROR: could not create unique index \"se1010_unq\" \
             DETAIL: Key (e1_filial, e1_prefixo, e1_num, e1_parcela, e1_tipo, d_e_l_e_t_, r_e_c_d_e_l_)=\
             (01, NF , 000123456,  , NF , , 0) is duplicated."
                .into(),
        );
        line(
            171,
            "ERROR",
            "Tabelas pendentes: SE1010, SE2010. Flags de controle NAO criadas.".into(),
        );
        line(
            172,
            "FATAL",
            format!("UPDDISTR abortado no ambiente {} (exit code 1)", e.protheus),
        );
        return;
    }
    line(
        167,
        "INFO",
        "SIX (indices): 9921 registros atualizados".into(),
    );
    line(
        301,
        "INFO",
        "Executando RUPs: RUP_FAT RUP_FIN RUP_EST RUP_COM ... OK".into(),
    );
    for (i, flag) in flag_names(e).iter().enumerate() {
        line(
            302 + i as i64,
            "INFO",
            format!("Flag criada: /volume/flags/{flag}"),
        );
    }
    line(
        303,
        "INFO",
        "UPDDISTR finalizado com sucesso em 00:05:03".into(),
    );
}

/// The shared volume's migration log: `history` earlier nightly runs (oldest first), then the last one;
/// each run migrates homologation first, then production.
pub(super) fn upddistr_log(
    t: &Tenant,
    hml_start: DateTime<Utc>,
    prd_start: DateTime<Utc>,
    failed_prd: bool,
    history: i64,
) -> String {
    let mut log = Vec::new();
    for night in (1..=history).rev() {
        let back = Duration::days(night);
        migration_lines(&mut log, t, &ENVS[1], hml_start - back, false, night);
        migration_lines(&mut log, t, &ENVS[0], prd_start - back, false, night);
    }
    migration_lines(&mut log, t, &ENVS[1], hml_start, false, 0);
    migration_lines(&mut log, t, &ENVS[0], prd_start, failed_prd, 0);
    log.push(String::new());
    log.join("\n")
}

/// Files every Protheus pod of the right kind gets in any namespace: dirs, RPOs, ini files, the script.
pub(super) fn common_files() -> Vec<SandboxFile> {
    let mut out = Vec::new();
    for app in VOLUME_APPS {
        for path in ["/volume/", "/volume/flags/", "/volume/logs/"] {
            out.push(dir(None, format!("app={app}"), path));
        }
    }
    for app in RPO_APPS {
        out.push(dir(None, format!("app={app}"), "/protheus/apo/"));
    }
    for e in &ENVS {
        for app in ["appserver", "upddistr"] {
            let sel = format!("app={app},env={}", e.label);
            out.push(file(
                None,
                sel,
                "/protheus/bin/appserver/appserver.ini",
                appserver_ini(e),
                0o644,
            ));
        }
        let sel = format!("app=dbaccess,env={}", e.label);
        out.push(file(
            None,
            sel,
            "/protheus/bin/dbaccess/dbaccess.ini",
            dbaccess_ini(e),
            0o644,
        ));
    }
    // The updater serves both environments; it reads production's ini like the chart mounts it.
    out.push(file(
        None,
        "app=protheus-updater".into(),
        "/protheus/bin/appserver/appserver.ini",
        appserver_ini(&ENVS[0]),
        0o644,
    ));
    for app in ["upddistr", "protheus-updater"] {
        out.push(file(
            None,
            format!("app={app}"),
            "/usr/local/bin/init-upddistr",
            INIT_UPDDISTR.into(),
            0o755,
        ));
    }
    out
}

/// Files of one tenant: its volume's log, the flags of the steps that finished, its release's RPOs.
pub(super) fn tenant_files(t: &Tenant, log: &str, failed_prd: bool) -> Vec<SandboxFile> {
    let mut out = Vec::new();
    for app in VOLUME_APPS {
        let sel = format!("app={app}");
        out.push(file(
            Some(t.code),
            sel.clone(),
            "/volume/logs/UPDDISTR.LOG",
            log.to_string(),
            0o644,
        ));
        for e in &ENVS {
            if failed_prd && e.suffix == "prd" {
                continue;
            }
            for flag in flag_names(e) {
                out.push(file(
                    Some(t.code),
                    sel.clone(),
                    &format!("/volume/flags/{flag}"),
                    String::new(),
                    0o644,
                ));
            }
        }
    }
    for app in RPO_APPS {
        for name in ["tttp120.rpo", "custom.rpo"] {
            let path = format!("/protheus/apo/{name}");
            out.push(file(
                Some(t.code),
                format!("app={app}"),
                &path,
                rpo(name, t.release),
                0o644,
            ));
        }
    }
    out
}
