//! The check framework: metadata, the `Check` trait, and the `Findings` sink a check reports into.
//! The checks themselves live in `checks/`, one file each.

use crate::finding::{ACCOUNT_KIND, Finding, FindingResource, Severity, Status};
use crate::model::{GLOBAL, Inventory, Resource, ResourceKind, UnknownReason};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// Compliance frameworks awsaudit maps checks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Framework {
    /// CIS Amazon Web Services Foundations Benchmark v5.0.0.
    #[serde(rename = "cis-5.0")]
    Cis5,
    /// AWS Foundational Security Best Practices (Security Hub control ids).
    #[serde(rename = "fsbp")]
    Fsbp,
}

impl Framework {
    pub fn key(self) -> &'static str {
        match self {
            Framework::Cis5 => "cis-5.0",
            Framework::Fsbp => "fsbp",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Control {
    pub framework: Framework,
    pub id: &'static str,
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.framework.key(), self.id)
    }
}

pub const fn cis(id: &'static str) -> Control {
    Control { framework: Framework::Cis5, id }
}

pub const fn fsbp(id: &'static str) -> Control {
    Control { framework: Framework::Fsbp, id }
}

/// What one finding of the check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckScope {
    /// One finding per resource of the check's first kind. When that kind could not be listed in a region,
    /// the engine reports one UNKNOWN finding for the region instead.
    Resource,
    /// One finding per audited region (a regional account setting, "is there a recorder").
    Region,
    /// One finding for the whole account.
    Account,
}

/// A check's metadata. `doc` is the check's doc comment, captured by [`check!`](crate::check).
#[derive(Debug, Serialize)]
pub struct CheckMeta {
    /// `service_resource_property`, e.g. `s3_bucket_versioning_enabled`.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub service: &'static str,
    /// The kinds the check reads; the first is the kind it judges.
    pub kinds: &'static [ResourceKind],
    pub scope: CheckScope,
    pub compliance: &'static [Control],
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Remediation`, `## References`, and
    /// `## Parameters` for checks that take any.
    #[serde(skip)]
    pub doc: &'static str,
}

impl CheckMeta {
    /// The documentation with the leading space of each `///` line removed.
    pub fn documentation(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_string()
    }

    pub fn primary_kind(&self) -> Option<ResourceKind> {
        self.kinds.first().copied()
    }
}

/// Parameters of a check, set per check id in the config file. Every field needs a safe default.
pub trait CheckParams: Serialize + DeserializeOwned + Default + Send + Sync {
    /// Reject values that parse but make no sense (a negative day count), naming the parameter.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// For checks without parameters: accepts only an empty table.
#[derive(Debug, Default, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

impl CheckParams for NoParams {}

/// What every check can see.
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    /// The time the data was collected: ages (key rotation, unused credentials) are measured from it, so
    /// re-checking an old snapshot gives the same answer.
    pub now: DateTime<Utc>,
}

impl<'a> Context<'a> {
    pub fn new(inventory: &'a Inventory) -> Self {
        Context { inventory, now: inventory.collected_at }
    }
}

/// Implemented by the struct that [`check!`](crate::check) declares.
pub trait Described {
    fn meta(&self) -> &'static CheckMeta;
}

/// A check: a pure function from the inventory and its parameters to findings.
pub trait Check: Described + Sync {
    type Params: CheckParams;
    fn run(&self, cx: &Context<'_>, params: &Self::Params, out: &mut Findings<'_>);
}

#[derive(Debug, thiserror::Error)]
#[error("invalid parameters for check {check}: {detail}")]
pub struct ParamError {
    pub check: String,
    pub detail: String,
}

/// The object-safe face of a check, used by the registry and the engine.
pub trait DynCheck: Sync {
    fn meta(&self) -> &'static CheckMeta;
    /// The default parameters, as JSON (`{}` for checks without any).
    fn default_params(&self) -> serde_json::Value;
    /// Parse and validate parameters without running.
    fn validate_params(&self, params: &serde_json::Value) -> Result<(), ParamError>;
    fn run_dyn(
        &self,
        cx: &Context<'_>,
        params: Option<&serde_json::Value>,
        out: &mut Findings<'_>,
    ) -> Result<(), ParamError>;
}

impl<C: Check> DynCheck for C {
    fn meta(&self) -> &'static CheckMeta {
        Described::meta(self)
    }

    fn default_params(&self) -> serde_json::Value {
        serde_json::to_value(C::Params::default()).unwrap_or(serde_json::Value::Null)
    }

    fn validate_params(&self, params: &serde_json::Value) -> Result<(), ParamError> {
        parse_params::<C::Params>(Described::meta(self).id, params).map(|_| ())
    }

    fn run_dyn(
        &self,
        cx: &Context<'_>,
        params: Option<&serde_json::Value>,
        out: &mut Findings<'_>,
    ) -> Result<(), ParamError> {
        let params = match params {
            Some(value) => parse_params::<C::Params>(Described::meta(self).id, value)?,
            None => C::Params::default(),
        };
        self.run(cx, &params, out);
        Ok(())
    }
}

fn parse_params<P: CheckParams>(check: &str, value: &serde_json::Value) -> Result<P, ParamError> {
    let params: P = serde_json::from_value(value.clone())
        .map_err(|e| ParamError { check: check.to_string(), detail: e.to_string() })?;
    params.validate().map_err(|detail| ParamError { check: check.to_string(), detail })?;
    Ok(params)
}

/// A check's judgement of one resource.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pass(String),
    Fail(String),
    Unknown(UnknownReason),
}

/// Collects one check's findings, filling in the metadata and the deterministic ids.
pub struct Findings<'a> {
    meta: &'static CheckMeta,
    inventory: &'a Inventory,
    items: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub fn new(meta: &'static CheckMeta, inventory: &'a Inventory) -> Self {
        Findings { meta, inventory, items: Vec::new() }
    }

    pub fn pass(&mut self, resource: &Resource, message: impl Into<String>) {
        self.verdict(resource, Verdict::Pass(message.into()));
    }

    pub fn fail(&mut self, resource: &Resource, message: impl Into<String>) {
        self.verdict(resource, Verdict::Fail(message.into()));
    }

    pub fn unknown(&mut self, resource: &Resource, reason: UnknownReason) {
        self.verdict(resource, Verdict::Unknown(reason));
    }

    pub fn verdict(&mut self, resource: &Resource, verdict: Verdict) {
        let target = FindingResource {
            kind: resource.kind().name().to_string(),
            id: resource.id.clone(),
            uid: resource.arn.clone(),
            name: resource.name.clone(),
        };
        self.push(&resource.account_id.clone(), &resource.region.clone(), target, verdict);
    }

    /// A finding about the account in one region (`global` for account-wide settings).
    pub fn region(&mut self, region: &str, verdict: Verdict) {
        let account = self.inventory.account_id.clone();
        let target = FindingResource {
            kind: ACCOUNT_KIND.to_string(),
            id: account.clone(),
            uid: format!("{ACCOUNT_KIND}:{account}"),
            name: None,
        };
        self.push(&account, region, target, verdict);
    }

    /// A finding about a group of resources that is not itself an AWS resource (a workload named by a tag).
    /// `kind` says what the group is and `id` which one; both go into the uid, so finding ids stay distinct.
    pub fn group(&mut self, region: &str, kind: &str, id: &str, verdict: Verdict) {
        let uid = format!("{kind}:{}:{id}", self.inventory.account_id);
        self.named(region, kind, id, uid, verdict);
    }

    /// A finding about something that is not an AWS resource, named by `kind` and `id`, with its own `uid`.
    fn named(&mut self, region: &str, kind: &str, id: &str, uid: String, verdict: Verdict) {
        let account = self.inventory.account_id.clone();
        let target = FindingResource { kind: kind.to_string(), id: id.to_string(), uid, name: None };
        self.push(&account, region, target, verdict);
    }

    /// A finding about the whole account.
    pub fn account(&mut self, verdict: Verdict) {
        self.region(GLOBAL, verdict);
    }

    /// A finding about one control of an account-wide requirement that is no AWS resource (one CIS monitoring
    /// item): named by the control, and mapped to that control only.
    pub fn control(&mut self, region: &str, control: Control, verdict: Verdict) {
        let id = control.to_string();
        let uid = format!("{ACCOUNT_KIND}:{}/{id}", self.inventory.account_id);
        self.named(region, ACCOUNT_KIND, &id, uid, verdict);
        if let Some(finding) = self.items.last_mut() {
            finding.compliance = vec![id];
        }
    }

    fn push(&mut self, account_id: &str, region: &str, resource: FindingResource, verdict: Verdict) {
        let (status, message, unknown_reason) = match verdict {
            Verdict::Pass(m) => (Status::Pass, m, None),
            Verdict::Fail(m) => (Status::Fail, m, None),
            Verdict::Unknown(reason) => (Status::Unknown, format!("could not be evaluated: {reason}"), Some(reason)),
        };
        self.items.push(Finding {
            id: Finding::finding_id(self.meta.id, account_id, region, &resource.uid),
            check_id: self.meta.id.to_string(),
            title: self.meta.title.to_string(),
            service: self.meta.service.to_string(),
            severity: self.meta.severity,
            status,
            account_id: account_id.to_string(),
            region: region.to_string(),
            resource,
            message,
            unknown_reason,
            muted: None,
            compliance: self.meta.compliance.iter().map(ToString::to_string).collect(),
        });
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.items
    }
}

/// Declares a check: a unit struct carrying the doc comment and metadata.
///
/// ```ignore
/// check! {
///     /// ## What it does
///     /// ...
///     pub S3BucketVersioningEnabled {
///         id: "s3_bucket_versioning_enabled",
///         title: "S3 buckets have versioning enabled",
///         severity: Severity::Medium,
///         service: "s3",
///         kinds: &[ResourceKind::S3Bucket],
///         scope: CheckScope::Resource,
///         compliance: &[fsbp("S3.14")],
///     }
/// }
/// ```
#[macro_export]
macro_rules! check {
    ($(#[doc = $doc:literal])* $vis:vis $name:ident { $($field:ident : $value:expr),* $(,)? }) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $crate::check::Described for $name {
            fn meta(&self) -> &'static $crate::check::CheckMeta {
                static META: $crate::check::CheckMeta = $crate::check::CheckMeta {
                    doc: concat!($($doc, "\n"),*),
                    $($field: $value),*
                };
                &META
            }
        }
    };
}
