//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), for code-scanning dashboards and any tool
//! that reads SARIF. One run; `tool.driver.rules` has one rule per check that produced a finding, and
//! `results` has the FAIL (`kind: fail`) and UNKNOWN (`kind: review`) findings. Findings are about cloud
//! resources, not files, so locations are logical: the resource's ARN and its CloudFormation type.

use super::Report;
use crate::finding::{Finding, Severity, Status};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    Location, LogicalLocation, Message, MultiformatMessageString, PropertyBag, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultKind, ResultLevel, Run, RunAutomationDetails, Sarif, Tool,
    ToolComponent,
};
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
/// The `partialFingerprints` key holding the finding's deterministic id.
pub const FINGERPRINT_KEY: &str = "awsauditFindingId/v1";

pub fn render(report: &Report) -> String {
    // Plain data with string keys: serialization cannot fail.
    let mut text = serde_json::to_string_pretty(&log(report)).unwrap_or_default();
    text.push('\n');
    text
}

/// The SARIF log of the report.
pub fn log(report: &Report) -> Sarif {
    // One rule per check, in the order their first findings appear (most severe first).
    let mut rule_ids: Vec<&str> = Vec::new();
    for f in &report.findings {
        if !rule_ids.contains(&f.check_id.as_str()) {
            rule_ids.push(&f.check_id);
        }
    }
    let rules: Vec<ReportingDescriptor> =
        rule_ids.iter().filter_map(|id| report.findings.iter().find(|f| f.check_id == *id)).map(rule).collect();
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unknown))
        .map(|f| result(f, rule_ids.iter().position(|id| *id == f.check_id)))
        .collect();

    let version = report.generator.strip_prefix("awsaudit ").unwrap_or(&report.generator).to_string();
    let driver = ToolComponent::builder()
        .name("awsaudit")
        .full_name(report.generator.clone())
        .version(version.clone())
        .semantic_version(version)
        .rules(rules)
        .build();
    let run_properties = PropertyBag::builder()
        .additional_properties(BTreeMap::from([
            ("account_id".to_string(), json!(report.account_id)),
            ("partition".to_string(), json!(report.partition)),
            ("collected_at".to_string(), json!(report.collected_at)),
            ("source".to_string(), json!(report.source)),
            ("regions".to_string(), json!(report.regions)),
            ("services".to_string(), json!(report.services)),
            ("by_status".to_string(), json!(report.summary.by_status)),
        ]))
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        // One category per account, so uploads for several accounts do not replace each other.
        .automation_details(RunAutomationDetails::builder().id(format!("awsaudit/{}/", report.account_id)).build())
        .results(results)
        .properties(run_properties)
        .build();
    Sarif::builder().schema(SCHEMA_URI).version(json!(SARIF_VERSION)).runs(vec![run]).build()
}

/// `error` for critical and high, `warning` for medium, `note` for low and info.
pub fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// GitHub code scanning's `security-severity` score (0–10) for the severity; none for info.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

fn text(text: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn markdown(markdown: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(markdown).markdown(markdown).build()
}

/// `s3_bucket_not_public` → `S3BucketNotPublic`.
fn pascal_case(id: &str) -> String {
    id.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The body of the `## What it does` section of a check's documentation, or all of it when it has none.
fn what_it_does(documentation: &str) -> String {
    let Some((_, rest)) = documentation.split_once("## What it does") else {
        return documentation.trim().to_string();
    };
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

/// The rule of the check that produced `first` (its first finding in the report).
fn rule(first: &Finding) -> ReportingDescriptor {
    let meta = crate::checks::find(&first.check_id).map(|c| c.meta());
    let compliance: Vec<String> = match meta {
        Some(meta) => meta.compliance.iter().map(ToString::to_string).collect(),
        None => first.compliance.clone(),
    };
    let severity = meta.map(|m| m.severity).unwrap_or(first.severity);
    let mut tags = vec!["security".to_string()];
    tags.extend(compliance.iter().cloned());
    let mut additional = BTreeMap::from([
        ("severity".to_string(), json!(severity.as_str())),
        ("service".to_string(), json!(meta.map(|m| m.service).unwrap_or(&first.service))),
        ("compliance".to_string(), json!(compliance)),
    ]);
    if let Some(score) = security_severity(severity) {
        additional.insert("security-severity".to_string(), json!(score));
    }
    let properties = PropertyBag::builder().tags(tags).additional_properties(additional).build();
    let configuration = ReportingConfiguration::builder().level(json!(level(severity))).build();
    let title = meta.map(|m| m.title.to_string()).unwrap_or_else(|| first.title.clone());
    let documentation = meta.map(|m| m.documentation()).filter(|d| !d.is_empty());
    match documentation {
        Some(doc) => ReportingDescriptor::builder()
            .id(first.check_id.clone())
            .name(pascal_case(&first.check_id))
            .short_description(text(title))
            .full_description(markdown(&what_it_does(&doc)))
            .help(markdown(&doc))
            .default_configuration(configuration)
            .properties(properties)
            .build(),
        None => ReportingDescriptor::builder()
            .id(first.check_id.clone())
            .name(pascal_case(&first.check_id))
            .short_description(text(title.clone()))
            .full_description(text(title))
            .default_configuration(configuration)
            .properties(properties)
            .build(),
    }
}

fn result(f: &Finding, rule_index: Option<usize>) -> SarifResult {
    let (kind, level) = match f.status {
        Status::Fail => (ResultKind::Fail, level(f.severity)),
        // SARIF §3.27.9: a result whose kind is not `fail` has level `none`.
        _ => (ResultKind::Review, ResultLevel::None),
    };
    let label = f.resource.name.as_deref().unwrap_or(&f.resource.id);
    let message = Message::builder().text(format!("{label} ({}): {}", f.region, f.message)).build();
    let logical = LogicalLocation::builder()
        .fully_qualified_name(f.resource.uid.clone())
        .name(label.to_string())
        .kind(f.resource.kind.clone())
        .build();
    let location = Location::builder().logical_locations(vec![logical]).build();
    let mut additional: BTreeMap<String, Value> = BTreeMap::from([
        ("status".to_string(), json!(f.status)),
        ("severity".to_string(), json!(f.severity)),
        ("account_id".to_string(), json!(f.account_id)),
        ("region".to_string(), json!(f.region)),
        ("resource_id".to_string(), json!(f.resource.id)),
        ("finding_id".to_string(), json!(f.id)),
    ]);
    if let Some(reason) = &f.unknown_reason {
        additional.insert("unknown_reason".to_string(), json!(reason));
    }
    let properties = if f.compliance.is_empty() {
        PropertyBag::builder().additional_properties(additional).build()
    } else {
        PropertyBag::builder().tags(f.compliance.clone()).additional_properties(additional).build()
    };
    let fingerprints = BTreeMap::from([(FINGERPRINT_KEY.to_string(), f.id.clone())]);
    let builder = SarifResult::builder()
        .rule_id(f.check_id.clone())
        .kind(kind)
        .level(level)
        .message(message)
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(properties);
    match rule_index.and_then(|i| i64::try_from(i).ok()) {
        Some(index) => builder.rule_index(index).build(),
        None => builder.build(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    fn parsed() -> Value {
        serde_json::from_str(&render(&testdata::report())).unwrap_or_else(|e| panic!("not JSON: {e}"))
    }

    #[test]
    fn golden() {
        testdata::assert_golden("sarif", &render(&testdata::report()));
    }

    #[test]
    fn has_the_required_structure() {
        let log = parsed();
        assert_eq!(log["$schema"], SCHEMA_URI);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap_or_else(|| panic!("no runs"));
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "awsaudit");
        assert_eq!(driver["version"], "9.8.7");
        let rules = driver["rules"].as_array().unwrap_or_else(|| panic!("no rules"));
        let rule_ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        // One rule per check with a finding, each once.
        let report = testdata::report();
        let mut checks: Vec<&str> = report.findings.iter().map(|f| f.check_id.as_str()).collect();
        checks.sort();
        checks.dedup();
        let mut sorted = rule_ids.clone();
        sorted.sort();
        assert_eq!(sorted, checks);

        let results = runs[0]["results"].as_array().unwrap_or_else(|| panic!("no results"));
        let expected = report.findings.iter().filter(|f| matches!(f.status, Status::Fail | Status::Unknown)).count();
        assert_eq!(results.len(), expected);
        for r in results {
            let rule_id = r["ruleId"].as_str().unwrap_or_default();
            let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            assert_eq!(rule_ids.get(index).copied(), Some(rule_id), "ruleIndex of {r}");
            assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            assert!(r["partialFingerprints"][FINGERPRINT_KEY].is_string());
            let logical = &r["locations"][0]["logicalLocations"][0];
            assert!(logical["fullyQualifiedName"].is_string() && logical["kind"].is_string());
            match r["properties"]["status"].as_str() {
                Some("FAIL") => assert_eq!(r["kind"], "fail"),
                Some("UNKNOWN") => assert_eq!((&r["kind"], &r["level"]), (&json!("review"), &json!("none"))),
                other => panic!("unexpected status {other:?}"),
            }
        }
        // Registered checks carry their documentation; unregistered ones fall back to the title.
        let doc = rules.iter().find(|r| r["id"] == "s3_bucket_not_public").unwrap_or_else(|| panic!("no rule"));
        assert!(doc["help"]["markdown"].as_str().is_some_and(|h| h.contains("## Remediation")));
        assert_eq!(doc["defaultConfiguration"]["level"], "error");
        assert_eq!(doc["properties"]["severity"], "critical");
        let bare = rules.iter().find(|r| r["id"] == "example_unregistered_check").unwrap_or_else(|| panic!("no rule"));
        assert!(bare.get("help").is_none());
        assert_eq!(bare["defaultConfiguration"]["level"], "note");
    }

    /// The log of every registered check run over the checks' fixture inventory.
    fn every_check() -> Value {
        serde_json::to_value(log(&testdata::every_check_report())).unwrap_or_default()
    }

    /// Validates against the OASIS SARIF 2.1.0 JSON schema, vendored from the `serde-sarif` crate
    /// (see `testdata/sarif-schema-2.1.0.README.md`).
    #[test]
    fn validates_against_the_sarif_schema() {
        // The vendored copy predates the OASIS fix of the `language` pattern (an unbalanced `]` that no regex
        // engine here accepts); apply the published fix in memory, leaving the file as it was shipped.
        let text = include_str!("testdata/sarif-schema-2.1.0.json")
            .replace(r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
        let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("schema: {e}"));
        let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
        let mut empty = testdata::report();
        empty.findings.clear();
        for log in [parsed(), serde_json::to_value(log(&empty)).unwrap_or_default(), every_check()] {
            let errors: Vec<String> =
                validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{}", errors.join("\n"));
        }
    }
}
