//! Command-line definitions.

use crate::finding::Severity;
use crate::output::OutputSpec;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "awsaudit", version, about = "Audit a live AWS account against a secure, resilient baseline")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More logging on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// No progress and no log output on stderr, only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect the account's resources and run the checks.
    Audit(AuditArgs),
    /// Run the checks offline on a saved snapshot.
    Check(CheckArgs),
    /// Compare two findings files (`--format json`) or two snapshots: new failures, fixed findings, and for
    /// snapshots the resources added, removed and changed. Exit 1 when a new failure reaches `--fail-on`.
    Diff(DiffArgs),
    /// The check catalogue.
    Checks {
        #[command(subcommand)]
        command: ChecksCommand,
    },
    /// The config file (awsaudit.toml).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented default config file.
    Init {
        /// Where to write it.
        #[arg(default_value = crate::config::DEFAULT_CONFIG_FILE)]
        path: PathBuf,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChecksCommand {
    /// List every check.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Print one check's documentation.
    Explain { id: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Named profile from the shared AWS config files (else the default credential chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region for global calls (STS, IAM, S3 listing); default from the profile/environment, else us-east-1.
    #[arg(long)]
    pub region: Option<String>,
    /// Regions to audit, comma-separated, or `all` for every region enabled for the account
    /// (default: the config file's `regions`, else `all`).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Send every AWS call to this endpoint (an emulator such as moto); S3 switches to path-style addressing.
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    pub endpoint_url: Option<String>,
    /// Write the collected inventory to this file (re-audit it later with `awsaudit check --snapshot`).
    #[arg(long)]
    pub save_snapshot: Option<PathBuf>,
    /// Most API calls in flight at once, across all services and regions.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// Attempts per API call for throttling and transient errors (AccessDenied is never retried).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// A previous findings file (`--format json`) or snapshot: report the drift since then on stderr, and exit 1
    /// only for NEW failures at or above `--fail-on`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A snapshot written by `awsaudit audit --save-snapshot`.
    #[arg(long)]
    pub snapshot: PathBuf,
    /// Only report findings in these regions (comma-separated; `global` findings are always kept; default: the
    /// config file's `regions`).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// A previous findings file (`--format json`) or snapshot: report the drift since then on stderr, and exit 1
    /// only for NEW failures at or above `--fail-on`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier findings file (`--format json`) or snapshot.
    pub old: PathBuf,
    /// The later one, of the same kind.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the diff to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit 1 when a NEW failure has at least this severity (`none`: never) [default: the config file's, else
    /// low].
    #[arg(long, value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    /// Only compare findings in these regions (comma-separated; `global` findings are always kept; default: the
    /// config file's `regions`).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Which checks to run on snapshots (findings files are compared as recorded), their parameters and the
    /// config file.
    #[command(flatten)]
    pub selection: SelectionArgs,
}

impl DiffArgs {
    /// The settings `prepare` reads: the selection, parameters and threshold; format and output are the diff's own.
    pub fn common(&self) -> CommonArgs {
        CommonArgs {
            selection: self.selection.clone(),
            format: None,
            output: Vec::new(),
            fail_on: self.fail_on,
            fail_on_unknown: false,
            show_passed: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Tables of changed findings and a list of resource changes.
    Table,
    /// The `awsaudit.diff` JSON document (docs/report-schema.md).
    Json,
}

/// What to check: the selection, the check parameters and the config file that may hold both.
#[derive(Clone, Debug, Default, Args)]
pub struct SelectionArgs {
    /// Only these services (comma-separated: s3,ec2,autoscaling,cloudtrail,config,kms,iam).
    #[arg(long, value_delimiter = ',')]
    pub services: Vec<String>,
    /// Only these checks (comma-separated ids or globs such as 's3_*'; see `awsaudit checks list`).
    #[arg(long, value_delimiter = ',')]
    pub checks: Vec<String>,
    /// Leave out these checks (comma-separated ids or globs).
    #[arg(long, value_delimiter = ',', value_name = "CHECKS")]
    pub exclude_checks: Vec<String>,
    /// Only checks of at least this severity.
    #[arg(long, value_parser = parse_severity)]
    pub min_severity: Option<Severity>,
    /// Only checks mapped to these compliance frameworks or controls (comma-separated: cis-5.0, fsbp, fsbp:S3.8).
    #[arg(long, value_delimiter = ',')]
    pub compliance: Vec<String>,
    /// Config file (default: ./awsaudit.toml if it exists); see `awsaudit config init`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Set one check parameter: CHECK.PARAM=VALUE, VALUE as JSON or a plain string
    /// (e.g. ec2_sg_ssh_restricted.allowed_cidrs='["10.0.1.0/24"]'). Overrides the config file.
    #[arg(long = "param", value_name = "CHECK.PARAM=VALUE")]
    pub params: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Report format [default: the config file's, else table].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where the report goes instead of stdout, repeatable: FILE (the `--format` format), or FORMAT=DEST for
    /// several formats at once (`--output json=out.json --output html=report.html`). DEST is a file, `-` for
    /// stdout, or `s3://BUCKET/KEY` / `s3://BUCKET/PREFIX/` (uploaded with PutObject).
    #[arg(long, short, value_name = "[FORMAT=]DEST", value_parser = parse_output)]
    pub output: Vec<OutputSpec>,
    /// Exit 1 when a FAIL finding has at least this severity (`none`: never) [default: the config file's, else
    /// low].
    #[arg(long, value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    /// Exit 1 also when a finding is UNKNOWN (and not muted), as for a failure.
    #[arg(long)]
    pub fail_on_unknown: bool,
    /// Also list passing findings in the table (`--show-passed=false` overrides the config file).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub show_passed: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailOn(pub Option<Severity>);

pub fn parse_fail_on(value: &str) -> Result<FailOn, String> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(FailOn(None));
    }
    Severity::ALL
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(value))
        .map(|s| FailOn(Some(s)))
        .ok_or_else(|| format!("expected one of critical, high, medium, low, info, none; got {value:?}"))
}

fn parse_output(value: &str) -> Result<OutputSpec, String> {
    OutputSpec::parse(value)
}

fn parse_severity(value: &str) -> Result<Severity, String> {
    Severity::ALL
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(value))
        .ok_or_else(|| format!("expected one of critical, high, medium, low, info; got {value:?}"))
}
