//! OCSF (Open Cybersecurity Schema Framework) [`OCSF_VERSION`] Detection Findings (class 2004, category 2
//! Findings), as Prowler's `json-ocsf` output and Security Hub emit them: a JSON array holding one event per
//! finding, every status included. The cloud profile is used (`cloud`, `resources[].region`,
//! `resources[].cloud_partition`) and the datetime profile (`time_dt`, `created_time_dt`).
//!
//! Field names follow the OCSF schema as `py-ocsf-models` (Prowler's) implements it; the test validates the
//! output against the JSON schema of that implementation (`testdata/ocsf-detection-finding-1.5.0.README.md`).

use super::Report;
use crate::finding::{Finding, Severity, Status};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The OCSF schema version the events follow (`metadata.version`).
pub const OCSF_VERSION: &str = "1.5.0";
pub const CLASS_UID: u32 = 2004;
pub const CATEGORY_UID: u32 = 2;
/// Create.
pub const ACTIVITY_ID: u32 = 1;
/// `class_uid * 100 + activity_id`.
pub const TYPE_UID: u32 = CLASS_UID * 100 + ACTIVITY_ID;
/// `cloud.account.type_id` for an AWS account.
const AWS_ACCOUNT_TYPE_ID: u32 = 10;

/// One OCSF Detection Finding event.
#[derive(Clone, Debug, Serialize)]
pub struct DetectionFinding {
    pub activity_id: u32,
    pub activity_name: &'static str,
    pub category_uid: u32,
    pub category_name: &'static str,
    pub class_uid: u32,
    pub class_name: &'static str,
    pub type_uid: u32,
    pub type_name: &'static str,
    pub severity_id: u32,
    pub severity: &'static str,
    pub status_id: u32,
    pub status: &'static str,
    /// `PASS`, `FAIL`, `UNKNOWN` or `MUTED`.
    pub status_code: &'static str,
    pub status_detail: String,
    pub message: String,
    /// When the data was collected, in milliseconds since the epoch.
    pub time: i64,
    pub time_dt: String,
    pub finding_info: FindingInfo,
    pub resources: Vec<ResourceDetails>,
    pub cloud: Cloud,
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Remediation>,
    pub unmapped: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingInfo {
    /// The deterministic finding id.
    pub uid: String,
    pub title: String,
    pub desc: String,
    pub types: Vec<String>,
    pub created_time: i64,
    pub created_time_dt: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ResourceDetails {
    /// The ARN, or `AWS::::Account:<id>` for the account itself.
    pub uid: String,
    pub name: String,
    /// The CloudFormation type (`AWS::S3::Bucket`).
    #[serde(rename = "type")]
    pub kind: String,
    pub region: String,
    pub cloud_partition: String,
    pub group: Group,
}

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// The AWS service.
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Cloud {
    pub provider: &'static str,
    pub region: String,
    pub account: Account,
}

#[derive(Clone, Debug, Serialize)]
pub struct Account {
    pub uid: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub type_id: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Metadata {
    pub version: &'static str,
    pub product: Product,
    /// The check id.
    pub event_code: String,
    pub profiles: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Product {
    pub name: &'static str,
    pub vendor_name: &'static str,
    pub version: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Remediation {
    pub desc: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

pub fn render(report: &Report) -> String {
    // Plain data with string keys: serialization cannot fail.
    let mut text = serde_json::to_string_pretty(&events(report)).unwrap_or_default();
    text.push('\n');
    text
}

/// The events of the report, one per finding, in the report's order.
pub fn events(report: &Report) -> Vec<DetectionFinding> {
    report.findings.iter().map(|f| event(report, f)).collect()
}

/// OCSF `severity_id` and its caption.
pub fn severity(severity: Severity) -> (u32, &'static str) {
    match severity {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// The body of the `## HEADING` section of a check's documentation (trimmed), if it has one.
pub fn doc_section(documentation: &str, heading: &str) -> Option<String> {
    let marker = format!("## {heading}");
    let start = documentation.lines().position(|l| l.trim_end() == marker)?;
    let lines: Vec<&str> =
        documentation.lines().skip(start + 1).take_while(|l| !l.starts_with("## ")).collect::<Vec<_>>();
    let body = lines.join("\n").trim().to_string();
    (!body.is_empty()).then_some(body)
}

fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

fn event(report: &Report, f: &Finding) -> DetectionFinding {
    let meta = crate::checks::find(&f.check_id).map(|c| c.meta());
    let documentation = meta.map(|m| m.documentation()).unwrap_or_default();
    let (severity_id, severity) = severity(f.severity);
    let (status_id, status, status_detail) = match &f.muted {
        Some(muted) if f.status == Status::Muted => (3, "Suppressed", muted.reason.clone()),
        _ => (1, "New", f.message.clone()),
    };
    let time = millis(report.collected_at);
    let time_dt = report.collected_at.to_rfc3339_opts(SecondsFormat::Millis, true);

    let mut types = vec!["Software and Configuration Checks/AWS Security Best Practices".to_string()];
    if f.compliance.iter().any(|c| c.starts_with("cis-")) {
        types.push(
            "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"
                .to_string(),
        );
    }
    let desc = doc_section(&documentation, "What it does").unwrap_or_else(|| f.title.clone());
    let remediation = doc_section(&documentation, "Remediation").map(|desc| Remediation {
        desc,
        references: doc_section(&documentation, "References")
            .map(|refs| {
                refs.lines()
                    .filter_map(|l| l.trim().strip_prefix("- "))
                    .map(|l| l.trim().to_string())
                    .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
                    .collect()
            })
            .unwrap_or_default(),
    });

    let mut unmapped = Map::new();
    if !f.compliance.is_empty() {
        // Prowler's shape: framework → controls.
        let mut compliance: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for control in &f.compliance {
            let (framework, id) = control.split_once(':').unwrap_or(("other", control));
            compliance.entry(framework).or_default().push(id);
        }
        unmapped.insert("compliance".to_string(), json!(compliance));
    }
    unmapped.insert("service".to_string(), json!(f.service));
    unmapped.insert("resource_id".to_string(), json!(f.resource.id));
    if let Some(reason) = &f.unknown_reason {
        unmapped.insert("unknown_reason".to_string(), json!(reason));
    }
    if let Some(muted) = &f.muted {
        unmapped.insert("muted".to_string(), json!(muted));
    }

    DetectionFinding {
        activity_id: ACTIVITY_ID,
        activity_name: "Create",
        category_uid: CATEGORY_UID,
        category_name: "Findings",
        class_uid: CLASS_UID,
        class_name: "Detection Finding",
        type_uid: TYPE_UID,
        type_name: "Detection Finding: Create",
        severity_id,
        severity,
        status_id,
        status,
        status_code: f.status.as_str(),
        status_detail,
        message: f.message.clone(),
        time,
        time_dt: time_dt.clone(),
        finding_info: FindingInfo {
            uid: f.id.clone(),
            title: f.title.clone(),
            desc,
            types,
            created_time: time,
            created_time_dt: time_dt,
        },
        resources: vec![ResourceDetails {
            uid: f.resource.uid.clone(),
            name: f.resource.name.clone().unwrap_or_else(|| f.resource.id.clone()),
            kind: f.resource.kind.clone(),
            region: f.region.clone(),
            cloud_partition: report.partition.clone(),
            group: Group { name: f.service.clone() },
        }],
        cloud: Cloud {
            provider: "AWS",
            region: f.region.clone(),
            account: Account {
                uid: f.account_id.clone(),
                name: f.account_id.clone(),
                kind: "AWS Account",
                type_id: AWS_ACCOUNT_TYPE_ID,
            },
        },
        metadata: Metadata {
            version: OCSF_VERSION,
            product: Product {
                name: "awsaudit",
                vendor_name: "awsaudit",
                version: report.generator.strip_prefix("awsaudit ").unwrap_or(&report.generator).to_string(),
            },
            event_code: f.check_id.clone(),
            profiles: vec!["cloud", "datetime"],
        },
        remediation,
        unmapped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    fn parsed(report: &Report) -> Vec<Value> {
        let value: Value = serde_json::from_str(&render(report)).unwrap_or_else(|e| panic!("not JSON: {e}"));
        value.as_array().cloned().unwrap_or_else(|| panic!("not an array: {value}"))
    }

    #[test]
    fn golden() {
        testdata::assert_golden("ocsf", &render(&testdata::report()));
    }

    #[test]
    fn one_detection_finding_per_finding() {
        let report = testdata::report();
        let events = parsed(&report);
        assert_eq!(events.len(), report.findings.len());
        for (e, f) in events.iter().zip(&report.findings) {
            assert_eq!(e["class_uid"], 2004);
            assert_eq!(e["category_uid"], 2);
            assert_eq!(e["activity_id"], 1);
            assert_eq!(e["type_uid"], 200401);
            assert_eq!(e["metadata"]["version"], OCSF_VERSION);
            assert_eq!(e["metadata"]["product"]["name"], "awsaudit");
            assert_eq!(e["metadata"]["product"]["version"], "9.8.7");
            assert_eq!(e["metadata"]["event_code"], f.check_id.as_str());
            assert_eq!(e["finding_info"]["uid"], f.id.as_str());
            assert_eq!(e["finding_info"]["title"], f.title.as_str());
            assert_eq!(e["time"], 1_793_534_400_000_i64);
            assert_eq!(e["status_code"], f.status.as_str());
            assert_eq!(e["message"], f.message.as_str());
            assert_eq!(e["resources"][0]["uid"], f.resource.uid.as_str());
            assert_eq!(e["resources"][0]["type"], f.resource.kind.as_str());
            assert_eq!(e["resources"][0]["cloud_partition"], "aws");
            assert_eq!(e["cloud"]["provider"], "AWS");
            assert_eq!(e["cloud"]["account"]["uid"], testdata::ACCOUNT);
            assert_eq!(e["cloud"]["account"]["type"], "AWS Account");
            let expected = match f.severity {
                Severity::Info => (1, "Informational"),
                Severity::Low => (2, "Low"),
                Severity::Medium => (3, "Medium"),
                Severity::High => (4, "High"),
                Severity::Critical => (5, "Critical"),
            };
            assert_eq!((&e["severity_id"], &e["severity"]), (&json!(expected.0), &json!(expected.1)));
            if f.status == Status::Muted {
                assert_eq!((&e["status_id"], &e["status"]), (&json!(3), &json!("Suppressed")));
                assert_eq!(e["status_detail"], "scratch bucket, recreated nightly");
                assert_eq!(e["unmapped"]["muted"]["underlying_status"], "FAIL");
            } else {
                assert_eq!((&e["status_id"], &e["status"]), (&json!(1), &json!("New")));
            }
        }
        // Compliance in Prowler's `unmapped.compliance` shape; remediation from the check's documentation.
        let first = &events[1];
        assert_eq!(first["unmapped"]["compliance"], json!({"cis-5.0": ["2.1.4"], "fsbp": ["S3.8"]}));
        let public = &events[0];
        let remediation = public["remediation"]["desc"].as_str().unwrap_or_default();
        assert!(remediation.starts_with("Remove the public ACL grants"), "{remediation}");
        assert!(!remediation.contains("## "), "{remediation}");
        assert!(public["remediation"]["references"][0].as_str().is_some_and(|r| r.starts_with("https://")));
        // An unregistered check has neither remediation nor documentation.
        let bare = events.last().unwrap_or_else(|| panic!("no events"));
        assert!(bare.get("remediation").is_none());
        assert_eq!(bare["finding_info"]["desc"], bare["finding_info"]["title"]);
        // UNKNOWN findings carry the reason.
        assert_eq!(events[2]["unmapped"]["unknown_reason"]["operation"], "s3:GetPublicAccessBlock");
    }

    #[test]
    fn an_empty_report_is_an_empty_array() {
        let mut report = testdata::report();
        report.findings.clear();
        assert_eq!(render(&report), "[]\n");
    }

    #[test]
    fn doc_sections() {
        let doc = "## What it does\nA.\n\nB.\n\n## Remediation\nFix:\n```sh\nx\n```\n## References\n- https://a";
        assert_eq!(doc_section(doc, "What it does").as_deref(), Some("A.\n\nB."));
        assert_eq!(doc_section(doc, "Remediation").as_deref(), Some("Fix:\n```sh\nx\n```"));
        assert_eq!(doc_section(doc, "References").as_deref(), Some("- https://a"));
        assert_eq!(doc_section(doc, "Parameters"), None);
    }

    /// Validates every event against the JSON schema of the Detection Finding class generated from
    /// `py-ocsf-models` (see `testdata/ocsf-detection-finding-1.5.0.README.md`), and checks the attributes
    /// the OCSF schema requires of the class, which the Python models leave optional, by hand.
    #[test]
    fn validates_against_the_ocsf_schema() {
        let schema: Value = serde_json::from_str(include_str!("testdata/ocsf-detection-finding-1.5.0.schema.json"))
            .unwrap_or_else(|e| panic!("schema: {e}"));
        let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
        let mut events = parsed(&testdata::report());
        events.extend(every_check());
        for event in &events {
            let errors: Vec<String> =
                validator.iter_errors(event).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{}\n{event}", errors.join("\n"));
            // Required by OCSF for every event of the class (base event and Findings category).
            for key in ["activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time", "metadata"] {
                assert!(event.get(key).is_some(), "{key} missing in {event}");
            }
            for key in ["uid", "title"] {
                assert!(event["finding_info"][key].is_string(), "finding_info.{key} missing in {event}");
            }
            assert!(event["metadata"]["product"]["vendor_name"].is_string());
            assert!(event["metadata"]["version"].is_string());
            assert!(event["cloud"]["provider"].is_string());
        }
        // The schema is not vacuous: it rejects an event without finding_info and a wrong severity_id.
        let mut broken = events[0].clone();
        broken.as_object_mut().map(|o| o.remove("finding_info"));
        assert!(!validator.is_valid(&broken));
        let mut broken = events[0].clone();
        broken["severity_id"] = json!(7);
        assert!(!validator.is_valid(&broken));
    }

    /// The events of every registered check run over the checks' fixture inventory.
    fn every_check() -> Vec<Value> {
        parsed(&testdata::every_check_report())
    }
}
