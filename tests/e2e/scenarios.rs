//! The two reference accounts, audited end to end in two regions.

use crate::golden::assert_matches;
use crate::harness::*;
use std::collections::BTreeMap;

#[test]
fn misconfigured_account_reports_exactly_the_expected_findings() {
    let moto = account("misconfigured");
    let run = audit(&moto, &[]);
    assert_eq!(run.code, 1, "failing findings exit 1\n{}", run.stderr);
    let report = run.json();
    assert_matches("misconfigured", &report);
    assert_eq!(report["regions"], serde_json::json!([HOME, OTHER]));
    assert_eq!(report["summary"]["by_status"]["UNKNOWN"], 0);
    assert!(report["summary"]["api_calls"].as_u64().unwrap_or(0) > 50);
    // The only calls that fail are moto gaps (mocks/README.md), and no check depends on them.
    let mut errors: Vec<String> = report["collection_errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["reason"]["operation"].as_str().unwrap_or_default().to_string()).collect())
        .unwrap_or_default();
    errors.sort();
    assert_eq!(errors, ["ec2:GetEbsDefaultKmsKeyId", "ec2:GetEbsDefaultKmsKeyId", "iam:GetCredentialReport"]);
}

#[test]
fn compliant_account_passes_every_check() {
    let moto = account("compliant");
    let run = audit(&moto, &[]);
    let report = run.json();
    assert_matches("compliant", &report);
    assert_eq!(report["summary"]["by_status"]["FAIL"], 0, "{}", run.stdout);
    assert_eq!(report["summary"]["by_status"]["UNKNOWN"], 0);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Every check ran and judged something.
    let mut checks: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings(&report) {
        *checks.entry(f["check_id"].as_str().unwrap_or_default().to_string()).or_default() += 1;
    }
    let listed = awsaudit(&["checks", "list", "--format", "json"]).json();
    for check in listed.as_array().into_iter().flatten() {
        let id = check["id"].as_str().unwrap_or_default();
        assert!(checks.contains_key(id), "check {id} produced no finding on the compliant account");
    }
}

#[test]
fn snapshot_round_trips_and_rechecks_offline_to_the_same_findings() {
    let moto = account("misconfigured");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = temp_path(dir.path(), "snap.json");
    let live = audit(&moto, &["--save-snapshot", &snapshot]);
    let live_report = live.json();
    drop(moto); // the offline check must not need the emulator
    // Secrets stay out of what awsaudit stores: the scenario's Lambda functions carry an environment variable.
    let stored = std::fs::read_to_string(&snapshot).unwrap_or_else(|e| panic!("{e}"));
    assert!(stored.contains("AWS::Lambda::Function"));
    for secret in ["not-a-real-secret", "API_TOKEN"] {
        assert!(!stored.contains(secret) && !live.stdout.contains(secret), "{secret} was stored");
    }

    let offline = awsaudit(&["check", "--snapshot", &snapshot, "--format", "json", "--param", SSH_PARAM]);
    assert_eq!(offline.code, live.code, "{}", offline.stderr);
    let offline_report = offline.json();
    assert_eq!(offline_report["findings"], live_report["findings"]);
    assert_eq!(offline_report["source"], "snapshot");

    // Loading and saving again gives the same bytes: nothing is lost or reordered.
    let text = std::fs::read_to_string(&snapshot).unwrap_or_else(|e| panic!("{e}"));
    let inventory = awsaudit::model::Inventory::from_snapshot_json(&text, &snapshot).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inventory.to_snapshot_json(), text);
    assert!(inventory.resources.len() > 40);
}

#[test]
fn no_request_is_made_twice() {
    let moto = account("misconfigured");
    let run = audit(&moto, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for r in moto.requests_detailed() {
        // moto gaps answer 500 and are retried by design; everything else must be asked once.
        if r["status"].as_u64() == Some(500) {
            continue;
        }
        let key = format!(
            "{} {} {} {} {} {}",
            r["service"], r["region"], r["operation"], r["method"], r["path"], r["params"]
        );
        *seen.entry(key).or_default() += 1;
    }
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "requests made more than once: {repeated:#?}");
    assert!(seen.len() > 50);
}
