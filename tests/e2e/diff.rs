//! Drift offline: `awsaudit diff` over findings files and snapshots, and `check --baseline`. The snapshots are
//! the bundled demo and copies of it edited here (a bucket's versioning flipped, a volume removed, a bucket
//! added).

use crate::harness::*;
use serde_json::{Value, json};
use std::path::Path;

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/mocks/demo.json").to_string()
}

fn demo_json() -> Value {
    let text = std::fs::read_to_string(demo()).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn resources(snapshot: &mut Value) -> &mut Vec<Value> {
    snapshot["resources"].as_array_mut().unwrap_or_else(|| panic!("no resources"))
}

fn resource<'a>(snapshot: &'a mut Value, id: &str) -> &'a mut Value {
    resources(snapshot).iter_mut().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no resource {id}"))
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = temp_path(dir, name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// The demo a week later: trail-logs versioning suspended, orders-data versioning enabled, the `scratch`
/// volume deleted, a new unencrypted bucket.
fn drifted() -> Value {
    let mut snapshot = demo_json();
    resource(&mut snapshot, "trail-logs")["properties"]["versioning"]["known"]["status"] = json!("Suspended");
    resource(&mut snapshot, "orders-data")["properties"]["versioning"]["known"]["status"] = json!("Enabled");
    resources(&mut snapshot).retain(|r| r["name"] != "scratch");
    let mut bucket = resource(&mut snapshot, "trail-logs").clone();
    bucket["id"] = json!("new-bucket");
    bucket["name"] = json!("new-bucket");
    bucket["arn"] = json!("arn:aws:s3:::new-bucket");
    bucket["properties"]["encryption"] = json!("absent");
    resources(&mut snapshot).push(bucket);
    snapshot
}

fn ids(diff: &Value, list: &str) -> Vec<String> {
    diff["findings"][list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {diff}"))
        .iter()
        .map(|f| format!("{} {}", f["check_id"].as_str().unwrap_or(""), f["resource"]["id"].as_str().unwrap_or("")))
        .collect()
}

#[test]
fn two_snapshots_show_finding_and_resource_drift() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let new = write(dir.path(), "new.json", &drifted());

    let text = awsaudit(&["diff", &demo(), &new]);
    assert_eq!(text.code, 1, "new failures fail the run: {}", text.stderr);
    for expected in [
        "+ AWS::S3::Bucket new-bucket (us-east-1)",
        "- AWS::EC2::Volume scratch (us-east-1)",
        "~ AWS::S3::Bucket trail-logs (us-east-1)",
        "versioning.status: Enabled → Suspended",
        "versioning.status: none → Enabled",
        "NEW FAIL",
        "FIXED",
        "Still failing:",
    ] {
        assert!(text.stdout.contains(expected), "{expected:?} missing:\n{}", text.stdout);
    }

    let run = awsaudit(&["diff", &demo(), &new, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diff = run.json();
    assert_eq!(diff["schema"], "awsaudit.diff");
    assert_eq!(diff["input"], "snapshot");
    let new_failures = ids(&diff, "new_failures");
    assert!(new_failures.contains(&"s3_bucket_versioning_enabled trail-logs".to_string()), "{new_failures:?}");
    assert!(new_failures.iter().any(|f| f.ends_with(" new-bucket")), "{new_failures:?}");
    let fixed = ids(&diff, "fixed");
    assert!(fixed.contains(&"s3_bucket_versioning_enabled orders-data".to_string()), "{fixed:?}");
    assert!(fixed.iter().any(|f| f.starts_with("ec2_ebs_volume_encrypted vol-")), "deleted volume: {fixed:?}");
    assert!(ids(&diff, "still_failing").contains(&"s3_bucket_not_public public-site".to_string()));
    assert_eq!(diff["summary"]["resources_added"], 1);
    assert_eq!(diff["summary"]["resources_removed"], 1);
    let changed = diff["resources"]["changed"].as_array().cloned().unwrap_or_default();
    let trail = changed.iter().find(|c| c["id"] == "trail-logs").unwrap_or_else(|| panic!("{changed:?}"));
    assert_eq!(trail["changes"], json!([{"path": "versioning.status", "old": "Enabled", "new": "Suspended"}]));

    // Only new failures at or above the threshold count.
    let high = awsaudit(&["diff", &demo(), &new, "--fail-on", "critical"]);
    assert_eq!(high.code, 0, "no new critical failure: {}", high.stdout);
    assert!(high.stdout.contains("0 new failures at or above critical"), "{}", high.stdout);

    // No drift: exit 0 although the demo fails plenty.
    let same = awsaudit(&["diff", &demo(), &demo(), "--format", "json"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let same = same.json();
    assert_eq!(same["summary"]["new_failures"], 0);
    assert!(same["summary"]["still_failing"].as_u64().unwrap_or(0) > 0);
    assert_eq!(same["resources"], json!({"added": [], "removed": [], "changed": [], "unseen": []}));
}

#[test]
fn two_findings_files_are_compared_by_finding_id() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let new_snapshot = write(dir.path(), "new-snapshot.json", &drifted());
    let old = temp_path(dir.path(), "old.json");
    let new = temp_path(dir.path(), "new.json");
    assert_eq!(awsaudit(&["check", "--snapshot", &demo(), "--format", "json", "--output", &old]).code, 1);
    assert_eq!(awsaudit(&["check", "--snapshot", &new_snapshot, "--format", "json", "--output", &new]).code, 1);

    let out = temp_path(dir.path(), "diff.json");
    let run = awsaudit(&["diff", &old, &new, "--format", "json", "--output", &out]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let diff: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default()).unwrap_or_default();
    assert_eq!(diff["input"], "report");
    assert!(diff.get("resources").is_none(), "no resource diff for findings files");
    assert!(ids(&diff, "new_failures").contains(&"s3_bucket_versioning_enabled trail-logs".to_string()));
    assert!(ids(&diff, "fixed").contains(&"s3_bucket_versioning_enabled orders-data".to_string()));

    assert_eq!(awsaudit(&["diff", &old, &new, "--fail-on", "none"]).code, 0);
    assert_eq!(awsaudit(&["diff", &new, &new]).code, 0);
    // Fixing things is not a failure.
    assert_eq!(awsaudit(&["diff", &new, &old, "--fail-on", "high"]).code, 0);
}

#[test]
fn a_baseline_fails_the_run_only_on_new_failures() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let baseline = temp_path(dir.path(), "baseline.json");
    assert_eq!(awsaudit(&["check", "--snapshot", &demo(), "--format", "json", "--output", &baseline]).code, 1);

    // The same account again: its failures are all known, so the run passes, and still writes its report.
    let same = awsaudit(&["check", "--snapshot", &demo(), "--format", "json", "--baseline", &baseline]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert_eq!(same.json()["schema"], "awsaudit.report");
    assert!(same.stderr.contains("0 new failures"), "{}", same.stderr);

    let drifted = write(dir.path(), "drifted.json", &drifted());
    let run = awsaudit(&["check", "--snapshot", &drifted, "--baseline", &baseline]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("CRITICAL"), "the normal report: {}", run.stdout);
    assert!(run.stderr.contains("drift since"), "{}", run.stderr);
    assert!(run.stderr.contains("NEW FAIL") && run.stderr.contains("trail-logs"), "{}", run.stderr);
    assert!(run.stderr.contains("fixed"), "{}", run.stderr);
    assert_eq!(awsaudit(&["check", "--snapshot", &drifted, "--baseline", &baseline, "--fail-on", "critical"]).code, 0);

    // A snapshot works as a baseline too.
    let from_snapshot = awsaudit(&["check", "--snapshot", &drifted, "--baseline", &demo()]);
    assert_eq!(from_snapshot.code, 1, "{}", from_snapshot.stderr);

    // No new failure but something unknown now: incomplete.
    // A bucket no trail delivers to, so only its own logging finding turns unknown.
    let mut unknown = demo_json();
    resource(&mut unknown, "orders-data")["properties"]["logging"] =
        json!({"unknown": {"cause": "access_denied", "operation": "s3:GetBucketLogging", "code": "AccessDenied"}});
    let unknown = write(dir.path(), "unknown.json", &unknown);
    let run = awsaudit(&["check", "--snapshot", &unknown, "--baseline", &baseline]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("1 new unknown"), "{}", run.stderr);
}

#[test]
fn unreadable_baselines_and_inputs_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let raw = |name: &str, text: &str| {
        let path = temp_path(dir.path(), name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let missing = temp_path(dir.path(), "missing.json");
    let truncated = raw("truncated.json", "{\"schema\": \"awsaudit.report\",");
    let other = raw("other.json", r#"{"schema": "something.else"}"#);
    let future = raw("future.json", r#"{"schema": "awsaudit.report", "schema_version": 7}"#);
    let cases = [
        (missing.clone(), "cannot read"),
        (truncated.clone(), "not valid JSON"),
        (other.clone(), "neither an awsaudit findings file"),
        (future, "schema version 7"),
    ];
    for (path, expected) in &cases {
        let run = awsaudit(&["check", "--snapshot", &demo(), "--baseline", path]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(run.stderr.contains("--baseline") && run.stderr.contains(expected), "{path}: {}", run.stderr);
        assert!(run.stderr.contains(path.as_str()), "names the file: {}", run.stderr);
        assert!(run.stdout.is_empty(), "no report for a bad baseline");

        let diff = awsaudit(&["diff", &demo(), path]);
        assert_eq!(diff.code, 2, "{path}: {}", diff.stderr);
        assert!(diff.stderr.contains(expected), "{path}: {}", diff.stderr);
    }
    // `audit` checks its baseline before collecting anything (the endpoint is never contacted).
    let audit = awsaudit(&["audit", "--endpoint-url", "http://127.0.0.1:9", "--baseline", &missing]);
    assert_eq!(audit.code, 2, "{}", audit.stderr);
    assert!(audit.stderr.contains("missing.json"), "{}", audit.stderr);

    let report = temp_path(dir.path(), "report.json");
    awsaudit(&["check", "--snapshot", &demo(), "--format", "json", "--output", &report]);
    let mixed = awsaudit(&["diff", &report, &demo()]);
    assert_eq!(mixed.code, 2, "{}", mixed.stderr);
    assert!(mixed.stderr.contains("cannot compare") && mixed.stderr.contains("(a snapshot)"), "{}", mixed.stderr);
    let bad_format = awsaudit(&["diff", &report, &report, "--format", "csv"]);
    assert_eq!(bad_format.code, 2, "{}", bad_format.stderr);
}
