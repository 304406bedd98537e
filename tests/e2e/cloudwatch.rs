//! CloudWatch Logs and alarms end to end: the CIS monitoring chain (trail → log group → metric filter → alarm)
//! on the compliant account, and what happens when part of it cannot be read.

use crate::harness::*;
use serde_json::json;

fn statuses(report: &serde_json::Value, check: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = findings(report)
        .iter()
        .filter(|f| f["check_id"] == check)
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap_or_default().to_string(),
                f["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn cis_monitoring_items_are_unknown_when_metric_filters_cannot_be_listed() {
    let moto = account("compliant");
    let report = audit(&moto, &["--checks", "cloudwatch_cis_metric_alarms"]).json();
    let passing = statuses(&report, "cloudwatch_cis_metric_alarms");
    assert_eq!(passing.len(), 15);
    assert!(passing.iter().all(|(_, s)| s == "PASS"), "{passing:?}");
    let first = findings(&report).into_iter().find(|f| f["resource"]["id"] == "cis-5.0:4.1");
    assert_eq!(first.map(|f| f["compliance"].clone()), Some(json!(["cis-5.0:4.1"])));

    // The trail's log group is in us-east-1: denying the filters there leaves every item undecidable.
    moto.set_faults(json!([
        {"service": "logs", "operation": "DescribeMetricFilters", "region": HOME, "error": "AccessDenied"}
    ]));
    let run = audit(&moto, &["--checks", "cloudwatch_cis_metric_alarms"]);
    assert_eq!(run.code, 3, "an incomplete audit exits 3\n{}", run.stderr);
    let report = run.json();
    for f in findings(&report) {
        assert_eq!(f["status"], "UNKNOWN", "{f}");
        assert_eq!(f["unknown_reason"]["operation"], "logs:DescribeMetricFilters", "{f}");
        assert_eq!(f["unknown_reason"]["cause"], "access_denied", "{f}");
    }
}
