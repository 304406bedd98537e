//! Findings: one verdict of one check on one resource (or one region of the account).

use crate::model::UnknownReason;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    /// The check could not judge the resource: data it needs could not be read.
    Unknown,
    /// An operator suppressed the finding; the underlying status is kept in `Finding::muted`.
    Muted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Unknown => "UNKNOWN",
            Status::Muted => "MUTED",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource a finding is about. Account- and region-level findings name the account
/// (`kind` `AWS::::Account`, as Security Hub does).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingResource {
    pub kind: String,
    pub id: String,
    /// The ARN, or `AWS::::Account:<id>` for the account itself.
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

pub const ACCOUNT_KIND: &str = "AWS::::Account";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Muted {
    pub underlying_status: Status,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Deterministic: the same check on the same resource gets the same id in every run.
    pub id: String,
    pub check_id: String,
    pub title: String,
    pub service: String,
    pub severity: Severity,
    pub status: Status,
    pub account_id: String,
    pub region: String,
    pub resource: FindingResource,
    /// What was found, in a sentence.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_reason: Option<UnknownReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<Muted>,
    /// Compliance controls the check maps to (`cis-5.0:2.1.4`, `fsbp:S3.8`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance: Vec<String>,
}

impl Finding {
    pub fn finding_id(check_id: &str, account_id: &str, region: &str, resource_uid: &str) -> String {
        format!("{check_id}/{account_id}/{region}/{resource_uid}")
    }

    /// Mark the finding suppressed, keeping what it was.
    pub fn mute(&mut self, reason: impl Into<String>) {
        if self.status != Status::Muted {
            self.muted = Some(Muted { underlying_status: self.status, reason: reason.into() });
            self.status = Status::Muted;
        }
    }
}
