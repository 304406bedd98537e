//! Drift between two runs: which findings newly fail, which were fixed, which still fail, and (for two
//! snapshots) which resources were added, removed or changed, down to the property.
//!
//! `awsaudit diff OLD NEW` compares two findings files (`--format json`) or two snapshots; `audit`/`check
//! --baseline FILE` compares the run with a previous findings file. The JSON form is the `awsaudit.diff`
//! schema (`docs/report-schema.md`).

use crate::app::{self, Failure, Prepared};
use crate::engine::Outcome;
use crate::finding::{Finding, FindingResource, Severity, Status};
use crate::model::{GLOBAL, Inventory, Resource, SnapshotError, UnknownReason};
use crate::report::{REPORT_SCHEMA, REPORT_SCHEMA_VERSION, Report};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

pub const DIFF_SCHEMA: &str = "awsaudit.diff";
pub const DIFF_SCHEMA_VERSION: u32 = 1;
const SNAPSHOT_SCHEMA: &str = "awsaudit.snapshot";

/// What a file given to `diff` or `--baseline` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// A findings file: the JSON report (`--format json`).
    Report,
    /// A snapshot (`--save-snapshot`).
    Snapshot,
}

impl InputKind {
    pub fn describe(self) -> &'static str {
        match self {
            InputKind::Report => "findings file",
            InputKind::Snapshot => "snapshot",
        }
    }
}

/// A loaded input.
pub enum Input {
    Report(Box<Report>),
    Snapshot(Box<Inventory>),
}

impl Input {
    pub fn kind(&self) -> InputKind {
        match self {
            Input::Report(_) => InputKind::Report,
            Input::Snapshot(_) => InputKind::Snapshot,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path} is not valid JSON: {detail}")]
    NotJson { path: String, detail: String },
    #[error(
        "{path} is neither an awsaudit findings file (`--format json`) nor a snapshot (`--save-snapshot`): {detail}"
    )]
    UnknownSchema { path: String, detail: String },
    #[error("findings file {path} has schema version {found}; this awsaudit reads version {REPORT_SCHEMA_VERSION}")]
    Version { path: String, found: u64 },
    /// `detail` names the line and column.
    #[error("findings file {path} is malformed: {detail}")]
    Malformed { path: String, detail: String },
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
}

/// Reads a findings file or a snapshot, telling them apart by their `schema` field.
pub fn load(path: &Path) -> Result<Input, InputError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| InputError::Read { path: shown.clone(), error })?;
    parse(&text, &shown)
}

pub fn parse(text: &str, path: &str) -> Result<Input, InputError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| InputError::NotJson { path: path.to_string(), detail: e.to_string() })?;
    match value.get("schema").and_then(Value::as_str) {
        Some(REPORT_SCHEMA) => {
            let version = value.get("schema_version").and_then(Value::as_u64).unwrap_or(0);
            if version != u64::from(REPORT_SCHEMA_VERSION) {
                return Err(InputError::Version { path: path.to_string(), found: version });
            }
            // Parse the text again (not the Value) so errors carry line and column.
            serde_json::from_str::<Report>(text)
                .map(|r| Input::Report(Box::new(r)))
                .map_err(|e| InputError::Malformed { path: path.to_string(), detail: e.to_string() })
        }
        Some(SNAPSHOT_SCHEMA) => Ok(Input::Snapshot(Box::new(Inventory::from_snapshot_json(text, path)?))),
        Some(other) => Err(InputError::UnknownSchema {
            path: path.to_string(),
            detail: format!("its schema is {other:?}, expected {REPORT_SCHEMA:?} or {SNAPSHOT_SCHEMA:?}"),
        }),
        None => Err(InputError::UnknownSchema { path: path.to_string(), detail: "it has no \"schema\" field".into() }),
    }
}

/// One finding whose status changed between the two runs (or, in `still_failing`, did not).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingChange {
    pub id: String,
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    pub region: String,
    pub resource: FindingResource,
    /// `None`: the finding was not in that run.
    pub old_status: Option<Status>,
    pub new_status: Option<Status>,
    /// The newer finding's message, else the older one's.
    pub message: String,
}

/// The findings of two runs, matched by finding id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingsDiff {
    /// FAIL now, not FAIL before (absent, PASS, UNKNOWN or MUTED).
    pub new_failures: Vec<FindingChange>,
    /// FAIL before; PASS now, or gone while its check ran (the resource was deleted).
    pub fixed: Vec<FindingChange>,
    /// FAIL in both runs.
    pub still_failing: Vec<FindingChange>,
    /// UNKNOWN now, not UNKNOWN before.
    pub new_unknown: Vec<FindingChange>,
    /// UNKNOWN before; PASS now, or gone while its check ran.
    pub resolved_unknown: Vec<FindingChange>,
    /// MUTED now (a suppression matched), not MUTED before.
    pub newly_muted: Vec<FindingChange>,
    /// FAIL or UNKNOWN before and gone now because its check did not run: nothing can be concluded.
    pub not_evaluated: Vec<FindingChange>,
}

enum Class {
    NewFailure,
    Fixed,
    StillFailing,
    NewUnknown,
    ResolvedUnknown,
    NewlyMuted,
    NotEvaluated,
}

fn classify(old: Option<Status>, new: Option<Status>, check_ran: bool) -> Option<Class> {
    use Status::*;
    Some(match (old, new) {
        (Some(Fail), Some(Fail)) => Class::StillFailing,
        (_, Some(Fail)) => Class::NewFailure,
        (Some(Fail), Some(Pass)) => Class::Fixed,
        (Some(Fail) | Some(Unknown), None) if !check_ran => Class::NotEvaluated,
        (Some(Fail), None) => Class::Fixed,
        (Some(Unknown), Some(Unknown)) | (Some(Muted), Some(Muted)) => return None,
        (_, Some(Unknown)) => Class::NewUnknown,
        (_, Some(Muted)) => Class::NewlyMuted,
        (Some(Unknown), Some(Pass) | None) => Class::ResolvedUnknown,
        _ => return None,
    })
}

/// The check ids a findings file shows to have run: those with at least one finding, less the skipped ones.
pub fn checks_in(report: &Report) -> BTreeSet<String> {
    let skipped: BTreeSet<&str> = report.skipped_checks.iter().map(|s| s.check_id.as_str()).collect();
    report.findings.iter().map(|f| f.check_id.as_str()).filter(|id| !skipped.contains(id)).map(String::from).collect()
}

/// Matches the findings of two runs by id. `checks_run`: the checks the newer run evaluated; a finding that is
/// gone because its check did not run is `not_evaluated`, not fixed.
pub fn diff_findings(old: &[Finding], new: &[Finding], checks_run: &BTreeSet<String>) -> FindingsDiff {
    let old_by_id: BTreeMap<&str, &Finding> = old.iter().map(|f| (f.id.as_str(), f)).collect();
    let new_by_id: BTreeMap<&str, &Finding> = new.iter().map(|f| (f.id.as_str(), f)).collect();
    let ids: BTreeSet<&str> = old_by_id.keys().chain(new_by_id.keys()).copied().collect();
    let mut diff = FindingsDiff::default();
    for id in ids {
        let (before, now) = (old_by_id.get(id).copied(), new_by_id.get(id).copied());
        let Some(latest) = now.or(before) else { continue };
        let Some(class) =
            classify(before.map(|f| f.status), now.map(|f| f.status), checks_run.contains(&latest.check_id))
        else {
            continue;
        };
        let change = FindingChange {
            id: latest.id.clone(),
            check_id: latest.check_id.clone(),
            title: latest.title.clone(),
            severity: latest.severity,
            region: latest.region.clone(),
            resource: latest.resource.clone(),
            old_status: before.map(|f| f.status),
            new_status: now.map(|f| f.status),
            message: latest.message.clone(),
        };
        match class {
            Class::NewFailure => diff.new_failures.push(change),
            Class::Fixed => diff.fixed.push(change),
            Class::StillFailing => diff.still_failing.push(change),
            Class::NewUnknown => diff.new_unknown.push(change),
            Class::ResolvedUnknown => diff.resolved_unknown.push(change),
            Class::NewlyMuted => diff.newly_muted.push(change),
            Class::NotEvaluated => diff.not_evaluated.push(change),
        }
    }
    for list in diff.lists_mut() {
        list.sort_by(|a, b| {
            (b.severity, &a.check_id, &a.region, &a.resource.uid).cmp(&(
                a.severity,
                &b.check_id,
                &b.region,
                &b.resource.uid,
            ))
        });
    }
    diff
}

impl FindingsDiff {
    fn lists_mut(&mut self) -> [&mut Vec<FindingChange>; 7] {
        [
            &mut self.new_failures,
            &mut self.fixed,
            &mut self.still_failing,
            &mut self.new_unknown,
            &mut self.resolved_unknown,
            &mut self.newly_muted,
            &mut self.not_evaluated,
        ]
    }

    /// The changed findings (not `still_failing`), in display order, with their labels.
    fn sections(&self) -> [(&'static str, &[FindingChange]); 6] {
        [
            ("NEW FAIL", &self.new_failures),
            ("NEW UNKNOWN", &self.new_unknown),
            ("NEWLY MUTED", &self.newly_muted),
            ("FIXED", &self.fixed),
            ("RESOLVED", &self.resolved_unknown),
            ("NOT EVALUATED", &self.not_evaluated),
        ]
    }

    /// New failures at or above the threshold (`None`: never).
    pub fn failing(&self, fail_on: Option<Severity>) -> usize {
        fail_on.map_or(0, |t| self.new_failures.iter().filter(|f| f.severity >= t).count())
    }

    /// No finding changed status (some may still fail).
    pub fn is_unchanged(&self) -> bool {
        self.sections().iter().all(|(_, list)| list.is_empty())
    }

    fn counts_line(&self) -> String {
        format!(
            "{}, {} fixed, {} still failing, {} new unknown, {} resolved unknown, {} newly muted{}",
            plural(self.new_failures.len(), "new failure"),
            self.fixed.len(),
            self.still_failing.len(),
            self.new_unknown.len(),
            self.resolved_unknown.len(),
            self.newly_muted.len(),
            if self.not_evaluated.is_empty() {
                String::new()
            } else {
                format!(", {} not evaluated", self.not_evaluated.len())
            }
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A resource, as the resource diff names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceRef {
    pub kind: String,
    pub region: String,
    pub arn: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ResourceRef {
    fn of(r: &Resource) -> Self {
        ResourceRef {
            kind: r.kind().name().to_string(),
            region: r.region.clone(),
            arn: r.arn.clone(),
            id: r.id.clone(),
            name: r.name.clone(),
        }
    }

    fn label(&self) -> String {
        format!("{} {} ({})", self.kind, self.name.as_deref().unwrap_or(&self.id), self.region)
    }
}

/// One differing value. `old`/`new` are the JSON values at `path` as in the snapshots, with a `known` wrapper
/// removed: `"absent"` is a known absence, `{"unknown": reason}` a value that could not be read, `null` unset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PropertyChange {
    /// Dotted path into the properties (`versioning.status`, `rules[0].port_range`); the envelope's
    /// `name` and `tags` are reported as `name` and `tags.<key>`.
    pub path: String,
    pub old: Value,
    pub new: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceChange {
    #[serde(flatten)]
    pub resource: ResourceRef,
    pub changes: Vec<PropertyChange>,
}

/// A resource in one snapshot only, where the other could not list its kind in its region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unseen {
    #[serde(flatten)]
    pub resource: ResourceRef,
    /// `old` or `new`: the snapshot that has the resource.
    pub seen_in: String,
    pub reason: String,
}

/// The resources of two snapshots, matched by (kind, region, ARN).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourcesDiff {
    pub added: Vec<ResourceRef>,
    pub removed: Vec<ResourceRef>,
    pub changed: Vec<ResourceChange>,
    pub unseen: Vec<Unseen>,
}

type ResourceKey<'a> = (&'static str, &'a str, &'a str);

fn key(r: &Resource) -> ResourceKey<'_> {
    (r.kind().name(), r.region.as_str(), r.arn.as_str())
}

pub fn diff_resources(old: &Inventory, new: &Inventory) -> ResourcesDiff {
    let old_by_key: BTreeMap<ResourceKey, &Resource> = old.resources.iter().map(|r| (key(r), r)).collect();
    let new_by_key: BTreeMap<ResourceKey, &Resource> = new.resources.iter().map(|r| (key(r), r)).collect();
    let mut diff = ResourcesDiff::default();
    // Only a complete list of the kind in the region proves that a resource is not there.
    let listed = |inv: &Inventory, r: &Resource| inv.listing(r.kind(), &r.region).complete(r.kind(), &r.region);
    for (k, before) in &old_by_key {
        match new_by_key.get(k) {
            Some(now) => {
                let changes = diff_resource(before, now);
                if !changes.is_empty() {
                    diff.changed.push(ResourceChange { resource: ResourceRef::of(now), changes });
                }
            }
            None => match listed(new, before) {
                Ok(()) => diff.removed.push(ResourceRef::of(before)),
                Err(reason) => diff.unseen.push(Unseen {
                    resource: ResourceRef::of(before),
                    seen_in: "old".into(),
                    reason: format!("the new snapshot could not list it: {}", reason_text(&reason)),
                }),
            },
        }
    }
    for (k, now) in &new_by_key {
        if old_by_key.contains_key(k) {
            continue;
        }
        match listed(old, now) {
            Ok(()) => diff.added.push(ResourceRef::of(now)),
            Err(reason) => diff.unseen.push(Unseen {
                resource: ResourceRef::of(now),
                seen_in: "new".into(),
                reason: format!("the old snapshot could not list it: {}", reason_text(&reason)),
            }),
        }
    }
    diff
}

fn reason_text(reason: &UnknownReason) -> String {
    if reason.message.is_empty() {
        format!("{} ({})", reason.operation, reason.cause.label())
    } else {
        format!("{} ({}): {}", reason.operation, reason.cause.label(), reason.message)
    }
}

/// Every differing value of two versions of one resource: name, tags and properties.
pub fn diff_resource(old: &Resource, new: &Resource) -> Vec<PropertyChange> {
    let mut out = Vec::new();
    diff_values("name", &to_json(&old.name), &to_json(&new.name), &mut out);
    diff_values("tags", &to_json(&old.tags), &to_json(&new.tags), &mut out);
    let props = |r: &Resource| {
        let mut v = serde_json::to_value(&r.properties).unwrap_or(Value::Null);
        v.get_mut("properties").map(Value::take).unwrap_or(Value::Null)
    };
    diff_values("", &props(old), &props(new), &mut out);
    out
}

/// Plain data with string keys: serialization cannot fail.
fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `{"known": x}` is `x`: the wrapper of a [`crate::model::Field`] that was read.
fn unwrap_known(v: &Value) -> &Value {
    match v {
        Value::Object(map) if map.len() == 1 => map.get("known").unwrap_or(v),
        _ => v,
    }
}

fn is_unknown(v: &Value) -> bool {
    matches!(v, Value::Object(map) if map.len() == 1 && map.get("unknown").is_some_and(|r| r.get("cause").is_some()))
}

/// Properties that record activity, not configuration: they change between any two runs without anyone changing
/// the account (a trail delivered logs, a key was used), so a drift report that listed them would bury real
/// changes. Matched on the last path segment.
const VOLATILE: &[&str] = &["latest_delivery_time", "last_used", "password_last_used"];

fn is_volatile(path: &str) -> bool {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    VOLATILE.contains(&leaf)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Walks two JSON values and lists every differing leaf. Objects are compared key by key, arrays of the same
/// length element by element; anything else that differs (a scalar, arrays of different lengths, a value that
/// became absent or unknown) is one change at its path.
pub fn diff_values(path: &str, old: &Value, new: &Value, out: &mut Vec<PropertyChange>) {
    if old == new || is_volatile(path) {
        return;
    }
    let (old, new) = (unwrap_known(old), unwrap_known(new));
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if !is_unknown(old) && !is_unknown(new) => {
            for k in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let (x, y) = (a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null));
                diff_values(&join(path, k), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_values(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if old == new => {}
        _ => out.push(PropertyChange {
            path: if path.is_empty() { "properties".into() } else { path.to_string() },
            old: old.clone(),
            new: new.clone(),
        }),
    }
}

/// A JSON value for a person: scalars bare, `none` for null, `absent`, `unknown (cause)`, short objects and
/// arrays inline, long ones as `{…}` / `[N items]`.
pub fn render_value(v: &Value) -> String {
    const INLINE: usize = 60;
    match v {
        Value::Null => "none".into(),
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        _ if is_unknown(v) => {
            let reason = v.get("unknown").cloned().and_then(|r| serde_json::from_value::<UnknownReason>(r).ok());
            match reason {
                Some(r) => format!("unknown ({})", r.cause.label()),
                None => "unknown".into(),
            }
        }
        Value::Array(items) => {
            let text = v.to_string();
            if text.chars().count() <= INLINE { text } else { format!("[{}]", plural(items.len(), "item")) }
        }
        Value::Object(_) => {
            let text = v.to_string();
            if text.chars().count() <= INLINE { text } else { "{…}".into() }
        }
    }
}

/// One side of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SideInfo {
    pub path: String,
    pub account_id: String,
    pub collected_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DiffSummary {
    pub new_failures: usize,
    /// New failures at or above `fail_on`: what the exit code counts.
    pub new_failures_at_threshold: usize,
    pub fixed: usize,
    pub still_failing: usize,
    pub new_unknown: usize,
    pub resolved_unknown: usize,
    pub newly_muted: usize,
    pub not_evaluated: usize,
    /// Snapshots only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_added: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_removed: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_changed: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_unseen: Option<usize>,
}

/// The `diff` result; its JSON form is the `awsaudit.diff` schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub schema: String,
    pub schema_version: u32,
    pub generator: String,
    /// `report` (two findings files) or `snapshot` (two snapshots).
    pub input: InputKind,
    pub old: SideInfo,
    pub new: SideInfo,
    pub fail_on: Option<Severity>,
    pub summary: DiffSummary,
    pub findings: FindingsDiff,
    /// Snapshots only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesDiff>,
}

impl Diff {
    pub fn new(
        input: InputKind,
        (old, new): (SideInfo, SideInfo),
        fail_on: Option<Severity>,
        findings: FindingsDiff,
        resources: Option<ResourcesDiff>,
    ) -> Self {
        let summary = DiffSummary {
            new_failures: findings.new_failures.len(),
            new_failures_at_threshold: findings.failing(fail_on),
            fixed: findings.fixed.len(),
            still_failing: findings.still_failing.len(),
            new_unknown: findings.new_unknown.len(),
            resolved_unknown: findings.resolved_unknown.len(),
            newly_muted: findings.newly_muted.len(),
            not_evaluated: findings.not_evaluated.len(),
            resources_added: resources.as_ref().map(|r| r.added.len()),
            resources_removed: resources.as_ref().map(|r| r.removed.len()),
            resources_changed: resources.as_ref().map(|r| r.changed.len()),
            resources_unseen: resources.as_ref().map(|r| r.unseen.len()),
        };
        Diff {
            schema: DIFF_SCHEMA.to_string(),
            schema_version: DIFF_SCHEMA_VERSION,
            generator: concat!("awsaudit ", env!("CARGO_PKG_VERSION")).to_string(),
            input,
            old,
            new,
            fail_on,
            summary,
            findings,
            resources,
        }
    }

    /// 1 when a new failure reaches `fail_on`, else 0.
    pub fn outcome(&self) -> Outcome {
        if self.summary.new_failures_at_threshold > 0 { Outcome::Failing } else { Outcome::Clean }
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialization cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let side = |s: &SideInfo| {
            format!("{} (account {}, {})", s.path, s.account_id, s.collected_at.format("%Y-%m-%d %H:%M UTC"))
        };
        let _ = writeln!(text, "Drift between {}s", self.input.describe());
        let _ = writeln!(text, "  old: {}", side(&self.old));
        let _ = writeln!(text, "  new: {}", side(&self.new));
        text.push('\n');
        let _ = writeln!(text, "Findings: {}", self.findings.counts_line());
        if !self.findings.is_unchanged() {
            text.push_str(&findings_table(&self.findings));
            text.push('\n');
        }
        if let Some(resources) = &self.resources {
            text.push('\n');
            text.push_str(&resources_text(resources));
        }
        if !self.findings.still_failing.is_empty() {
            text.push('\n');
            text.push_str(&still_failing_table(&self.findings.still_failing));
        }
        text.push('\n');
        text.push_str(&self.verdict_line());
        text.push('\n');
        text
    }

    fn verdict_line(&self) -> String {
        match self.fail_on {
            None => format!(
                "{} (--fail-on none: the exit code ignores them)",
                plural(self.summary.new_failures, "new failure")
            ),
            Some(t) => format!(
                "{} at or above {t}{}",
                plural(self.summary.new_failures_at_threshold, "new failure"),
                if self.summary.new_failures_at_threshold > 0 { ": exit 1" } else { "" }
            ),
        }
    }
}

fn status_text(s: Option<Status>) -> &'static str {
    s.map_or("—", Status::as_str)
}

fn findings_table(diff: &FindingsDiff) -> String {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["Change", "Severity", "Check", "Resource", "Region", "Status"]);
    for (label, list) in diff.sections() {
        for f in list {
            table.add_row(vec![
                label.to_string(),
                f.severity.to_string(),
                f.check_id.clone(),
                format!("{} {}", f.resource.kind, f.resource.name.as_deref().unwrap_or(&f.resource.id)),
                f.region.clone(),
                format!("{} → {}", status_text(f.old_status), status_text(f.new_status)),
            ]);
        }
    }
    table.to_string()
}

/// Still-failing findings, one row per check: the full list is in the JSON form.
fn still_failing_table(list: &[FindingChange]) -> String {
    let mut by_check: Vec<(Severity, &str, Vec<String>)> = Vec::new();
    for f in list {
        let name = f.resource.name.as_deref().unwrap_or(&f.resource.id);
        let resource = format!("{name} ({})", f.region);
        match by_check.iter_mut().find(|(_, id, _)| *id == f.check_id) {
            Some((_, _, resources)) => resources.push(resource),
            None => by_check.push((f.severity, &f.check_id, vec![resource])),
        }
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["Severity", "Check", "Findings", "Resources"]);
    for (severity, check, resources) in &by_check {
        const SHOWN: usize = 3;
        let mut shown = resources.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
        if resources.len() > SHOWN {
            let _ = write!(shown, ", … {} more", resources.len() - SHOWN);
        }
        table.add_row(vec![severity.to_string(), check.to_string(), resources.len().to_string(), shown]);
    }
    format!("Still failing: {} of {}\n{table}\n", plural(list.len(), "finding"), plural(by_check.len(), "check"))
}

fn resources_text(diff: &ResourcesDiff) -> String {
    let mut text = format!(
        "Resources: {} added, {} removed, {} changed{}\n",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len(),
        if diff.unseen.is_empty() { String::new() } else { format!(", {} not comparable", diff.unseen.len()) }
    );
    for r in &diff.added {
        let _ = writeln!(text, "  + {}", r.label());
    }
    for r in &diff.removed {
        let _ = writeln!(text, "  - {}", r.label());
    }
    for c in &diff.changed {
        let _ = writeln!(text, "  ~ {}", c.resource.label());
        for p in &c.changes {
            let _ = writeln!(text, "      {}: {} → {}", p.path, render_value(&p.old), render_value(&p.new));
        }
    }
    for u in &diff.unseen {
        let _ = writeln!(text, "  ? {} (only in the {} snapshot; {})", u.resource.label(), u.seen_in, u.reason);
    }
    text
}

/// Findings of a snapshot, evaluated as `check` would; also the checks that ran.
fn evaluate(inventory: &Inventory, prepared: &Prepared, warn: bool) -> Result<(Report, BTreeSet<String>), Failure> {
    let (evaluation, warnings) = app::evaluate(inventory, prepared)?;
    if warn && !prepared.quiet {
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
    }
    let ran = evaluation.checks_run.iter().map(|s| s.to_string()).collect();
    let mut report = Report::new(inventory, evaluation, "snapshot");
    report.warnings = warnings;
    Ok((report, ran))
}

fn side(path: &Path, account_id: &str, collected_at: DateTime<Utc>) -> SideInfo {
    SideInfo { path: path.display().to_string(), account_id: account_id.to_string(), collected_at }
}

/// Keeps the findings in `regions` (and `global`); empty or `all`: every region.
pub fn keep_regions(report: &mut Report, regions: &[String]) {
    if regions.is_empty() || regions.iter().any(|r| r == "all") {
        return;
    }
    report.findings.retain(|f| f.region == GLOBAL || regions.contains(&f.region));
}

/// `awsaudit diff OLD NEW`: two findings files are compared as recorded; two snapshots are audited with the
/// prepared selection, parameters and suppressions, and their resources compared too.
pub fn compare(old_path: &Path, new_path: &Path, prepared: &Prepared, regions: &[String]) -> Result<Diff, Failure> {
    let old = load(old_path).map_err(Failure::usage)?;
    let new = load(new_path).map_err(Failure::usage)?;
    let fail_on = prepared.output.fail_on;
    let diff = match (old, new) {
        (Input::Report(mut old), Input::Report(mut new)) => {
            keep_regions(&mut old, regions);
            keep_regions(&mut new, regions);
            let findings = diff_findings(&old.findings, &new.findings, &checks_in(&new));
            let sides =
                (side(old_path, &old.account_id, old.collected_at), side(new_path, &new.account_id, new.collected_at));
            Diff::new(InputKind::Report, sides, fail_on, findings, None)
        }
        (Input::Snapshot(mut old), Input::Snapshot(mut new)) => {
            if !regions.is_empty() && !regions.iter().any(|r| r == "all") {
                app::restrict_regions(&mut old, regions);
                app::restrict_regions(&mut new, regions);
            }
            let (old_report, _) = evaluate(&old, prepared, false)?;
            let (new_report, ran) = evaluate(&new, prepared, true)?;
            let findings = diff_findings(&old_report.findings, &new_report.findings, &ran);
            let resources = diff_resources(&old, &new);
            let sides =
                (side(old_path, &old.account_id, old.collected_at), side(new_path, &new.account_id, new.collected_at));
            Diff::new(InputKind::Snapshot, sides, fail_on, findings, Some(resources))
        }
        (old, new) => {
            return Err(Failure::usage(anyhow::anyhow!(
                "cannot compare {} (a {}) with {} (a {}): give two findings files (`--format json`) or two snapshots",
                old_path.display(),
                old.kind().describe(),
                new_path.display(),
                new.kind().describe()
            )));
        }
    };
    if diff.old.account_id != diff.new.account_id && !prepared.quiet {
        eprintln!(
            "warning: the two inputs are of different accounts ({} and {})",
            diff.old.account_id, diff.new.account_id
        );
    }
    Ok(diff)
}

/// A previous run for `--baseline`: a findings file, or a snapshot audited with the same settings.
pub struct Baseline {
    pub path: String,
    pub report: Report,
}

/// Loads `--baseline FILE`; a file that cannot be read or understood is a usage error.
pub fn load_baseline(path: &Path, prepared: &Prepared) -> Result<Baseline, Failure> {
    let shown = path.display().to_string();
    let report = match load(path).map_err(|e| Failure::usage(anyhow::Error::new(e).context("--baseline")))? {
        Input::Report(report) => *report,
        Input::Snapshot(inventory) => evaluate(&inventory, prepared, false)?.0,
    };
    Ok(Baseline { path: shown, report })
}

/// The drift of this run against `--baseline`, for stderr: the counts and the new failures.
pub fn baseline_summary(baseline: &Baseline, diff: &FindingsDiff, fail_on: Option<Severity>) -> String {
    let mut text = format!(
        "drift since {} ({}): {}\n",
        baseline.path,
        baseline.report.collected_at.format("%Y-%m-%d %H:%M UTC"),
        diff.counts_line()
    );
    for f in &diff.new_failures {
        let counts = fail_on.is_some_and(|t| f.severity >= t);
        let _ = writeln!(
            text,
            "  NEW FAIL {:<8} {} {} {} ({}; {}){}: {}",
            f.severity,
            f.check_id,
            f.resource.kind,
            f.resource.name.as_deref().unwrap_or(&f.resource.id),
            f.region,
            f.old_status.map_or("new finding".to_string(), |s| format!("was {s}")),
            if counts { "" } else { " [below --fail-on]" },
            f.message
        );
    }
    text
}

/// The exit code of a run with `--baseline`: 1 for a new failure at or above the threshold (failures already
/// in the baseline do not fail the run), else 3 if something is UNKNOWN now, else 0.
pub fn baseline_outcome(report: &Report, diff: &FindingsDiff, fail_on: Option<Severity>) -> Outcome {
    if diff.failing(fail_on) > 0 {
        Outcome::Failing
    } else if report.findings.iter().any(|f| f.status == Status::Unknown) {
        Outcome::Incomplete
    } else {
        Outcome::Clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{inventory, resource};
    use crate::model::{Field, S3Bucket, Versioning};
    use serde_json::json;

    fn changes(old: Value, new: Value) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        diff_values("", &old, &new, &mut out);
        out.into_iter().map(|c| (c.path, render_value(&c.old), render_value(&c.new))).collect()
    }

    fn t(path: &str, old: &str, new: &str) -> (String, String, String) {
        (path.to_string(), old.to_string(), new.to_string())
    }

    #[test]
    fn activity_timestamps_are_not_drift() {
        let old = json!({"status": {"is_logging": true, "latest_delivery_time": "2026-11-01T00:00:00Z"}});
        let new = json!({"status": {"is_logging": false, "latest_delivery_time": "2026-11-02T00:00:00Z"}});
        assert_eq!(changes(old, new), vec![t("status.is_logging", "true", "false")]);
        let keys = |used: &str| json!({"access_keys": [{"active": true, "last_used": used}]});
        assert!(changes(keys("2026-11-01T00:00:00Z"), keys("2026-11-02T00:00:00Z")).is_empty());
    }

    #[test]
    fn leaf_diff_unwraps_fields_and_lists_each_changed_leaf() {
        let old = json!({
            "versioning": {"known": {"status": "Enabled", "mfa_delete": null}},
            "policy": "absent",
            "logging": {"known": {"target_bucket": "a", "target_prefix": "x/"}},
            "same": {"known": [1, 2]},
            "rules": [{"port": 22, "cidr": "0.0.0.0/0"}, {"port": 443, "cidr": "0.0.0.0/0"}],
            "list": [1, 2],
            "gone": 1
        });
        let new = json!({
            "versioning": {"known": {"status": "Suspended", "mfa_delete": null}},
            "policy": {"known": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}},
            "logging": {"unknown": {"cause": "access_denied", "operation": "s3:GetBucketLogging"}},
            "same": {"known": [1, 2]},
            "rules": [{"port": 22, "cidr": "10.0.0.0/8"}, {"port": 443, "cidr": "0.0.0.0/0"}],
            "list": [1, 2, 3],
            "added": "x"
        });
        assert_eq!(
            changes(old, new),
            vec![
                t("gone", "1", "none"),
                t("list", "[1,2]", "[1,2,3]"),
                t("logging", r#"{"target_bucket":"a","target_prefix":"x/"}"#, "unknown (access denied)"),
                t("policy", "absent", "{…}"),
                t("rules[0].cidr", "0.0.0.0/0", "10.0.0.0/8"),
                t("versioning.status", "Enabled", "Suspended"),
                t("added", "none", "x"),
            ]
        );
        assert!(changes(json!({"a": {"known": 1}}), json!({"a": {"known": 1}})).is_empty());
        assert_eq!(changes(json!(1), json!(2)), vec![t("properties", "1", "2")]);
        let long: Vec<u32> = (0..40).collect();
        assert_eq!(render_value(&json!(long)), "[40 items]");
        assert_eq!(render_value(&json!("")), "\"\"");
    }

    #[test]
    fn resource_diff_reads_like_the_issue() {
        let mut old_inv = inventory();
        let bucket = S3Bucket {
            versioning: Field::Known(Versioning { status: Some("Enabled".into()), mfa_delete: None }),
            policy: Field::Absent,
            ..Default::default()
        };
        let mut logs = resource("logs-prod", bucket.clone());
        logs.tags = Field::Known([("Env".to_string(), "prod".to_string())].into_iter().collect());
        old_inv.resources.push(logs.clone());
        old_inv.resources.push(resource("old-bucket", S3Bucket::default()));

        let mut new_inv = inventory();
        let mut changed = logs.clone();
        let mut suspended = bucket;
        suspended.versioning = Field::Known(Versioning { status: Some("Suspended".into()), mfa_delete: None });
        changed.properties = suspended.into();
        changed.tags = Field::Known([("Env".to_string(), "dev".to_string())].into_iter().collect());
        new_inv.resources.push(changed);
        new_inv.resources.push(resource("new-bucket", S3Bucket::default()));

        let diff = diff_resources(&old_inv, &new_inv);
        assert_eq!(diff.added.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["new-bucket"]);
        assert_eq!(diff.removed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["old-bucket"]);
        assert_eq!(diff.changed.len(), 1);
        let text = resources_text(&diff);
        assert!(text.contains("~ AWS::S3::Bucket logs-prod (eu-west-1)"), "{text}");
        assert!(text.contains("versioning.status: Enabled → Suspended"), "{text}");
        assert!(text.contains("tags.Env: prod → dev"), "{text}");
        assert!(text.contains("+ AWS::S3::Bucket new-bucket"), "{text}");
        assert!(text.contains("- AWS::S3::Bucket old-bucket"), "{text}");

        // A resource missing from a snapshot that could not list its kind is not "removed".
        crate::checks::testing::fail_listing(
            &mut new_inv,
            crate::model::ResourceKind::S3Bucket,
            "eu-west-1",
            crate::checks::testing::denied("s3:ListBuckets"),
        );
        let diff = diff_resources(&old_inv, &new_inv);
        assert!(diff.removed.is_empty());
        assert_eq!(diff.unseen.len(), 1);
        assert_eq!(diff.unseen[0].seen_in, "old");
    }

    fn finding(check: &str, uid: &str, severity: Severity, status: Status) -> Finding {
        Finding {
            id: Finding::finding_id(check, "123456789012", "eu-west-1", uid),
            check_id: check.into(),
            title: "t".into(),
            service: "s3".into(),
            severity,
            status,
            account_id: "123456789012".into(),
            region: "eu-west-1".into(),
            resource: FindingResource { kind: "AWS::S3::Bucket".into(), id: uid.into(), uid: uid.into(), name: None },
            message: format!("{uid} {status}"),
            unknown_reason: None,
            muted: None,
            compliance: Vec::new(),
        }
    }

    #[test]
    fn findings_are_classified_by_their_status_in_each_run() {
        use Severity::*;
        use Status::*;
        let old = vec![
            finding("c", "still", High, Fail),
            finding("c", "fixed", High, Fail),
            finding("c", "deleted", High, Fail),
            finding("c", "was-pass", Low, Pass),
            finding("c", "was-unknown", Medium, Unknown),
            finding("c", "was-muted", Medium, Muted),
            finding("c", "unknown-resolved", Medium, Unknown),
            finding("c", "fail-to-unknown", Medium, Fail),
            finding("c", "fail-to-muted", Medium, Fail),
            finding("c", "pass-pass", Medium, Pass),
            finding("skipped", "x", Critical, Fail),
        ];
        let new = vec![
            finding("c", "still", High, Fail),
            finding("c", "fixed", High, Pass),
            finding("c", "was-pass", Low, Fail),
            finding("c", "was-unknown", Medium, Fail),
            finding("c", "was-muted", Medium, Fail),
            finding("c", "brand-new", Critical, Fail),
            finding("c", "unknown-resolved", Medium, Pass),
            finding("c", "fail-to-unknown", Medium, Unknown),
            finding("c", "fail-to-muted", Medium, Muted),
            finding("c", "pass-pass", Medium, Pass),
        ];
        let ran: BTreeSet<String> = ["c".to_string()].into();
        let diff = diff_findings(&old, &new, &ran);
        let ids = |list: &[FindingChange]| list.iter().map(|f| f.resource.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&diff.new_failures), ["brand-new", "was-muted", "was-unknown", "was-pass"]);
        assert_eq!(diff.new_failures[0].old_status, None);
        assert_eq!(ids(&diff.fixed), ["deleted", "fixed"]);
        assert_eq!(ids(&diff.still_failing), ["still"]);
        assert_eq!(ids(&diff.new_unknown), ["fail-to-unknown"]);
        assert_eq!(ids(&diff.resolved_unknown), ["unknown-resolved"]);
        assert_eq!(ids(&diff.newly_muted), ["fail-to-muted"]);
        assert_eq!(ids(&diff.not_evaluated), ["x"]);

        assert_eq!(diff.failing(Some(Low)), 4);
        assert_eq!(diff.failing(Some(Medium)), 3);
        assert_eq!(diff.failing(Some(Critical)), 1);
        assert_eq!(diff.failing(None), 0);

        let report = |findings: Vec<Finding>| {
            let mut r = Report::new(
                &inventory(),
                crate::engine::Evaluation { findings: vec![], checks_run: vec![], skipped: vec![] },
                "snapshot",
            );
            r.findings = findings;
            r
        };
        assert_eq!(baseline_outcome(&report(new.clone()), &diff, Some(Low)), Outcome::Failing);
        assert_eq!(baseline_outcome(&report(new.clone()), &diff, None), Outcome::Incomplete);
        let same = diff_findings(&old, &old, &ran);
        let old_report = report(old.clone());
        assert_eq!(baseline_outcome(&old_report, &same, Some(Low)), Outcome::Incomplete, "pre-existing failures pass");
        let passing = report(vec![finding("c", "still", High, Fail)]);
        let same = diff_findings(&passing.findings, &passing.findings, &ran);
        assert_eq!(baseline_outcome(&passing, &same, Some(Low)), Outcome::Clean);
        assert_eq!(same.still_failing.len(), 1);
        assert_eq!(checks_in(&old_report), ["c".to_string(), "skipped".to_string()].into());
    }

    #[test]
    fn inputs_are_told_apart_by_schema() {
        let inv = inventory();
        assert_eq!(parse(&inv.to_snapshot_json(), "s.json").map(|i| i.kind()).ok(), Some(InputKind::Snapshot));
        let report = Report::new(
            &inv,
            crate::engine::Evaluation { findings: vec![], checks_run: vec![], skipped: vec![] },
            "snapshot",
        );
        let text = crate::report::json::render(&report);
        assert_eq!(parse(&text, "r.json").map(|i| i.kind()).ok(), Some(InputKind::Report));
        let err = |text: &str| parse(text, "f.json").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err("{").contains("f.json is not valid JSON"));
        assert!(err(r#"{"schema": "other"}"#).contains("neither an awsaudit findings file"));
        assert!(err("[]").contains("no \"schema\" field"));
        assert!(err(r#"{"schema": "awsaudit.report", "schema_version": 9}"#).contains("schema version 9"));
        assert!(err(r#"{"schema": "awsaudit.report", "schema_version": 1}"#).contains("malformed"));
    }

    #[test]
    fn diff_json_is_stable() {
        let findings = diff_findings(&[], &[finding("c", "b", Severity::High, Status::Fail)], &BTreeSet::new());
        let at = inventory().collected_at;
        let side = |p: &str| SideInfo { path: p.into(), account_id: "1".into(), collected_at: at };
        let diff = Diff::new(InputKind::Report, (side("a"), side("b")), Some(Severity::Low), findings, None);
        assert_eq!(diff.outcome(), Outcome::Failing);
        let value: Value = serde_json::from_str(&diff.to_json()).unwrap_or_default();
        assert_eq!(value["schema"], DIFF_SCHEMA);
        assert_eq!(value["input"], "report");
        assert_eq!(value["summary"]["new_failures_at_threshold"], 1);
        assert_eq!(value["findings"]["new_failures"][0]["old_status"], Value::Null);
        assert!(value.get("resources").is_none());
        let back: Diff = serde_json::from_str(&diff.to_json()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, diff);
        let text = diff.to_text();
        assert!(text.contains("NEW FAIL") && text.contains("— → FAIL"), "{text}");
        assert!(text.contains("1 new failure at or above low: exit 1"), "{text}");
    }
}
