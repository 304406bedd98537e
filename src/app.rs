//! What each subcommand does, between the parsed CLI and the exit code.

use crate::check::DynCheck;
use crate::checks::REGISTRY;
use crate::cli::{ChecksCommand, Cli, Command, CommonArgs, ListFormat};
use crate::config::Config;
use crate::engine::{self, Outcome, Selection};
use crate::model::{GLOBAL, Inventory};
use crate::report::{self, Format, RenderOptions, Report};
use anyhow::Context as _;
use std::io::{IsTerminal, Write};

/// An error that ends the run, with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub outcome: Outcome,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Failure { outcome: Outcome::UsageError, error: error.into() }
    }

    pub fn runtime(error: impl Into<anyhow::Error>) -> Self {
        Failure { outcome: Outcome::RuntimeError, error: error.into() }
    }
}

pub fn run(cli: Cli) -> Result<Outcome, Failure> {
    match cli.command {
        Command::Checks { command: ChecksCommand::List { format } } => {
            print_stdout(&list_checks(format)).map_err(Failure::runtime)?;
            Ok(Outcome::Clean)
        }
        Command::Checks { command: ChecksCommand::Explain { id } } => {
            let check = crate::checks::find(&id).ok_or_else(|| {
                let hint = engine::closest(&id, REGISTRY.iter().map(|c| c.meta().id));
                Failure::usage(anyhow::anyhow!(
                    "unknown check id {id:?}{}",
                    hint.map(|h| format!(" (did you mean {h:?}?)")).unwrap_or_default()
                ))
            })?;
            print_stdout(&explain(check)).map_err(Failure::runtime)?;
            Ok(Outcome::Clean)
        }
        Command::Check(args) => {
            let prepared = prepare(&args.common)?;
            let mut inventory = Inventory::load(&args.snapshot).map_err(Failure::usage)?;
            if !args.regions.is_empty() {
                restrict_regions(&mut inventory, &args.regions);
            }
            finish(&inventory, &prepared, &args.common, "snapshot")
        }
        Command::Audit(args) => audit(args, cli.quiet),
    }
}

/// Config, parameters and the check selection, validated before any AWS call.
pub struct Prepared {
    pub checks: Vec<&'static dyn DynCheck>,
    pub params: engine::Params,
}

pub fn prepare(common: &CommonArgs) -> Result<Prepared, Failure> {
    let config = Config::load(common.config.as_deref()).map_err(Failure::usage)?;
    let params = config.params(&common.params).map_err(Failure::usage)?;
    engine::validate_params(&params).map_err(Failure::usage)?;
    let selection = Selection { checks: common.checks.clone(), services: common.services.clone() };
    let checks = engine::select(&selection).map_err(Failure::usage)?;
    Ok(Prepared { checks, params })
}

pub fn finish(
    inventory: &Inventory,
    prepared: &Prepared,
    common: &CommonArgs,
    source: &str,
) -> Result<Outcome, Failure> {
    let evaluation = engine::evaluate(inventory, &prepared.checks, &prepared.params).map_err(Failure::usage)?;
    let report = Report::new(inventory, evaluation, source);
    let to_terminal = common.output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        show_passed: common.show_passed,
        color: to_terminal && common.format == Format::Table && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = report::render(&report, common.format, &options);
    match &common.output {
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("cannot write report to {}", path.display()))
            .map_err(Failure::runtime)?,
        None => print_stdout(&text).map_err(Failure::runtime)?,
    }
    if common.output.is_some() || common.format != Format::Table {
        eprintln!("{}", report::table::summary_line(&report));
    }
    Ok(engine::outcome(&report.findings, common.fail_on.0))
}

fn restrict_regions(inventory: &mut Inventory, regions: &[String]) {
    let keep = |r: &str| r == GLOBAL || regions.iter().any(|x| x == r);
    inventory.resources.retain(|r| keep(&r.region));
    inventory.listings.retain(|l| keep(&l.region));
    inventory.errors.retain(|e| keep(&e.region));
    inventory.regions.retain(|r| keep(r));
}

fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`awsaudit ... | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

pub fn list_checks(format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let metas: Vec<_> = REGISTRY
                .iter()
                .map(|c| {
                    let mut v = serde_json::to_value(c.meta()).unwrap_or_default();
                    v["default_params"] = c.default_params();
                    v
                })
                .collect();
            serde_json::to_string_pretty(&metas).unwrap_or_default() + "\n"
        }
        ListFormat::Table => {
            let mut table = comfy_table::Table::new();
            table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            table.set_header(vec!["Check", "Severity", "Title", "Compliance"]);
            for c in REGISTRY.iter() {
                let m = c.meta();
                let controls: Vec<String> = m.compliance.iter().map(ToString::to_string).collect();
                table.add_row(vec![m.id.to_string(), m.severity.to_string(), m.title.to_string(), controls.join(" ")]);
            }
            format!("{table}\n{} checks\n", REGISTRY.len())
        }
    }
}

pub fn explain(check: &dyn DynCheck) -> String {
    let m = check.meta();
    let kinds: Vec<&str> = m.kinds.iter().map(|k| k.name()).collect();
    let controls: Vec<String> = m.compliance.iter().map(ToString::to_string).collect();
    let mut text = format!(
        "# {} ({})\n\nSeverity: {} · Service: {} · Reads: {}\n",
        m.title,
        m.id,
        m.severity,
        m.service,
        kinds.join(", ")
    );
    if !controls.is_empty() {
        text.push_str(&format!("Compliance: {}\n", controls.join(", ")));
    }
    let defaults = check.default_params();
    if defaults.as_object().is_some_and(|o| !o.is_empty()) {
        text.push_str(&format!("Default parameters: {defaults}\n"));
    }
    text.push('\n');
    text.push_str(&m.documentation());
    text.push('\n');
    text
}

#[cfg(feature = "live")]
fn audit(args: crate::cli::AuditArgs, quiet: bool) -> Result<Outcome, Failure> {
    let prepared = prepare(&args.common)?;
    let services = crate::collect::services_for(&prepared.checks, &args.common.services);
    let options = crate::collect::CollectOptions {
        profile: args.profile.clone(),
        home_region: args.region.clone(),
        regions: crate::collect::RegionChoice::parse(&args.regions).map_err(Failure::usage)?,
        services,
        endpoint_url: args.endpoint_url.clone(),
        concurrency: args.concurrency as usize,
        max_attempts: args.max_attempts,
        progress: !quiet && std::io::stderr().is_terminal(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .map_err(Failure::runtime)?;
    let inventory = runtime.block_on(crate::collect::collect(options)).map_err(Failure::runtime)?;
    if let Some(path) = &args.save_snapshot {
        inventory.save(path).map_err(Failure::runtime)?;
    }
    finish(&inventory, &prepared, &args.common, "live")
}

#[cfg(not(feature = "live"))]
fn audit(_: crate::cli::AuditArgs, _: bool) -> Result<Outcome, Failure> {
    Err(Failure::usage(anyhow::anyhow!(
        "this awsaudit was built without live collection (cargo feature `live`); \
         use `awsaudit check --snapshot FILE`, or build with default features"
    )))
}
