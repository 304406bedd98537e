//! The command line offline: exit codes, bad input, the catalogue. Runs on the bundled demo snapshot.

use crate::harness::*;

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/mocks/demo.json").to_string()
}

fn check(extra: &[&str]) -> Run {
    let demo = demo();
    let mut args = vec!["check", "--snapshot", demo.as_str()];
    args.extend_from_slice(extra);
    awsaudit(&args)
}

#[test]
fn the_demo_snapshot_loads_and_fails_on_every_threshold_it_reaches() {
    let table = check(&[]);
    assert_eq!(table.code, 1, "{}", table.stderr);
    assert!(table.stdout.contains("CRITICAL"), "{}", table.stdout);
    assert!(table.stdout.contains("s3_bucket_not_public"));
    assert!(table.stdout.contains("checks,") && table.stdout.contains("from a snapshot taken"));

    let report = check(&["--format", "json"]).json();
    let critical = report["summary"]["failing_by_severity"]["critical"].as_u64().unwrap_or(0);
    assert!(critical > 0);
    assert_eq!(check(&["--fail-on", "critical"]).code, 1);
    assert_eq!(check(&["--fail-on", "none"]).code, 0, "nothing is unknown in the demo");
    // Only findings at or above the threshold count: without the critical check, `critical` passes.
    let without_critical = check(&["--fail-on", "critical", "--checks", "s3_bucket_versioning_enabled"]);
    assert_eq!(without_critical.code, 0, "{}", without_critical.stdout);
}

#[test]
fn selection_and_region_filters_apply() {
    let report = check(&["--format", "json", "--services", "kms", "--regions", OTHER]).json();
    let findings = findings(&report);
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["service"] == "kms" && f["region"] == OTHER), "{report}");
}

#[test]
fn output_file_is_written_and_the_summary_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = temp_path(dir.path(), "report.json");
    let run = check(&["--format", "json", "--output", &out]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("findings:"), "{}", run.stderr);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default()).unwrap_or_default();
    assert_eq!(written["schema"], "awsaudit.report");

    let unwritable = check(&["--output", "/nonexistent-dir/report.txt"]);
    assert_eq!(unwritable.code, 4, "{}", unwritable.stderr);
    assert!(unwritable.stderr.contains("/nonexistent-dir/report.txt"));
}

#[test]
fn bad_input_is_a_usage_error_that_names_the_problem() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--checks".into(), "s3_bucket_versioning".into()], "did you mean \"s3_bucket_versioning_enabled\""),
        (vec!["--services".into(), "s4".into()], "unknown service \"s4\""),
        (vec!["--param".into(), "ec2_sg_ssh_restricted.allowed_cidrs=[\"10.0.0.0/33\"]".into()], "10.0.0.0/33"),
        (vec!["--param".into(), "iam_password_policy_strong.minimum_length=-1".into()], "minimum_length"),
        (vec!["--param".into(), "nosuchcheck.x=1".into()], "nosuchcheck"),
        (vec!["--fail-on".into(), "severe".into()], "severe"),
        (vec!["--config".into(), temp_path(dir.path(), "missing.toml")], "missing.toml"),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = check(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }

    let bad_config = temp_path(dir.path(), "awsaudit.toml");
    std::fs::write(&bad_config, "[parms.tags_required]\nkeys = [\"Owner\"]\n").unwrap_or_default();
    let run = check(&["--config", &bad_config]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("parms"), "{}", run.stderr);

    let region = awsaudit(&["audit", "--regions", "europe", "--endpoint-url", "http://127.0.0.1:9"]);
    assert_eq!(region.code, 2, "{}", region.stderr);
    assert!(region.stderr.contains("europe"));
}

#[test]
fn broken_snapshots_are_rejected_clearly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        let path = temp_path(dir.path(), name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let demo_text = std::fs::read_to_string(demo()).unwrap_or_default();
    let cases = [
        (write("truncated.json", &demo_text[..demo_text.len() / 2]), "malformed at line"),
        (write("other.json", r#"{"schema": "something.else"}"#), "not an awsaudit snapshot"),
        (write("future.json", &demo_text.replacen("\"schema_version\": 1", "\"schema_version\": 99", 1)), "99"),
        (write("badkind.json", &demo_text.replacen("AWS::S3::Bucket", "AWS::S3::Bukket", 1)), "AWS::S3::Bukket"),
        (temp_path(dir.path(), "absent.json"), "cannot read snapshot"),
    ];
    for (path, expected) in cases {
        let run = awsaudit(&["check", "--snapshot", &path]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{path}: {}", run.stderr);
    }
}

#[test]
fn the_catalogue_lists_and_explains_every_check() {
    let list = awsaudit(&["checks", "list", "--format", "json"]).json();
    let ids: Vec<String> =
        list.as_array().into_iter().flatten().filter_map(|c| c["id"].as_str().map(String::from)).collect();
    assert!(ids.len() >= 24, "{ids:?}");
    for id in &ids {
        let explain = awsaudit(&["checks", "explain", id]);
        assert_eq!(explain.code, 0);
        assert!(explain.stdout.contains("## What it does") && explain.stdout.contains("## Remediation"), "{id}");
    }
    let ssh = awsaudit(&["checks", "explain", "ec2_sg_ssh_restricted"]);
    assert!(ssh.stdout.contains("allowed_cidrs"), "{}", ssh.stdout);
    let unknown = awsaudit(&["checks", "explain", "ec2_sg_ssh"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("ec2_sg_ssh_restricted"));
}

#[test]
fn compliance_selection_adds_a_per_control_summary() {
    let run = awsaudit(&[
        "check",
        "--snapshot",
        &demo(),
        "--compliance",
        "cis-5.0",
        "--format",
        "json",
        "--param",
        SSH_PARAM,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let controls = report["compliance"].as_array().cloned().unwrap_or_default();
    assert!(controls.len() > 10, "{controls:?}");
    assert!(controls.iter().all(|c| c["framework"] == "cis-5.0"));
    // Only mapped checks ran, and every control's status follows its checks' findings.
    for finding in findings(&report) {
        let mapped = finding["compliance"].as_array().cloned().unwrap_or_default();
        assert!(mapped.iter().any(|c| c.as_str().is_some_and(|c| c.starts_with("cis-5.0:"))), "{finding}");
    }
    let status_of = |id: &str| controls.iter().find(|c| c["control"] == id).map(|c| c["status"].clone());
    // The demo account has a stopped Config recorder (CIS 3.3) and no root MFA device (CIS 1.4).
    assert_eq!(status_of("3.3"), Some(serde_json::json!("FAILED")));
    assert_eq!(status_of("1.4"), Some(serde_json::json!("FAILED")));
    for c in &controls {
        let expected = if c["fail"].as_u64() > Some(0) {
            "FAILED"
        } else if c["unknown"].as_u64() > Some(0) {
            "UNKNOWN"
        } else if c["pass"].as_u64() > Some(0) {
            "PASSED"
        } else {
            "NO_DATA"
        };
        assert_eq!(c["status"], expected, "{c}");
    }
    // The table shows the same summary.
    let table = awsaudit(&["check", "--snapshot", &demo(), "--compliance", "fsbp:S3.8", "--param", SSH_PARAM]);
    assert!(
        table.stdout.contains("Compliance fsbp: 1 control: 1 FAILED, 0 UNKNOWN, 0 PASSED, 0 NO_DATA"),
        "{}",
        table.stdout
    );
}
