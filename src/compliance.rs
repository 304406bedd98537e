//! The per-control summary a `--compliance` run adds to its report: for each control of the selected
//! frameworks, whether the checks mapped to it passed, failed, could not tell, or found nothing to judge.

use crate::check::{Control, DynCheck};
use crate::engine::SkippedCheck;
use crate::finding::{Finding, Status};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A control's verdict, in Security Hub's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ControlStatus {
    /// Every finding passed (or was muted by a suppression).
    Passed,
    /// At least one finding failed.
    Failed,
    /// Nothing failed, but something could not be judged: an UNKNOWN finding, or a mapped check that was not run
    /// because its service was not collected.
    Unknown,
    /// The mapped checks ran and found no resource to judge.
    NoData,
}

impl ControlStatus {
    pub const ALL: [ControlStatus; 4] =
        [ControlStatus::Failed, ControlStatus::Unknown, ControlStatus::Passed, ControlStatus::NoData];

    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Passed => "PASSED",
            ControlStatus::Failed => "FAILED",
            ControlStatus::Unknown => "UNKNOWN",
            ControlStatus::NoData => "NO_DATA",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlSummary {
    /// `cis-5.0` or `fsbp`.
    pub framework: String,
    /// The control id within its framework (`1.14`, `S3.8`).
    pub control: String,
    pub status: ControlStatus,
    /// The checks mapped to the control, in registry order.
    pub checks: Vec<String>,
    /// Mapped checks that did not run (their service was not collected).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_checks: Vec<String>,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub muted: usize,
}

/// The frameworks present in `summaries`, each with how many of its controls have each status, in
/// [`ControlStatus::ALL`] order: the headline of a compliance section.
pub fn framework_totals(summaries: &[ControlSummary]) -> Vec<(&str, Vec<(ControlStatus, usize)>)> {
    let mut frameworks: Vec<&str> = summaries.iter().map(|s| s.framework.as_str()).collect();
    frameworks.dedup();
    frameworks
        .into_iter()
        .map(|framework| {
            let of = summaries.iter().filter(|s| s.framework == framework);
            let counts =
                ControlStatus::ALL.iter().map(|status| (*status, of.clone().filter(|s| s.status == *status).count()));
            (framework, counts.collect())
        })
        .collect()
}

/// Whether a compliance selector (`cis-5.0`, `fsbp:S3.8`) names this control or its framework.
pub fn selects(selector: &str, control: &Control) -> bool {
    control.framework.key().eq_ignore_ascii_case(selector) || control.to_string().eq_ignore_ascii_case(selector)
}

/// One summary per control that a selector names and at least one selected check maps to, ordered by framework
/// then control id (numerically: `1.2` before `1.10`).
pub fn summarize(
    selectors: &[String],
    checks: &[&'static dyn DynCheck],
    skipped: &[SkippedCheck],
    findings: &[Finding],
) -> Vec<ControlSummary> {
    let mut controls: BTreeMap<(String, String), ControlSummary> = BTreeMap::new();
    for check in checks {
        let meta = check.meta();
        let was_skipped = skipped.iter().any(|s| s.check_id == meta.id);
        for control in meta.compliance.iter().filter(|c| selectors.iter().any(|s| selects(s, c))) {
            let summary =
                controls.entry((control.framework.key().to_string(), control.id.to_string())).or_insert_with(|| {
                    ControlSummary {
                        framework: control.framework.key().to_string(),
                        control: control.id.to_string(),
                        status: ControlStatus::NoData,
                        checks: Vec::new(),
                        skipped_checks: Vec::new(),
                        pass: 0,
                        fail: 0,
                        unknown: 0,
                        muted: 0,
                    }
                });
            summary.checks.push(meta.id.to_string());
            if was_skipped {
                summary.skipped_checks.push(meta.id.to_string());
            }
            for finding in findings.iter().filter(|f| f.check_id == meta.id) {
                match finding.status {
                    Status::Pass => summary.pass += 1,
                    Status::Fail => summary.fail += 1,
                    Status::Unknown => summary.unknown += 1,
                    Status::Muted => summary.muted += 1,
                }
            }
        }
    }
    let mut summaries: Vec<ControlSummary> = controls
        .into_values()
        .map(|mut s| {
            s.status = if s.fail > 0 {
                ControlStatus::Failed
            } else if s.unknown > 0 || !s.skipped_checks.is_empty() {
                ControlStatus::Unknown
            } else if s.pass + s.muted > 0 {
                ControlStatus::Passed
            } else {
                ControlStatus::NoData
            };
            s
        })
        .collect();
    summaries.sort_by(|a, b| a.framework.cmp(&b.framework).then_with(|| natural_cmp(&a.control, &b.control)));
    summaries
}

/// Compares control ids chunk by chunk, digits as numbers: `S3.2` < `S3.10`, `1.9` < `1.14`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<Result<u64, &str>> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(first) = rest.chars().next() {
            let digit = first.is_ascii_digit();
            let end = rest.find(|c: char| c.is_ascii_digit() != digit).unwrap_or(rest.len());
            let (chunk, tail) = rest.split_at(end);
            // Ids are short; a number too long for u64 compares as text.
            out.push(if digit { chunk.parse::<u64>().map_err(|_| chunk) } else { Err(chunk) });
            rest = tail;
        }
        out
    }
    chunks(a).cmp(&chunks(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::REGISTRY;
    use crate::finding::Severity;

    fn finding(check: &'static dyn DynCheck, status: Status) -> Finding {
        let id = check.meta().id;
        crate::report::testdata::finding(id, id, Severity::High, status, "eu-west-1", "AWS::S3::Bucket", "b")
    }

    fn mapped_to(control: &str) -> Vec<&'static dyn DynCheck> {
        REGISTRY.iter().copied().filter(|c| c.meta().compliance.iter().any(|ctl| ctl.to_string() == control)).collect()
    }

    #[test]
    fn statuses_follow_the_findings_of_every_mapped_check() {
        let checks = mapped_to("fsbp:S3.8");
        assert!(!checks.is_empty());
        let selectors = vec!["fsbp:S3.8".to_string()];
        let status = |findings: &[Finding], skipped: &[SkippedCheck]| {
            let summary = summarize(&selectors, &checks, skipped, findings);
            assert_eq!(summary.len(), 1, "{summary:?}");
            summary[0].status
        };
        assert_eq!(status(&[], &[]), ControlStatus::NoData);
        assert_eq!(status(&[finding(checks[0], Status::Pass)], &[]), ControlStatus::Passed);
        assert_eq!(status(&[finding(checks[0], Status::Muted)], &[]), ControlStatus::Passed);
        assert_eq!(
            status(&[finding(checks[0], Status::Pass), finding(checks[0], Status::Unknown)], &[]),
            ControlStatus::Unknown
        );
        assert_eq!(
            status(&[finding(checks[0], Status::Unknown), finding(checks[0], Status::Fail)], &[]),
            ControlStatus::Failed
        );
        let skipped = [SkippedCheck { check_id: checks[0].meta().id.into(), reason: "service not collected".into() }];
        assert_eq!(status(&[], &skipped), ControlStatus::Unknown);
    }

    #[test]
    fn only_selected_controls_in_natural_order() {
        let checks: Vec<&'static dyn DynCheck> = REGISTRY.to_vec();
        let cis = summarize(&["CIS-5.0".to_string()], &checks, &[], &[]);
        assert!(!cis.is_empty());
        assert!(cis.iter().all(|s| s.framework == "cis-5.0"));
        let ids: Vec<&str> = cis.iter().map(|s| s.control.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, sorted);
        let both = summarize(&["cis-5.0".to_string(), "fsbp".to_string()], &checks, &[], &[]);
        assert!(both.len() > cis.len());
        assert!(both.iter().any(|s| s.framework == "fsbp"));
    }

    #[test]
    fn natural_order_of_control_ids() {
        let mut ids = vec!["S3.10", "1.14", "S3.2", "1.9", "EC2.170", "EC2.18", "1.4"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["1.4", "1.9", "1.14", "EC2.18", "EC2.170", "S3.2", "S3.10"]);
    }
}
