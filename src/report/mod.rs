//! Reports: one module per output format, all rendered from one [`Report`].

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod table;
#[cfg(test)]
pub mod testdata;

use crate::engine::{Evaluation, SkippedCheck};
use crate::finding::{Finding, Severity, Status};
use crate::model::{CollectionError, Inventory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const REPORT_SCHEMA: &str = "awsaudit.report";
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Everything a report shows. Its JSON form is the `json` format (schema in `docs/report-schema.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub schema_version: u32,
    pub generator: String,
    pub account_id: String,
    pub partition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_arn: Option<String>,
    pub collected_at: DateTime<Utc>,
    /// `live` or `snapshot`.
    pub source: String,
    pub regions: Vec<String>,
    pub services: Vec<String>,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub skipped_checks: Vec<SkippedCheck>,
    #[serde(default)]
    pub collection_errors: Vec<CollectionError>,
    /// Problems with the configuration that did not stop the run (an expired or unmatched suppression).
    #[serde(default)]
    pub warnings: Vec<crate::suppress::Warning>,
    /// Per-control results, when the run selected compliance frameworks or controls (`--compliance`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance: Vec<crate::compliance::ControlSummary>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub checks_run: usize,
    pub findings: usize,
    /// Findings by status (`PASS`, `FAIL`, `UNKNOWN`, `MUTED`); every status is present.
    pub by_status: BTreeMap<Status, usize>,
    /// FAIL findings by severity; every severity is present.
    pub failing_by_severity: BTreeMap<Severity, usize>,
    pub resources: usize,
    pub regions: usize,
    pub api_calls: u64,
    pub api_calls_by_service: BTreeMap<String, u64>,
    pub collection_errors: usize,
    /// Time spent collecting (0 for an offline check of a snapshot).
    pub duration_ms: u64,
}

impl Report {
    pub fn new(inventory: &Inventory, evaluation: Evaluation, source: &str) -> Self {
        let Evaluation { findings, checks_run, skipped } = evaluation;
        let mut by_status: BTreeMap<Status, usize> =
            [Status::Pass, Status::Fail, Status::Unknown, Status::Muted].into_iter().map(|s| (s, 0)).collect();
        let mut failing_by_severity: BTreeMap<Severity, usize> = Severity::ALL.into_iter().map(|s| (s, 0)).collect();
        for f in &findings {
            *by_status.entry(f.status).or_default() += 1;
            if f.status == Status::Fail {
                *failing_by_severity.entry(f.severity).or_default() += 1;
            }
        }
        let summary = Summary {
            checks_run: checks_run.len(),
            findings: findings.len(),
            by_status,
            failing_by_severity,
            resources: inventory.resources.len(),
            regions: inventory.regions.len(),
            api_calls: inventory.stats.total_api_calls(),
            api_calls_by_service: inventory.stats.api_calls.clone(),
            collection_errors: inventory.errors.len(),
            duration_ms: if source == "live" { inventory.stats.duration_ms } else { 0 },
        };
        Report {
            schema: REPORT_SCHEMA.to_string(),
            schema_version: REPORT_SCHEMA_VERSION,
            generator: concat!("awsaudit ", env!("CARGO_PKG_VERSION")).to_string(),
            account_id: inventory.account_id.clone(),
            partition: inventory.partition.clone(),
            caller_arn: inventory.caller_arn.clone(),
            collected_at: inventory.collected_at,
            source: source.to_string(),
            regions: inventory.regions.clone(),
            services: inventory.services.clone(),
            summary,
            findings,
            skipped_checks: skipped,
            collection_errors: inventory.errors.clone(),
            warnings: Vec::new(),
            compliance: Vec::new(),
        }
    }

    pub fn count(&self, status: Status) -> usize {
        self.summary.by_status.get(&status).copied().unwrap_or(0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table grouped by severity, for a terminal.
    Table,
    /// The native JSON report (docs/report-schema.md).
    Json,
    /// One row per finding with a header row, for spreadsheets and scripts.
    Csv,
    /// A short summary to paste in a chat message or a pull request.
    Markdown,
    /// SARIF 2.1.0, for code-scanning dashboards: FAIL and UNKNOWN findings as results.
    Sarif,
    /// JUnit XML for CI test reports: a test suite per check, a test case per finding.
    Junit,
    /// OCSF 1.5.0 Detection Findings (a JSON array, one event per finding), as Prowler and Security Hub emit.
    Ocsf,
    /// One self-contained HTML page: summary, filters, findings with remediation, collection errors.
    Html,
}

pub struct RenderOptions {
    pub show_passed: bool,
    pub color: bool,
}

pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Table => table::render(report, options),
        Format::Json => json::render(report),
        Format::Csv => csv::render(report),
        Format::Markdown => markdown::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Ocsf => ocsf::render(report),
        Format::Html => html::render(report),
    }
}
