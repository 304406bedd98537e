//! Runs the selected checks over an Inventory.

use crate::check::{CheckMeta, CheckScope, Context, DynCheck, Findings, ParamError, Verdict};
use crate::checks::REGISTRY;
use crate::finding::{Finding, Severity, Status};
use crate::model::{Inventory, ListingState};
use std::collections::BTreeMap;

/// Which checks to run. Empty lists mean "all".
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub checks: Vec<String>,
    pub services: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    #[error("unknown check id {id:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownCheck { id: String, suggestion: Option<String> },
    #[error("unknown service {name:?}; known services: {known}")]
    UnknownService { name: String, known: String },
}

/// Check parameters by check id, as JSON objects.
pub type Params = BTreeMap<String, serde_json::Value>;

pub fn select(selection: &Selection) -> Result<Vec<&'static dyn DynCheck>, SelectionError> {
    for id in &selection.checks {
        if !REGISTRY.iter().any(|c| c.meta().id == id) {
            return Err(SelectionError::UnknownCheck {
                id: id.clone(),
                suggestion: closest(id, REGISTRY.iter().map(|c| c.meta().id)),
            });
        }
    }
    for name in &selection.services {
        if !crate::model::SERVICES.contains(&name.as_str()) {
            return Err(SelectionError::UnknownService {
                name: name.clone(),
                known: crate::model::SERVICES.join(", "),
            });
        }
    }
    Ok(REGISTRY
        .iter()
        .copied()
        .filter(|c| selection.checks.is_empty() || selection.checks.iter().any(|id| id == c.meta().id))
        .filter(|c| selection.services.is_empty() || selection.services.iter().any(|s| s == c.meta().service))
        .collect())
}

/// The nearest known name to a misspelt one, if any is close.
pub fn closest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    known
        // A truncated id (`s3_bucket_versioning`) is as good a hint as a typo.
        .map(|k| (if !wanted.is_empty() && k.contains(wanted) { 1 } else { edit_distance(wanted, k) }, k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 4))
        .min()
        .map(|(_, k)| k.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks whose service was not collected are not run; this says so for the report.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SkippedCheck {
    pub check_id: String,
    pub reason: String,
}

pub struct Evaluation {
    pub findings: Vec<Finding>,
    pub checks_run: Vec<&'static str>,
    pub skipped: Vec<SkippedCheck>,
}

/// Validates every configured check's parameters before anything runs.
pub fn validate_params(params: &Params) -> Result<(), ParamError> {
    for (id, value) in params {
        let Some(check) = crate::checks::find(id) else {
            let hint = closest(id, REGISTRY.iter().map(|c| c.meta().id));
            return Err(ParamError {
                check: id.clone(),
                detail: format!("no such check{}", hint.map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default()),
            });
        };
        check.validate_params(value)?;
    }
    Ok(())
}

pub fn evaluate(
    inventory: &Inventory,
    checks: &[&'static dyn DynCheck],
    params: &Params,
) -> Result<Evaluation, ParamError> {
    let cx = Context::new(inventory);
    let mut findings = Vec::new();
    let mut checks_run = Vec::new();
    let mut skipped = Vec::new();
    for check in checks {
        let meta = check.meta();
        // A check runs when at least one kind it reads was collected; a check reading several services reports
        // UNKNOWN itself for what is missing.
        if !meta.kinds.iter().any(|k| inventory.services.iter().any(|s| s == k.service())) {
            skipped.push(SkippedCheck {
                check_id: meta.id.to_string(),
                reason: format!("service {} was not collected", meta.service),
            });
            continue;
        }
        let mut out = Findings::new(meta, inventory);
        check.run_dyn(&cx, params.get(meta.id), &mut out)?;
        findings.extend(out.into_findings());
        findings.extend(listing_gaps(meta, inventory));
        checks_run.push(meta.id);
    }
    findings.sort_by(|a, b| {
        (b.severity, a.check_id.as_str(), a.region.as_str(), a.resource.uid.as_str()).cmp(&(
            a.severity,
            b.check_id.as_str(),
            b.region.as_str(),
            b.resource.uid.as_str(),
        ))
    });
    Ok(Evaluation { findings, checks_run, skipped })
}

/// For a resource-scoped check: one UNKNOWN finding per region where its kind could not be listed, because
/// resources that were not seen cannot pass.
pub fn listing_gaps(meta: &'static CheckMeta, inventory: &Inventory) -> Vec<Finding> {
    let Some(kind) = meta.primary_kind() else { return Vec::new() };
    if meta.scope != CheckScope::Resource {
        return Vec::new();
    }
    let mut out = Findings::new(meta, inventory);
    for listing in inventory.listed_regions(kind) {
        let state = inventory.listing(kind, &listing.region);
        if let (ListingState::Failed(_), Err(reason)) = (&state, state.complete(kind, &listing.region)) {
            out.region(&listing.region, Verdict::Unknown(reason));
        }
    }
    out.into_findings()
}

/// The process exit codes, documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No failing finding at or above the threshold, and nothing unknown.
    Clean = 0,
    /// At least one FAIL at or above `--fail-on`.
    Failing = 1,
    /// Bad flags, config, parameters or input files.
    UsageError = 2,
    /// No failing finding at or above the threshold, but some findings are UNKNOWN: the audit is incomplete.
    Incomplete = 3,
    /// The audit could not run (no credentials, AWS unreachable) or an output could not be written.
    RuntimeError = 4,
}

/// `None` threshold: findings never fail the run (`--fail-on none`).
pub fn outcome(findings: &[Finding], fail_on: Option<Severity>) -> Outcome {
    let failing = fail_on.is_some_and(|t| findings.iter().any(|f| f.status == Status::Fail && f.severity >= t));
    if failing {
        Outcome::Failing
    } else if findings.iter().any(|f| f.status == Status::Unknown) {
        Outcome::Incomplete
    } else {
        Outcome::Clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses() {
        assert_eq!(
            closest("s3_bucket_versioning", REGISTRY.iter().map(|c| c.meta().id)).as_deref(),
            Some("s3_bucket_versioning_enabled")
        );
        assert_eq!(closest("zzz", ["abc_def_ghi"].into_iter()), None);
    }

    #[test]
    fn unknown_check_is_an_error() {
        let sel = Selection { checks: vec!["nope".into()], services: vec![] };
        assert!(matches!(select(&sel), Err(SelectionError::UnknownCheck { .. })));
    }
}
