//! Route 53 and CloudFront (global services): collected once, reported in `global`, and what denied calls do to
//! their findings.

use crate::harness::*;
use serde_json::{Value, json};

const SERVICES: &str = "route53,cloudfront,s3";

/// (check, resource label, status) of the Route 53 and CloudFront findings, sorted.
fn global_findings(report: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = findings(report)
        .iter()
        .filter(|f| matches!(f["service"].as_str(), Some("route53" | "cloudfront")))
        .map(|f| {
            assert_eq!(f["region"], "global", "{f}");
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            let label = f["resource"]["name"].as_str().map(String::from).unwrap_or_else(|| s(&f["resource"]["id"]));
            (s(&f["check_id"]), label, s(&f["status"]))
        })
        .collect();
    v.sort();
    v
}

fn row(check: &str, label: &str, status: &str) -> (String, String, String) {
    (check.to_string(), label.to_string(), status.to_string())
}

#[test]
fn denied_route53_and_cloudfront_calls_make_exactly_their_findings_unknown() {
    let moto = account("misconfigured");
    let baseline = audit(&moto, &["--services", SERVICES]);
    assert_eq!(baseline.code, 1, "{}", baseline.stderr);
    let before = global_findings(&baseline.json());
    assert_eq!(before.len(), 10, "{before:#?}");
    // Global services are read once, through the home region.
    let requests = moto.requests();
    for service in ["route53", "cloudfront"] {
        let regions: Vec<&str> = requests.iter().filter(|(s, _, _)| s == service).map(|(_, r, _)| r.as_str()).collect();
        assert!(!regions.is_empty() && regions.iter().all(|r| *r == HOME), "{service}: {regions:?}");
    }
    // REST operations are logged as `METHOD /path`; take the per-resource ones from the first run.
    let operation = |service: &str, suffix: &str| -> String {
        requests
            .iter()
            .find(|(s, _, o)| s == service && o.ends_with(suffix))
            .map(|(_, _, o)| o.clone())
            .unwrap_or_else(|| panic!("no {service} request ending in {suffix}: {requests:#?}"))
    };
    let records = operation("route53", "/rrset");
    let configs: Vec<String> = requests
        .iter()
        .filter(|(s, _, o)| s == "cloudfront" && o.ends_with("/config"))
        .map(|(_, _, o)| o.clone())
        .collect();
    assert_eq!(configs.len(), 2, "{requests:#?}");
    let mut rules = vec![json!({"service": "route53", "operation": records, "error": "AccessDenied"})];
    rules.extend(configs.iter().map(|o| json!({"service": "cloudfront", "operation": o, "error": "AccessDenied"})));
    moto.set_faults(Value::Array(rules));

    let run = audit(&moto, &["--services", SERVICES]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let after = global_findings(&report);
    let mut expected: Vec<_> = before
        .iter()
        .map(|(check, label, status)| {
            let denied = check.starts_with("route53_") || check == "cloudfront_logging";
            row(check, label, if denied { "UNKNOWN" } else { status })
        })
        .collect();
    expected.sort();
    assert_eq!(after, expected);
    for f in findings(&report).iter().filter(|f| f["status"] == "UNKNOWN") {
        assert_eq!(f["unknown_reason"]["cause"], "access_denied", "{f}");
    }

    // A denied listing makes every check of the kind UNKNOWN once, for the whole account.
    moto.clear_faults();
    moto.set_faults(json!([{"service": "cloudfront", "operation": "*", "error": "AccessDenied"}]));
    let report = audit(&moto, &["--services", SERVICES]).json();
    let cloudfront: Vec<_> =
        global_findings(&report).into_iter().filter(|(check, _, _)| check.starts_with("cloudfront_")).collect();
    let account = "123456789012";
    assert_eq!(
        cloudfront,
        vec![
            row("cloudfront_https_only", account, "UNKNOWN"),
            row("cloudfront_logging", account, "UNKNOWN"),
            row("cloudfront_origin_access_control", account, "UNKNOWN"),
            row("cloudfront_s3_origin_exists", account, "UNKNOWN"),
        ]
    );
}
