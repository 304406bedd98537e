//! What the audit does when AWS says no, or slows it down: denied data becomes UNKNOWN with the reason, the
//! rest of the run completes, and throttling is retried until the results are exactly right.

use crate::golden::{assert_matches, lines};
use crate::harness::*;
use serde_json::json;

#[test]
fn denied_calls_make_exactly_the_affected_findings_unknown() {
    let moto = account("misconfigured");
    moto.set_faults(json!([
        {"service": "s3", "operation": "GetBucketPolicy", "error": "AccessDenied"},
        {"service": "ec2", "operation": "DescribeFlowLogs", "error": "AccessDenied", "region": OTHER},
        {"service": "config", "operation": "DescribeConfigurationRecorders", "error": "AccessDenied", "region": HOME},
        {"service": "iam", "operation": "GetAccountPasswordPolicy", "error": "AccessDenied"}
    ]));
    let run = audit(&moto, &[]);
    assert_eq!(run.code, 1, "other checks still fail\n{}", run.stderr);
    let report = run.json();
    assert_matches("misconfigured-denied", &report);

    let unknown: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["status"] == "UNKNOWN").collect())
        .unwrap_or_default();
    assert!(!unknown.is_empty());
    for f in &unknown {
        assert_eq!(f["unknown_reason"]["cause"], "access_denied", "{f}");
        assert!(f["message"].as_str().is_some_and(|m| m.contains("access denied")), "{f}");
    }
    // Denied calls are not retried.
    let stats = moto.fault_stats();
    assert_eq!(stats["counts"]["iam:GetAccountPasswordPolicy"]["requests"], 1, "{stats}");

    // With failures not counted, an incomplete audit exits 3.
    let run = audit(&moto, &["--fail-on", "none"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
}

#[test]
fn throttling_is_retried_and_the_results_are_unchanged() {
    let moto = account("misconfigured");
    let baseline = lines(&audit(&moto, &[]).json());
    moto.set_faults(json!([
        {"service": "ec2", "operation": "DescribeSecurityGroups", "error": "Throttling", "times": 4},
        {"service": "s3", "operation": "GetBucketVersioning", "error": "Throttling", "times": 3},
        {"service": "iam", "operation": "GetAccountAuthorizationDetails", "error": "Throttling", "times": 2},
        {"service": "kms", "operation": "ListKeys", "error": "Throttling", "times": 2},
        {"service": "cloudtrail", "operation": "DescribeTrails", "error": "Throttling", "times": 2}
    ]));
    let started = std::time::Instant::now();
    // The default attempt count: throttled calls get through within it.
    let run = awsaudit(&[
        "audit",
        "--endpoint-url",
        &moto.endpoint,
        "--region",
        HOME,
        "--regions",
        &format!("{HOME},{OTHER}"),
        "--format",
        "json",
        "--param",
        SSH_PARAM,
    ]);
    let elapsed = started.elapsed();
    let report = run.json();
    assert_eq!(lines(&report), baseline, "throttling changed the findings\n{}", run.stderr);
    assert_matches("misconfigured", &report);
    let stats = moto.fault_stats();
    for op in ["ec2:DescribeSecurityGroups", "s3:GetBucketVersioning", "iam:GetAccountAuthorizationDetails"] {
        assert!(stats["counts"][op]["faults"].as_u64().unwrap_or(0) >= 2, "{op} was not throttled: {stats}");
    }
    assert!(report["summary"]["api_calls"].as_u64() > Some(13), "retries are counted");
    // Backoff is jittered and short: a throttled run stays quick (no client-side limiter crawl).
    assert!(elapsed.as_secs() < 30, "throttled audit took {elapsed:?}");
}

#[test]
fn an_unreachable_endpoint_is_a_runtime_error_naming_the_problem() {
    let run = awsaudit(&["audit", "--endpoint-url", "http://127.0.0.1:9", "--regions", HOME, "--max-attempts", "1"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("cannot identify the AWS account"), "{}", run.stderr);
}
