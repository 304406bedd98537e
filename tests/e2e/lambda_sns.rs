//! Lambda and SNS end to end: a denied detail call makes exactly the findings that depend on it UNKNOWN, and the
//! resource is still judged on everything else.

use crate::harness::*;
use serde_json::{Value, json};

const CHECKS: &str = "lambda_runtime_supported,lambda_not_public,lambda_tracing_enabled,lambda_vpc_multi_az,\
                      sns_topic_kms_encrypted,sns_topic_not_public,sns_subscription_confirmed";

fn outcome(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = findings(report)
        .iter()
        .map(|f| {
            let status = f["status"].as_str().unwrap_or_default();
            let check = f["check_id"].as_str().unwrap_or_default();
            let region = f["region"].as_str().unwrap_or_default();
            let id = f["resource"]["id"].as_str().unwrap_or_default();
            format!("{status} {check} {region} {id}")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn denied_function_policy_and_subscription_listing_are_unknown_only_where_used() {
    let moto = account("misconfigured");
    moto.set_faults(json!([
        // Lambda is REST-JSON: the middleware names its operations by method and path.
        {"service": "lambda", "operation": "GET /2015-03-31/functions/legacy-report/policy", "error": "AccessDenied",
         "region": HOME},
        {"service": "sns", "operation": "ListSubscriptions", "error": "AccessDenied", "region": OTHER}
    ]));
    let run = audit(&moto, &["--checks", CHECKS]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        outcome(&report),
        [
            "FAIL lambda_not_public eu-west-1 thumbnailer",
            "FAIL lambda_runtime_supported us-east-1 legacy-report",
            "FAIL lambda_tracing_enabled us-east-1 legacy-report",
            "FAIL lambda_vpc_multi_az us-east-1 legacy-report",
            "FAIL sns_topic_kms_encrypted us-east-1 public-events",
            "FAIL sns_topic_not_public us-east-1 public-events",
            "PASS lambda_runtime_supported eu-west-1 thumbnailer",
            "PASS lambda_tracing_enabled eu-west-1 thumbnailer",
            "PASS sns_subscription_confirmed us-east-1 public-events",
            "PASS sns_topic_kms_encrypted eu-west-1 orders",
            "PASS sns_topic_not_public eu-west-1 orders",
            "UNKNOWN lambda_not_public us-east-1 legacy-report",
            "UNKNOWN sns_subscription_confirmed eu-west-1 orders",
        ]
    );
    for f in findings(&report).iter().filter(|f| f["status"] == "UNKNOWN") {
        assert_eq!(f["unknown_reason"]["cause"], "access_denied", "{f}");
        let operation = f["unknown_reason"]["operation"].as_str().unwrap_or_default();
        assert!(["lambda:GetPolicy", "sns:ListSubscriptions"].contains(&operation), "{f}");
    }
}
