//! What each subcommand does, between the parsed CLI and the exit code.

use crate::check::DynCheck;
use crate::checks::REGISTRY;
use crate::cli::{ChecksCommand, Cli, Command, CommonArgs, ConfigCommand, DiffArgs, DiffFormat, FailOn, ListFormat};
use crate::config::{Config, ConfigError};
use crate::diff::Baseline;
use crate::engine::{self, Evaluation, Outcome, Selection};
use crate::finding::Severity;
use crate::model::{GLOBAL, Inventory};
use crate::output::{Destination, Output, OutputSpec, S3Access, Upload};
use crate::report::{self, Format, RenderOptions, Report};
use crate::suppress::{self, Suppression, Warning};
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
            let prepared = prepare(&args.common, cli.quiet)?;
            let mut inventory = Inventory::load(&args.snapshot).map_err(Failure::usage)?;
            let regions = if args.regions.is_empty() { &prepared.regions } else { &args.regions };
            if !regions.is_empty() && !regions.iter().any(|r| r == "all") {
                restrict_regions(&mut inventory, regions);
            }
            let baseline = load_baseline(args.baseline.as_deref(), &prepared, regions)?;
            finish(&inventory, &prepared, "snapshot", baseline.as_ref(), &S3Access::from_environment())
        }
        Command::Audit(args) => audit(args, cli.quiet),
        Command::Diff(args) => diff(&args, cli.quiet),
        Command::Config { command: ConfigCommand::Init { path, force } } => {
            crate::config::init(&path, force).map_err(|e| match e {
                ConfigError::Exists { .. } => Failure::usage(e),
                _ => Failure::runtime(e),
            })?;
            if !cli.quiet {
                eprintln!("wrote {}", path.display());
            }
            Ok(Outcome::Clean)
        }
    }
}

/// Config, parameters and the check selection, validated before any AWS call. Command-line flags override
/// the config file.
pub struct Prepared {
    pub checks: Vec<&'static dyn DynCheck>,
    pub params: engine::Params,
    /// The regions to audit (or keep, for a snapshot): the command line's, else the config file's; empty: all.
    pub regions: Vec<String>,
    /// The services named on the command line, else in the config file; empty: those the checks read.
    pub services: Vec<String>,
    pub output: OutputSettings,
    pub suppressions: Vec<Suppression>,
    /// No warnings on stderr.
    pub quiet: bool,
    /// The compliance frameworks or controls selected: the report then summarizes each control.
    pub compliance: Vec<String>,
}

/// Where and how the report goes.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputSettings {
    /// The `--format` format: of stdout, and of the outputs given without a format.
    pub format: Format,
    /// Where the report goes; never empty (stdout in the `--format` format by default).
    pub outputs: Vec<Output>,
    /// `None`: findings never fail the run.
    pub fail_on: Option<Severity>,
    /// UNKNOWN findings fail the run too.
    pub fail_on_unknown: bool,
    pub show_passed: bool,
}

pub fn prepare(common: &CommonArgs, quiet: bool) -> Result<Prepared, Failure> {
    let config = Config::load(common.selection.config.as_deref()).map_err(Failure::usage)?;
    let params = config.params(&common.selection.params).map_err(Failure::usage)?;
    engine::validate_params(&params).map_err(Failure::usage)?;
    let selection = selection(&config, common);
    let checks = engine::select(&selection).map_err(Failure::usage)?;
    let services = if common.selection.services.is_empty() {
        config.services.iter().map(|s| s.0.clone()).collect()
    } else {
        common.selection.services.clone()
    };
    Ok(Prepared {
        checks,
        params,
        regions: config.regions(),
        services,
        output: output_settings(&config, common)?,
        suppressions: config.suppressions,
        quiet,
        compliance: selection.compliance,
    })
}

/// The config file's selection with the command line's on top. `--checks` replaces the file's whole `[checks]`
/// selection (so an explicitly named check is not filtered out again by the file); the other flags each
/// replace their own setting.
fn selection(config: &Config, common: &CommonArgs) -> Selection {
    let mut selection = config.selection();
    if !common.selection.checks.is_empty() {
        selection =
            Selection { checks: common.selection.checks.clone(), services: selection.services, ..Default::default() };
    }
    if !common.selection.exclude_checks.is_empty() {
        selection.exclude = common.selection.exclude_checks.clone();
    }
    if !common.selection.services.is_empty() {
        selection.services = common.selection.services.clone();
    }
    if common.selection.min_severity.is_some() {
        selection.min_severity = common.selection.min_severity;
    }
    if !common.selection.compliance.is_empty() {
        selection.compliance = common.selection.compliance.clone();
    }
    selection
}

/// `--output` replaces the file's `path` and `outputs` together.
fn output_settings(config: &Config, common: &CommonArgs) -> Result<OutputSettings, Failure> {
    let file = &config.output;
    let format = common.format.or(file.format.map(|f| f.0)).unwrap_or(Format::Table);
    let specs: Vec<OutputSpec> = if common.output.is_empty() {
        let path = match &file.path {
            Some(path) => Some(OutputSpec {
                format: None,
                dest: Destination::parse(&path.to_string_lossy())
                    .map_err(|e| Failure::usage(anyhow::anyhow!("config file {}: `output.path`: {e}", config.path)))?,
            }),
            None => None,
        };
        path.into_iter().chain(file.outputs.iter().map(|o| o.0.clone())).collect()
    } else {
        common.output.clone()
    };
    let mut outputs: Vec<Output> =
        specs.into_iter().map(|s| Output { format: s.format.unwrap_or(format), dest: s.dest }).collect();
    if outputs.is_empty() {
        outputs.push(Output { format, dest: Destination::Stdout });
    }
    if outputs.iter().filter(|o| o.dest == Destination::Stdout).count() > 1 {
        return Err(Failure::usage(anyhow::anyhow!("only one output can go to stdout (`-`)")));
    }
    Ok(OutputSettings {
        format,
        outputs,
        fail_on: common.fail_on.or(file.fail_on.map(|f| f.0)).unwrap_or(FailOn(Some(Severity::Low))).0,
        fail_on_unknown: common.fail_on_unknown || file.fail_on_unknown.unwrap_or(false),
        show_passed: common.show_passed.or(file.show_passed).unwrap_or(false),
    })
}

/// Runs the selected checks and applies the suppressions (as of today's date). The warnings are about the
/// suppressions: expired, or matching nothing.
pub fn evaluate(inventory: &Inventory, prepared: &Prepared) -> Result<(Evaluation, Vec<Warning>), Failure> {
    let mut evaluation = engine::evaluate(inventory, &prepared.checks, &prepared.params).map_err(Failure::usage)?;
    let today = chrono::Utc::now().date_naive();
    let warnings =
        suppress::apply(&mut evaluation.findings, inventory, &prepared.suppressions, &evaluation.checks_run, today);
    Ok((evaluation, warnings))
}

/// Evaluates, writes the report, and maps it to the exit code; with a baseline, also prints the drift since
/// then, and only new failures fail the run.
pub fn finish(
    inventory: &Inventory,
    prepared: &Prepared,
    source: &str,
    baseline: Option<&Baseline>,
    s3: &S3Access,
) -> Result<Outcome, Failure> {
    let (evaluation, warnings) = evaluate(inventory, prepared)?;
    if !prepared.quiet {
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
    }
    let checks_run: std::collections::BTreeSet<String> =
        evaluation.checks_run.iter().map(|id| id.to_string()).collect();
    let compliance =
        crate::compliance::summarize(&prepared.compliance, &prepared.checks, &evaluation.skipped, &evaluation.findings);
    let mut report = Report::new(inventory, evaluation, source);
    report.warnings = warnings;
    report.compliance = compliance;
    let output = &prepared.output;
    let mut failed = write_outputs(&report, output, s3, prepared.quiet);
    let table_on_stdout = output.outputs.iter().any(|o| o.dest == Destination::Stdout && o.format == Format::Table);
    if !table_on_stdout {
        eprintln!("{}", report::table::summary_line(&report));
    }
    let outcome = match baseline {
        Some(baseline) => baseline_drift(&report, baseline, &checks_run, prepared),
        None => engine::outcome(&report.findings, output.fail_on),
    };
    let outcome = if output.fail_on_unknown && outcome == Outcome::Incomplete { Outcome::Failing } else { outcome };
    let total = output.outputs.len();
    match (failed.len(), failed.pop()) {
        (_, None) => Ok(outcome),
        (1, Some(error)) => Err(Failure::runtime(error)),
        (n, Some(last)) => {
            for error in failed.iter().chain([&last]) {
                eprintln!("error: {error:#}");
            }
            Err(Failure::runtime(anyhow::anyhow!("{n} of {total} outputs could not be written")))
        }
    }
}

/// Renders each format once and writes every output, even after one fails; the errors name the destinations.
fn write_outputs(report: &Report, output: &OutputSettings, s3: &S3Access, quiet: bool) -> Vec<anyhow::Error> {
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let mut rendered: Vec<(Format, bool, String)> = Vec::new();
    let mut text = |format: Format, to_stdout: bool| -> usize {
        let color =
            to_stdout && stdout_is_terminal && format == Format::Table && std::env::var_os("NO_COLOR").is_none();
        if let Some(i) = rendered.iter().position(|(f, c, _)| *f == format && *c == color) {
            return i;
        }
        let options = RenderOptions { show_passed: output.show_passed, color };
        rendered.push((format, color, report::render(report, format, &options)));
        rendered.len() - 1
    };
    let indices: Vec<usize> = output.outputs.iter().map(|o| text(o.format, o.dest == Destination::Stdout)).collect();
    let now = chrono::Utc::now();
    let mut errors = Vec::new();
    let mut uploads = Vec::new();
    for (o, &i) in output.outputs.iter().zip(&indices) {
        let body = &rendered[i].2;
        match &o.dest {
            Destination::Stdout => {
                if let Err(e) = print_stdout(body) {
                    errors.push(e);
                }
            }
            Destination::File(path) => {
                if let Err(e) = std::fs::write(path, body) {
                    errors.push(anyhow::Error::new(e).context(format!("cannot write report to {}", path.display())));
                }
            }
            Destination::S3 { bucket, key } => uploads.push(Upload {
                bucket,
                key: Destination::object_key(key, &report.account_id, o.format, now),
                body,
                content_type: crate::output::content_type(o.format),
            }),
        }
    }
    for (upload, result) in uploads.iter().zip(crate::output::upload(s3, &uploads)) {
        match result {
            Ok(()) => {
                if !quiet {
                    eprintln!("uploaded s3://{}/{}", upload.bucket, upload.key);
                }
            }
            Err(e) => errors.push(e.context(format!("cannot write report to s3://{}/{}", upload.bucket, upload.key))),
        }
    }
    errors
}

/// Prints the drift since the baseline on stderr; the outcome counts only new failures.
fn baseline_drift(
    report: &Report,
    baseline: &Baseline,
    checks_run: &std::collections::BTreeSet<String>,
    prepared: &Prepared,
) -> Outcome {
    let output = &prepared.output;
    let drift = crate::diff::diff_findings(&baseline.report.findings, &report.findings, checks_run);
    if baseline.report.account_id != report.account_id && !prepared.quiet {
        eprintln!(
            "warning: the baseline {} is of account {}, this run of account {}",
            baseline.path, baseline.report.account_id, report.account_id
        );
    }
    eprint!("{}", crate::diff::baseline_summary(baseline, &drift, output.fail_on));
    crate::diff::baseline_outcome(report, &drift, output.fail_on)
}

/// Loads `--baseline`, keeping the findings of the regions this run reports.
fn load_baseline(
    path: Option<&std::path::Path>,
    prepared: &Prepared,
    regions: &[String],
) -> Result<Option<Baseline>, Failure> {
    let Some(path) = path else { return Ok(None) };
    let mut baseline = crate::diff::load_baseline(path, prepared)?;
    crate::diff::keep_regions(&mut baseline.report, regions);
    Ok(Some(baseline))
}

/// `awsaudit diff OLD NEW`.
fn diff(args: &DiffArgs, quiet: bool) -> Result<Outcome, Failure> {
    let prepared = prepare(&args.common(), quiet)?;
    let regions = if args.regions.is_empty() { &prepared.regions } else { &args.regions };
    let diff = crate::diff::compare(&args.old, &args.new, &prepared, regions)?;
    let text = match args.format {
        DiffFormat::Table => diff.to_text(),
        DiffFormat::Json => diff.to_json(),
    };
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("cannot write the diff to {}", path.display()))
            .map_err(Failure::runtime)?,
        None => print_stdout(&text).map_err(Failure::runtime)?,
    }
    Ok(diff.outcome())
}

pub(crate) fn restrict_regions(inventory: &mut Inventory, regions: &[String]) {
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
    let prepared = prepare(&args.common, quiet)?;
    let regions = if args.regions.is_empty() { &prepared.regions } else { &args.regions };
    // Read the baseline before collecting, so a bad file fails fast.
    let baseline = load_baseline(args.baseline.as_deref(), &prepared, regions)?;
    let services = crate::collect::services_for(&prepared.checks, &prepared.services);
    let options = crate::collect::CollectOptions {
        profile: args.profile.clone(),
        home_region: args.region.clone(),
        regions: crate::collect::RegionChoice::parse(regions).map_err(Failure::usage)?,
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
    let s3 = S3Access {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        max_attempts: args.max_attempts,
    };
    finish(&inventory, &prepared, "live", baseline.as_ref(), &s3)
}

#[cfg(not(feature = "live"))]
fn audit(_: crate::cli::AuditArgs, _: bool) -> Result<Outcome, Failure> {
    Err(Failure::usage(anyhow::anyhow!(
        "this awsaudit was built without live collection (cargo feature `live`); \
         use `awsaudit check --snapshot FILE`, or build with default features"
    )))
}
