//! JUnit XML, for CI systems that show test reports: a `<testsuite>` per check (named by its id) and a
//! `<testcase>` per finding. FAIL is a `<failure>`, UNKNOWN an `<error>` (the check could not be evaluated),
//! MUTED `<skipped>`, PASS a plain test case.

use super::Report;
use crate::finding::{Finding, Status};
use quick_junit::{NonSuccessKind, Property, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

pub fn render(report: &Report) -> String {
    // Writing XML into memory cannot fail (no I/O).
    build(report).to_string().unwrap_or_default()
}

/// The test case name of a finding: the resource's ARN (or `AWS::::Account:<id>`) and the region.
pub fn test_case_name(f: &Finding) -> String {
    format!("{} [{}]", f.resource.uid, f.region)
}

fn build(report: &Report) -> JunitReport {
    let mut by_check: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_check.entry(&f.check_id).or_default().push(f);
    }
    // The time goes on each suite only: the JUnit schemas (Jenkins' junit-4.xsd) allow no timestamp on the root.
    let mut junit = JunitReport::new("awsaudit");
    for (check_id, findings) in by_check {
        let mut suite = TestSuite::new(check_id);
        suite.set_timestamp(report.collected_at);
        if let Some(first) = findings.first() {
            suite.add_properties([
                Property::new("title", first.title.as_str()),
                Property::new("severity", first.severity.as_str()),
                Property::new("service", first.service.as_str()),
                Property::new("account_id", report.account_id.as_str()),
            ]);
            if !first.compliance.is_empty() {
                suite.add_property(Property::new("compliance", first.compliance.join(" ")));
            }
        }
        suite.add_test_cases(findings.into_iter().map(test_case));
        junit.add_test_suite(suite);
    }
    junit
}

fn test_case(f: &Finding) -> TestCase {
    let status = match f.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(one_line(&f.message)).set_type(f.severity.as_str()).set_description(description(f));
            status
        }
        Status::Unknown => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            let ty = f.unknown_reason.as_ref().and_then(|r| serde_json::to_value(r.cause).ok());
            status
                .set_message(one_line(&f.message))
                .set_type(ty.as_ref().and_then(|v| v.as_str()).unwrap_or("unknown"))
                .set_description(description(f));
            status
        }
        Status::Muted => {
            let mut status = TestCaseStatus::skipped();
            let (reason, was) = f
                .muted
                .as_ref()
                .map(|m| (m.reason.as_str(), m.underlying_status.as_str()))
                .unwrap_or(("muted", "unknown"));
            // Text only: `<skipped>` takes no attributes in Jenkins' junit-4.xsd.
            status.set_description(format!("muted {was}: {}\nreason: {reason}", f.message));
            status
        }
    };
    let mut case = TestCase::new(test_case_name(f), status);
    case.set_classname(f.check_id.as_str());
    case
}

/// Attribute values lose their line breaks to XML attribute normalization; make that explicit and stable. The
/// element text keeps the message as it is.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n', '\t']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The text of a failure or error element: the finding's details, one per line.
fn description(f: &Finding) -> String {
    let mut lines = vec![
        format!("{}: {}", f.status, f.message),
        format!("check: {} ({})", f.check_id, f.title),
        format!("severity: {}", f.severity),
        format!("resource: {} {}", f.resource.kind, f.resource.uid),
        format!("region: {} · account: {}", f.region, f.account_id),
        format!("finding id: {}", f.id),
    ];
    if let Some(reason) = &f.unknown_reason {
        lines.push(format!("reason: {reason}"));
    }
    if !f.compliance.is_empty() {
        lines.push(format!("compliance: {}", f.compliance.join(" ")));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;
    use quick_xml::events::Event;
    use std::collections::HashMap;

    #[test]
    fn golden() {
        testdata::assert_golden("junit", &render(&testdata::report()));
    }

    /// Attributes of the element as name → unescaped value.
    fn attributes(e: &quick_xml::events::BytesStart<'_>) -> HashMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|e| panic!("{e}"));
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .to_string();
                (String::from_utf8_lossy(a.key.as_ref()).to_string(), value)
            })
            .collect()
    }

    #[test]
    fn parses_as_xml_with_the_right_counts() {
        let report = testdata::report();
        let text = render(&report);
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut suites: Vec<HashMap<String, String>> = Vec::new();
        let mut cases: Vec<(HashMap<String, String>, Option<String>)> = Vec::new();
        let mut root: Option<HashMap<String, String>> = None;
        loop {
            match reader.read_event().unwrap_or_else(|e| panic!("not XML: {e}")) {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                    match name.as_str() {
                        "testsuites" => root = Some(attributes(&e)),
                        "testsuite" => suites.push(attributes(&e)),
                        "testcase" => cases.push((attributes(&e), None)),
                        "failure" | "error" | "skipped" => {
                            let case = cases.last_mut().unwrap_or_else(|| panic!("{name} outside a testcase"));
                            assert!(case.1.is_none(), "two outcomes in one testcase");
                            let message = attributes(&e).get("message").cloned().unwrap_or_default();
                            case.1 = Some(format!("{name}:{message}"));
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        let root = root.unwrap_or_else(|| panic!("no <testsuites>"));
        let count = |s: Status| report.findings.iter().filter(|f| f.status == s).count();
        assert_eq!(root["tests"], report.findings.len().to_string());
        assert_eq!(root["failures"], count(Status::Fail).to_string());
        assert_eq!(root["errors"], count(Status::Unknown).to_string());
        assert_eq!(root["skipped"], count(Status::Muted).to_string());

        let mut checks: Vec<&str> = report.findings.iter().map(|f| f.check_id.as_str()).collect();
        checks.sort();
        checks.dedup();
        assert_eq!(suites.iter().map(|s| s["name"].as_str()).collect::<Vec<_>>(), checks);
        let suite_tests: usize = suites.iter().map(|s| s["tests"].parse::<usize>().unwrap_or(0)).sum();
        assert_eq!(suite_tests, report.findings.len());

        assert_eq!(cases.len(), report.findings.len());
        for f in &report.findings {
            let (attrs, outcome) = cases
                .iter()
                .find(|(a, _)| a["name"] == test_case_name(f) && a["classname"] == f.check_id)
                .unwrap_or_else(|| panic!("no testcase for {}", f.id));
            assert_eq!(attrs["classname"], f.check_id);
            let expected = match f.status {
                Status::Pass => None,
                Status::Fail => Some(format!("failure:{}", one_line(&f.message))),
                Status::Unknown => Some(format!("error:{}", one_line(&f.message))),
                // The reason is in the element's text (no attributes allowed there).
                Status::Muted => Some("skipped:".to_string()),
            };
            assert_eq!(outcome, &expected, "{}", f.id);
        }
    }
}
