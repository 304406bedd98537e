//! Runs the selected checks over an Inventory.

use crate::check::{CheckMeta, CheckScope, Context, DynCheck, Findings, Framework, ParamError, Verdict};
use crate::checks::REGISTRY;
use crate::finding::{Finding, Severity, Status};
use crate::model::{Inventory, ListingState};
use std::collections::BTreeMap;

/// Which checks to run. Empty lists mean "all".
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Check ids or globs over them (`s3_*`).
    pub checks: Vec<String>,
    /// Check ids or globs to leave out.
    pub exclude: Vec<String>,
    pub services: Vec<String>,
    /// Only checks of at least this severity.
    pub min_severity: Option<Severity>,
    /// Only checks mapped to one of these frameworks (`cis-5.0`, `fsbp`) or controls (`fsbp:S3.8`).
    pub compliance: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    #[error("unknown check id {id:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownCheck { id: String, suggestion: Option<String> },
    #[error("unknown service {name:?}; known services: {known}")]
    UnknownService { name: String, known: String },
    #[error("{0}")]
    BadPattern(String),
    #[error("check pattern {pattern:?} matches no check (see `awsaudit checks list`)")]
    NoMatch { pattern: String },
    #[error("unknown compliance framework {name:?}{}; known frameworks: {known}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownFramework { name: String, suggestion: Option<String>, known: String },
    #[error("no check maps to compliance control {control:?}")]
    UnknownControl { control: String },
    #[error("the selection (checks, services, severity, compliance) leaves no check to run")]
    Empty,
}

/// The compliance frameworks, by the key used in `compliance` selections and control names.
pub const FRAMEWORKS: [Framework; 2] = [Framework::Cis5, Framework::Fsbp];

/// Check parameters by check id, as JSON objects.
pub type Params = BTreeMap<String, serde_json::Value>;

/// A check id, or a glob that matches at least one check id.
pub fn validate_check_selector(selector: &str) -> Result<(), SelectionError> {
    let ids = || REGISTRY.iter().map(|c| c.meta().id);
    if crate::suppress::is_glob(selector) {
        let pattern = crate::suppress::Pattern::new(selector).map_err(SelectionError::BadPattern)?;
        if !ids().any(|id| pattern.is_match(id)) {
            return Err(SelectionError::NoMatch { pattern: selector.to_string() });
        }
    } else if !ids().any(|id| id == selector) {
        return Err(SelectionError::UnknownCheck { id: selector.to_string(), suggestion: closest(selector, ids()) });
    }
    Ok(())
}

/// A framework key (`cis-5.0`), or a control (`fsbp:S3.8`) that at least one check maps to.
pub fn validate_compliance_selector(selector: &str) -> Result<(), SelectionError> {
    let framework = selector.split_once(':').map_or(selector, |(f, _)| f);
    if !FRAMEWORKS.iter().any(|f| f.key().eq_ignore_ascii_case(framework)) {
        return Err(SelectionError::UnknownFramework {
            name: framework.to_string(),
            suggestion: closest(&framework.to_ascii_lowercase(), FRAMEWORKS.iter().map(|f| f.key())),
            known: FRAMEWORKS.map(|f| f.key()).join(", "),
        });
    }
    if selector.contains(':') && !REGISTRY.iter().any(|c| maps_to(c.meta(), selector)) {
        return Err(SelectionError::UnknownControl { control: selector.to_string() });
    }
    Ok(())
}

fn maps_to(meta: &CheckMeta, selector: &str) -> bool {
    meta.compliance.iter().any(|c| crate::compliance::selects(selector, c))
}

fn selected(patterns: &[crate::suppress::Pattern], id: &str) -> bool {
    patterns.iter().any(|p| p.is_match(id))
}

pub fn select(selection: &Selection) -> Result<Vec<&'static dyn DynCheck>, SelectionError> {
    let compile = |selectors: &[String]| -> Result<Vec<crate::suppress::Pattern>, SelectionError> {
        selectors
            .iter()
            .map(|s| {
                validate_check_selector(s)?;
                crate::suppress::Pattern::new(s).map_err(SelectionError::BadPattern)
            })
            .collect()
    };
    let include = compile(&selection.checks)?;
    let exclude = compile(&selection.exclude)?;
    for name in &selection.services {
        if !crate::model::SERVICES.contains(&name.as_str()) {
            return Err(SelectionError::UnknownService {
                name: name.clone(),
                known: crate::model::SERVICES.join(", "),
            });
        }
    }
    for selector in &selection.compliance {
        validate_compliance_selector(selector)?;
    }
    let checks: Vec<&'static dyn DynCheck> = REGISTRY
        .iter()
        .copied()
        .filter(|c| include.is_empty() || selected(&include, c.meta().id))
        .filter(|c| !selected(&exclude, c.meta().id))
        .filter(|c| selection.services.is_empty() || selection.services.iter().any(|s| s == c.meta().service))
        .filter(|c| selection.min_severity.is_none_or(|min| c.meta().severity >= min))
        .filter(|c| selection.compliance.is_empty() || selection.compliance.iter().any(|s| maps_to(c.meta(), s)))
        .collect();
    if checks.is_empty() {
        return Err(SelectionError::Empty);
    }
    Ok(checks)
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
        let sel = Selection { checks: vec!["nope".into()], ..Default::default() };
        assert!(matches!(select(&sel), Err(SelectionError::UnknownCheck { .. })));
    }

    fn ids(selection: Selection) -> Vec<&'static str> {
        select(&selection).unwrap_or_else(|e| panic!("{e}")).iter().map(|c| c.meta().id).collect()
    }

    #[test]
    fn globs_exclusions_severity_and_compliance_select() {
        let s3 = ids(Selection { checks: vec!["s3_*".into()], ..Default::default() });
        assert!(s3.len() > 3 && s3.iter().all(|id| id.starts_with("s3_")), "{s3:?}");
        let without = ids(Selection {
            checks: vec!["s3_*".into()],
            exclude: vec!["s3_bucket_versioning_enabled".into()],
            ..Default::default()
        });
        assert_eq!(without.len(), s3.len() - 1);
        assert!(!without.contains(&"s3_bucket_versioning_enabled"));

        let high = ids(Selection { min_severity: Some(Severity::High), ..Default::default() });
        assert!(!high.is_empty());
        assert!(high.iter().all(|id| crate::checks::find(id).is_some_and(|c| c.meta().severity >= Severity::High)));

        for framework in FRAMEWORKS {
            let mapped = ids(Selection { compliance: vec![framework.key().into()], ..Default::default() });
            assert!(!mapped.is_empty());
            assert!(mapped.iter().all(|id| {
                crate::checks::find(id)
                    .is_some_and(|c| c.meta().compliance.iter().any(|ctl| ctl.framework == framework))
            }));
        }
        let control = REGISTRY.iter().flat_map(|c| c.meta().compliance.iter()).next().map(ToString::to_string);
        let control = control.unwrap_or_default();
        assert!(!ids(Selection { compliance: vec![control.to_uppercase()], ..Default::default() }).is_empty());
    }

    #[test]
    fn bad_selectors_are_errors() {
        let err = |selection: Selection| select(&selection).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(Selection { checks: vec!["zz_*".into()], ..Default::default() }).contains("matches no check"));
        assert!(err(Selection { exclude: vec!["s3_[".into()], ..Default::default() }).contains("invalid glob"));
        let cis = err(Selection { compliance: vec!["cis".into()], ..Default::default() });
        assert!(cis.contains("did you mean \"cis-5.0\""), "{cis}");
        assert!(err(Selection { compliance: vec!["fsbp:Nope.1".into()], ..Default::default() }).contains("Nope.1"));
        let empty = Selection { checks: vec!["s3_*".into()], services: vec!["kms".into()], ..Default::default() };
        assert!(matches!(select(&empty), Err(SelectionError::Empty)));
    }
}
