//! Suppressions: the `[[suppress]]` entries of the config file. A finding that one matches is MUTED with the
//! entry's reason (it keeps its underlying status); an expired entry mutes nothing and warns, and so does an
//! entry that matched nothing.

use crate::finding::{Finding, Status};
use crate::model::{Field, Inventory, Resource};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// A glob (`*`, `?`, `[abc]`, `{a,b}`; `*` also matches `/`), or a plain string matched exactly.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: String,
    matcher: globset::GlobMatcher,
}

impl Pattern {
    pub fn new(text: &str) -> Result<Self, String> {
        let glob = globset::GlobBuilder::new(text)
            .literal_separator(false)
            .build()
            .map_err(|e| format!("invalid glob {text:?}: {}", e.kind()))?;
        Ok(Pattern { text: text.to_string(), matcher: glob.compile_matcher() })
    }

    pub fn is_match(&self, value: &str) -> bool {
        self.matcher.is_match(value)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Whether a selector is a glob rather than a plain name.
pub fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Err(serde::de::Error::custom("must not be empty"));
        }
        Pattern::new(&text).map_err(serde::de::Error::custom)
    }
}

/// A check id or a glob over check ids that names at least one known check.
#[derive(Clone, Debug)]
pub struct CheckPattern(pub Pattern);

impl<'de> Deserialize<'de> for CheckPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        crate::engine::validate_check_selector(&text).map_err(serde::de::Error::custom)?;
        Pattern::new(&text).map(CheckPattern).map_err(serde::de::Error::custom)
    }
}

/// A regular expression, unanchored (use `^…$` to match a whole ARN).
#[derive(Clone, Debug)]
pub struct Regex(pub regex::Regex);

impl<'de> Deserialize<'de> for Regex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        regex::Regex::new(&text).map(Regex).map_err(|e| serde::de::Error::custom(format!("invalid regex: {e}")))
    }
}

/// A reason: why the finding is accepted, for the report. Must say something.
#[derive(Clone, Debug)]
pub struct Reason(pub String);

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().is_empty() {
            return Err(serde::de::Error::custom("`reason` must not be empty: say why the finding is accepted"));
        }
        Ok(Reason(text.trim().to_string()))
    }
}

/// `expires = 2026-12-31`: a TOML date (no quotes, no time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry(pub NaiveDate);

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bad = |got: &str| {
            serde::de::Error::custom(format!("expected a TOML date such as 2026-12-31 (without quotes), got {got}"))
        };
        match toml::Value::deserialize(d)? {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(date), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
                        .map(Expiry)
                        .ok_or_else(|| bad(&dt.to_string()))
                }
                _ => Err(bad(&format!("the date-time {dt}"))),
            },
            toml::Value::String(s) => Err(bad(&format!("the string {s:?}"))),
            other => Err(bad(other.type_str())),
        }
    }
}

/// Which resources an entry matches: a glob or a regex over the finding's resource uid (the ARN, or
/// `AWS::::Account:<id>` for account-level findings).
#[derive(Clone, Debug)]
pub enum ResourceMatch {
    Glob(Pattern),
    Regex(Regex),
}

impl ResourceMatch {
    fn is_match(&self, uid: &str) -> bool {
        match self {
            ResourceMatch::Glob(p) => p.is_match(uid),
            ResourceMatch::Regex(r) => r.0.is_match(uid),
        }
    }
}

/// One `[[suppress]]` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RawSuppression")]
pub struct Suppression {
    pub check: Pattern,
    pub resource: Option<ResourceMatch>,
    pub account: Option<Pattern>,
    pub region: Option<Pattern>,
    /// Every tag must be present on the resource with a value the pattern matches.
    pub tags: BTreeMap<String, Pattern>,
    pub reason: String,
    /// Last day the entry mutes (inclusive).
    pub expires: Option<NaiveDate>,
    /// Where it is written (`awsaudit.toml:12`), for warnings; set by the config loader.
    pub origin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    check: CheckPattern,
    #[serde(default)]
    resource: Option<Pattern>,
    #[serde(default)]
    resource_regex: Option<Regex>,
    #[serde(default)]
    account: Option<Pattern>,
    #[serde(default)]
    region: Option<Pattern>,
    #[serde(default)]
    tags: BTreeMap<String, Pattern>,
    reason: Reason,
    #[serde(default)]
    expires: Option<Expiry>,
}

impl TryFrom<RawSuppression> for Suppression {
    type Error = String;

    fn try_from(raw: RawSuppression) -> Result<Self, String> {
        let resource = match (raw.resource, raw.resource_regex) {
            (Some(_), Some(_)) => return Err("give either `resource` (a glob) or `resource_regex`, not both".into()),
            (Some(glob), None) => Some(ResourceMatch::Glob(glob)),
            (None, Some(regex)) => Some(ResourceMatch::Regex(regex)),
            (None, None) => None,
        };
        Ok(Suppression {
            check: raw.check.0,
            resource,
            account: raw.account,
            region: raw.region,
            tags: raw.tags,
            reason: raw.reason.0,
            expires: raw.expires.map(|e| e.0),
            origin: String::new(),
        })
    }
}

impl Suppression {
    /// Whether the entry matches the finding; `resource` is the finding's resource in the inventory, if any
    /// (account-level findings have none, so they never match an entry with `tags`).
    pub fn matches(&self, finding: &Finding, resource: Option<&Resource>) -> bool {
        self.check.is_match(&finding.check_id)
            && self.resource.as_ref().is_none_or(|r| r.is_match(&finding.resource.uid))
            && self.account.as_ref().is_none_or(|a| a.is_match(&finding.account_id))
            && self.region.as_ref().is_none_or(|r| r.is_match(&finding.region))
            && (self.tags.is_empty() || resource.is_some_and(|r| self.tags_match(r)))
    }

    fn tags_match(&self, resource: &Resource) -> bool {
        let Field::Known(tags) = &resource.tags else { return false };
        self.tags.iter().all(|(key, value)| tags.get(key).is_some_and(|v| value.is_match(v)))
    }

    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|e| e < today)
    }

    fn describe(&self) -> String {
        let at = if self.origin.is_empty() { String::new() } else { format!(" ({})", self.origin) };
        format!("suppression check = {:?}{at}", self.check.as_str())
    }
}

/// Something the operator should fix in the config, though the run goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// The entry's `expires` date has passed: it mutes nothing any more.
    SuppressionExpired,
    /// The entry matched no FAIL or UNKNOWN finding although its checks ran.
    SuppressionUnmatched,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Mutes the FAIL and UNKNOWN findings that a live (unexpired) suppression matches, with the first matching
/// entry's reason. Returns a warning for each expired entry, and for each live entry that matched no FAIL or
/// UNKNOWN finding although the checks it names ran in the regions it names.
pub fn apply(
    findings: &mut [Finding],
    inventory: &Inventory,
    suppressions: &[Suppression],
    checks_run: &[&str],
    today: NaiveDate,
) -> Vec<Warning> {
    let by_uid: HashMap<&str, &Resource> = inventory.resources.iter().map(|r| (r.arn.as_str(), r)).collect();
    let mut used = vec![false; suppressions.len()];
    for finding in findings.iter_mut() {
        if !matches!(finding.status, Status::Fail | Status::Unknown) {
            continue;
        }
        let resource = by_uid.get(finding.resource.uid.as_str()).copied();
        let hit = suppressions.iter().enumerate().find(|(_, s)| !s.is_expired(today) && s.matches(finding, resource));
        if let Some((i, s)) = hit {
            used[i] = true;
            finding.mute(s.reason.clone());
        }
    }
    let mut warnings = Vec::new();
    for (s, used) in suppressions.iter().zip(used) {
        if let Some(expires) = s.expires.filter(|_| s.is_expired(today)) {
            warnings.push(Warning {
                code: WarningCode::SuppressionExpired,
                message: format!("{} expired on {expires}: its findings are no longer muted", s.describe()),
            });
        } else if !used && ran(s, checks_run, inventory) {
            warnings.push(Warning {
                code: WarningCode::SuppressionUnmatched,
                message: format!(
                    "{} matched no failing or unknown finding: remove it if what it covered is fixed or gone",
                    s.describe()
                ),
            });
        }
    }
    warnings
}

/// Whether the entry had something to match in this run: one of its checks ran, in one of its regions.
fn ran(s: &Suppression, checks_run: &[&str], inventory: &Inventory) -> bool {
    checks_run.iter().any(|c| s.check.is_match(c))
        && s.region.as_ref().is_none_or(|r| {
            r.is_match(crate::model::GLOBAL) || inventory.regions.iter().any(|region| r.is_match(region))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing;
    use crate::finding::{FindingResource, Severity};

    fn parse(text: &str) -> Result<Suppression, String> {
        #[derive(Deserialize)]
        struct Doc {
            suppress: Vec<Suppression>,
        }
        toml::from_str::<Doc>(text)
            .map_err(|e| e.message().to_string())?
            .suppress
            .pop()
            .ok_or_else(|| "no entry".to_string())
    }

    fn entry(body: &str) -> Suppression {
        parse(&format!("[[suppress]]\nreason = \"accepted\"\n{body}\n")).unwrap_or_else(|e| panic!("{body}: {e}"))
    }

    fn finding(check: &str, uid: &str, region: &str, status: Status) -> Finding {
        Finding {
            id: Finding::finding_id(check, "123456789012", region, uid),
            check_id: check.into(),
            title: String::new(),
            service: "s3".into(),
            severity: Severity::High,
            status,
            account_id: "123456789012".into(),
            region: region.into(),
            resource: FindingResource { kind: "AWS::S3::Bucket".into(), id: uid.into(), uid: uid.into(), name: None },
            message: String::new(),
            unknown_reason: None,
            muted: None,
            compliance: vec![],
        }
    }

    fn inventory(tagged: &[(&str, &[(&str, &str)])]) -> Inventory {
        let mut inv = testing::inventory();
        inv.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        for (arn, tags) in tagged {
            let mut r = testing::resource(arn, crate::model::S3Bucket::default());
            r.arn = arn.to_string();
            r.tags = Field::Known(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
            inv.resources.push(r);
        }
        inv
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    #[test]
    fn check_globs_and_resource_globs_match() {
        let s = entry("check = \"s3_*\"\nresource = \"arn:aws:s3:::logs-*\"");
        assert!(
            s.matches(&finding("s3_bucket_versioning_enabled", "arn:aws:s3:::logs-1", "global", Status::Fail), None)
        );
        assert!(
            !s.matches(&finding("s3_bucket_versioning_enabled", "arn:aws:s3:::data", "global", Status::Fail), None)
        );
        assert!(!s.matches(&finding("kms_key_rotation_enabled", "arn:aws:s3:::logs-1", "global", Status::Fail), None));
    }

    #[test]
    fn star_crosses_slashes_in_arns() {
        let s = entry("check = \"*\"\nresource = \"arn:aws:ec2:*:*:security-group/*\"");
        let f =
            finding("ec2_sg_ssh_restricted", "arn:aws:ec2:us-east-1:1:security-group/sg-1", "us-east-1", Status::Fail);
        assert!(s.matches(&f, None));
    }

    #[test]
    fn regex_account_and_region_restrict() {
        let s = entry(
            "check = \"s3_bucket_versioning_enabled\"\nresource_regex = \"^arn:aws:s3:::(tmp|scratch)-[0-9]+$\"\n\
             account = \"123456789012\"\nregion = \"us-*\"",
        );
        let id = "s3_bucket_versioning_enabled";
        assert!(s.matches(&finding(id, "arn:aws:s3:::tmp-12", "us-east-1", Status::Fail), None));
        assert!(!s.matches(&finding(id, "arn:aws:s3:::tmp-12x", "us-east-1", Status::Fail), None));
        assert!(!s.matches(&finding(id, "arn:aws:s3:::tmp-12", "eu-west-1", Status::Fail), None));
        let mut other_account = finding(id, "arn:aws:s3:::tmp-12", "us-east-1", Status::Fail);
        other_account.account_id = "999999999999".into();
        assert!(!s.matches(&other_account, None));
    }

    #[test]
    fn tags_match_the_inventory_resource() {
        let inv = inventory(&[
            ("arn:aws:s3:::dev-bucket", &[("Environment", "dev"), ("Owner", "a")]),
            ("arn:aws:s3:::prod-bucket", &[("Environment", "prod")]),
        ]);
        let mut findings = vec![
            finding("s3_bucket_versioning_enabled", "arn:aws:s3:::dev-bucket", "us-east-1", Status::Fail),
            finding("s3_bucket_versioning_enabled", "arn:aws:s3:::prod-bucket", "us-east-1", Status::Fail),
            finding("s3_bucket_versioning_enabled", "arn:aws:s3:::unknown-bucket", "us-east-1", Status::Fail),
        ];
        let s = entry("check = \"s3_*\"\ntags = { Environment = \"dev\" }");
        let warnings = apply(&mut findings, &inv, &[s], &["s3_bucket_versioning_enabled"], today());
        assert!(warnings.is_empty(), "{warnings:?}");
        let statuses: Vec<Status> = findings.iter().map(|f| f.status).collect();
        assert_eq!(statuses, [Status::Muted, Status::Fail, Status::Fail]);
        assert_eq!(
            findings[0].muted,
            Some(crate::finding::Muted { underlying_status: Status::Fail, reason: "accepted".into() })
        );
    }

    #[test]
    fn only_fail_and_unknown_findings_are_muted() {
        let inv = inventory(&[]);
        let id = "s3_bucket_versioning_enabled";
        let mut findings = vec![
            finding(id, "arn:aws:s3:::a", "us-east-1", Status::Pass),
            finding(id, "arn:aws:s3:::b", "us-east-1", Status::Unknown),
        ];
        let warnings = apply(&mut findings, &inv, &[entry("check = \"s3_*\"")], &[id], today());
        assert!(warnings.is_empty());
        assert_eq!(findings[0].status, Status::Pass);
        assert_eq!(findings[1].status, Status::Muted);
        assert_eq!(findings[1].muted.as_ref().map(|m| m.underlying_status), Some(Status::Unknown));
    }

    #[test]
    fn expired_entries_warn_and_do_not_mute() {
        let inv = inventory(&[]);
        let id = "s3_bucket_versioning_enabled";
        let mut expired = entry("check = \"s3_*\"\nexpires = 2026-05-31");
        expired.origin = "awsaudit.toml:7".into();
        let mut findings = vec![finding(id, "arn:aws:s3:::a", "us-east-1", Status::Fail)];
        let warnings = apply(&mut findings, &inv, std::slice::from_ref(&expired), &[id], today());
        assert_eq!(findings[0].status, Status::Fail);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, WarningCode::SuppressionExpired);
        assert!(warnings[0].message.contains("2026-05-31") && warnings[0].message.contains("awsaudit.toml:7"));

        // The expiry day itself still mutes.
        let last_day = entry("check = \"s3_*\"\nexpires = 2026-06-01");
        let warnings = apply(&mut findings, &inv, &[last_day], &[id], today());
        assert!(warnings.is_empty());
        assert_eq!(findings[0].status, Status::Muted);
    }

    #[test]
    fn unmatched_entries_warn_only_when_their_checks_ran() {
        let inv = inventory(&[]);
        let id = "s3_bucket_versioning_enabled";
        let mut findings = vec![finding(id, "arn:aws:s3:::a", "us-east-1", Status::Fail)];
        let nothing = entry("check = \"s3_*\"\nresource = \"arn:aws:s3:::gone\"");
        let warnings = apply(&mut findings, &inv, std::slice::from_ref(&nothing), &[id], today());
        assert_eq!(warnings.iter().map(|w| w.code).collect::<Vec<_>>(), [WarningCode::SuppressionUnmatched]);
        assert_eq!(findings[0].status, Status::Fail);
        // Its checks did not run (another selection): nothing to say.
        assert!(
            apply(&mut findings, &inv, std::slice::from_ref(&nothing), &["kms_key_rotation_enabled"], today())
                .is_empty()
        );
        // Its region was not audited.
        let elsewhere = entry("check = \"s3_*\"\nregion = \"ap-south-1\"");
        assert!(apply(&mut findings, &inv, &[elsewhere], &[id], today()).is_empty());
    }

    #[test]
    fn first_matching_entry_gives_the_reason() {
        let inv = inventory(&[]);
        let id = "s3_bucket_versioning_enabled";
        let first = parse("[[suppress]]\ncheck = \"s3_*\"\nreason = \"first\"").unwrap_or_else(|e| panic!("{e}"));
        let second = parse("[[suppress]]\ncheck = \"*\"\nreason = \"second\"").unwrap_or_else(|e| panic!("{e}"));
        let mut findings = vec![finding(id, "arn:aws:s3:::a", "us-east-1", Status::Fail)];
        let warnings = apply(&mut findings, &inv, &[first, second], &[id], today());
        assert_eq!(findings[0].muted.as_ref().map(|m| m.reason.as_str()), Some("first"));
        // The second entry matched nothing on its own.
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("\"*\""), "{warnings:?}");
    }

    #[test]
    fn bad_entries_are_rejected() {
        let cases = [
            ("check = \"s3_*\"", "missing field `reason`"),
            ("check = \"s3_*\"\nreason = \"  \"", "must not be empty"),
            ("check = \"s3_*\"\nreason = \"x\"\nexpires = \"2026-12-31\"", "without quotes"),
            ("check = \"s3_*\"\nreason = \"x\"\nexpires = 2026-12-31T10:00:00Z", "date-time"),
            ("check = \"s3_*\"\nreason = \"x\"\nresource = \"a\"\nresource_regex = \"b\"", "not both"),
            ("check = \"s3_*\"\nreason = \"x\"\nresource_regex = \"(\"", "invalid regex"),
            ("check = \"s3_[\"\nreason = \"x\"", "invalid glob"),
            ("check = \"s3_bucket_versioning\"\nreason = \"x\"", "s3_bucket_versioning_enabled"),
            ("check = \"zz_*\"\nreason = \"x\"", "matches no check"),
            ("check = \"s3_*\"\nreason = \"x\"\nresorce = \"a\"", "unknown field `resorce`"),
            ("reason = \"x\"", "missing field `check`"),
        ];
        for (body, expected) in cases {
            let err = parse(&format!("[[suppress]]\n{body}\n")).err().unwrap_or_default();
            assert!(err.contains(expected), "{body}: {err}");
        }
    }
}
