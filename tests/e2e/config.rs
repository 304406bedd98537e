//! The config file from the command line: `config init`, settings with flags on top, suppressions, and every
//! way a config file can be wrong. Runs offline on the bundled demo snapshot.

use crate::harness::*;
use serde_json::Value;
use std::path::Path;

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/mocks/demo.json").to_string()
}

/// `awsaudit check` of the demo snapshot with `text` as its config file, plus `extra` flags.
fn check_with(dir: &Path, text: &str, extra: &[&str]) -> Run {
    let config = temp_path(dir, "awsaudit.toml");
    std::fs::write(&config, text).unwrap_or_else(|e| panic!("{e}"));
    let demo = demo();
    let mut args = vec!["check", "--snapshot", demo.as_str(), "--config", config.as_str()];
    args.extend_from_slice(extra);
    awsaudit(&args)
}

/// (resource uid, status) of one check's findings.
fn statuses(report: &Value, check: &str) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    findings(report)
        .iter()
        .filter(|f| f["check_id"] == check)
        .map(|f| (text(&f["resource"]["uid"]), text(&f["status"])))
        .collect()
}

fn has(statuses: &[(String, String)], uid: &str, status: &str) -> bool {
    statuses.iter().any(|(u, s)| u == uid && s == status)
}

#[test]
fn config_init_writes_a_default_that_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = temp_path(dir.path(), "awsaudit.toml");
    let init = awsaudit(&["config", "init", &path]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(text.contains("[[suppress]]") && text.contains("fail_on"), "{text}");

    // The default selects every check and changes nothing: same exit code as without a config file.
    let run = awsaudit(&["check", "--snapshot", &demo(), "--config", &path, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let without = awsaudit(&["check", "--snapshot", &demo(), "--format", "json"]);
    assert_eq!(run.json()["summary"], without.json()["summary"]);

    std::fs::write(&path, "# mine\n").unwrap_or_else(|e| panic!("{e}"));
    let again = awsaudit(&["config", "init", &path]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists") && again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), "# mine\n");
    assert_eq!(awsaudit(&["config", "init", "--force", &path]).code, 0);
    assert!(std::fs::read_to_string(&path).unwrap_or_default().contains("[checks]"));
}

#[test]
fn settings_apply_and_flags_override_them() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = r#"
regions = ["eu-west-1"]
[checks]
include = ["s3_*"]
exclude = ["s3_bucket_versioning_enabled"]
[output]
format = "json"
fail_on = "none"
"#;
    let run = check_with(dir.path(), config, &[]);
    assert_eq!(run.code, 0, "fail_on = none: {}", run.stderr);
    let report = run.json();
    let found = findings(&report);
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|f| f["check_id"].as_str().is_some_and(|c| c.starts_with("s3_"))
            && f["check_id"] != "s3_bucket_versioning_enabled"
            && (f["region"] == OTHER || f["region"] == "global")),
        "{report}"
    );

    // Flags win: another format, threshold, region and check list.
    let run = check_with(
        dir.path(),
        config,
        &["--format", "table", "--fail-on", "low", "--regions", HOME, "--checks", "s3_bucket_versioning_enabled"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("s3_bucket_versioning_enabled") && run.stdout.contains("public-site"),
        "{}",
        run.stdout
    );

    // Severity and compliance selections: the high checks of CIS, not s3_bucket_not_public (critical, FSBP only).
    let run = check_with(
        dir.path(),
        "[checks]\nmin_severity = \"high\"\ncompliance = [\"cis-5.0\"]\n",
        &["--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let selected = findings(&report);
    assert!(selected.iter().any(|f| f["check_id"] == "ec2_sg_ssh_restricted"), "{report}");
    // High and above: the root-user checks (critical, CIS) are in, ec2_instance_no_public_ip (FSBP only) is not.
    assert!(
        selected.iter().all(|f| (f["severity"] == "high" || f["severity"] == "critical")
            && f["check_id"] != "ec2_instance_no_public_ip")
    );
    assert!(selected.iter().any(|f| f["check_id"] == "iam_root_mfa_enabled"), "{report}");

    // `--param` still overrides `[params.*]`.
    let ssh = "[params.ec2_sg_ssh_restricted]\nallowed_cidrs = [\"0.0.0.0/0\"]\n";
    let open = check_with(dir.path(), ssh, &["--format", "json", "--checks", "ec2_sg_ssh_restricted"]).json();
    assert!(statuses(&open, "ec2_sg_ssh_restricted").iter().all(|(_, s)| s == "PASS"), "{open}");
    let strict =
        check_with(dir.path(), ssh, &["--format", "json", "--checks", "ec2_sg_ssh_restricted", "--param", SSH_PARAM])
            .json();
    assert!(statuses(&strict, "ec2_sg_ssh_restricted").iter().any(|(_, s)| s == "FAIL"), "{strict}");
}

#[test]
fn suppressions_mute_matching_findings_and_warn_about_stale_ones() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = r#"
[[suppress]]
check = "s3_bucket_*"
resource = "arn:aws:s3:::public-site"
reason = "the public website bucket"

[[suppress]]
check = "s3_bucket_versioning_enabled"
tags = { Environment = "prod" }
reason = "prod buckets are versioned by the backup system"
expires = 2099-12-31

[[suppress]]
check = "ec2_sg_ssh_restricted"
resource_regex = "security-group/SG_ID$"
reason = "expired exception"
expires = 2020-01-01

[[suppress]]
check = "kms_*"
resource = "arn:aws:kms:*:*:key/gone"
reason = "a key that was deleted"
"#;
    // The eu-west-1 bastion group of the demo account (moto draws its id when the demo is generated).
    let demo_snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(demo()).unwrap_or_default()).unwrap_or_default();
    let sg = demo_snapshot["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["kind"] == "AWS::EC2::SecurityGroup" && r["region"] == "eu-west-1" && r["name"] == "bastion")
        .and_then(|r| r["arn"].as_str())
        .unwrap_or_else(|| panic!("no bastion security group in eu-west-1 in the demo snapshot"))
        .to_string();
    let config = &config.replace("SG_ID", sg.rsplit('/').next().unwrap_or_default());
    let run = check_with(dir.path(), config, &["--format", "json", "--fail-on", "none"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let muted: Vec<Value> = findings(&report).into_iter().filter(|f| f["status"] == "MUTED").collect();
    let public_site = muted.iter().filter(|f| f["resource"]["uid"] == "arn:aws:s3:::public-site").count();
    assert!(public_site >= 3, "{muted:?}");
    assert!(muted.iter().all(|f| f["muted"]["underlying_status"] == "FAIL"), "{muted:?}");
    // Tags come from the inventory: orders-data is tagged Environment=prod.
    assert!(has(&statuses(&report, "s3_bucket_versioning_enabled"), "arn:aws:s3:::orders-data", "MUTED"), "{report}");
    let orders = muted.iter().find(|f| f["resource"]["uid"] == "arn:aws:s3:::orders-data");
    assert_eq!(
        orders.map(|f| &f["muted"]["reason"]),
        Some(&Value::from("prod buckets are versioned by the backup system"))
    );
    // The expired entry mutes nothing, and says so; the unmatched one too.
    assert!(has(&statuses(&report, "ec2_sg_ssh_restricted"), &sg, "FAIL"), "{report}");
    assert!(run.stderr.contains("warning:") && run.stderr.contains("expired on 2020-01-01"), "{}", run.stderr);
    assert!(run.stderr.contains("awsaudit.toml:13)"), "{}", run.stderr);
    assert!(run.stderr.contains("\"kms_*\"") && run.stderr.contains("matched no failing"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning:").count(), 2, "{}", run.stderr);
    // Scheduled runs read them from the report too.
    let codes: Vec<&str> =
        report["warnings"].as_array().into_iter().flatten().filter_map(|w| w["code"].as_str()).collect();
    assert_eq!(codes, ["suppression_expired", "suppression_unmatched"], "{}", report["warnings"]);

    // Muted findings do not fail the run: public-site is the demo's only public bucket.
    let only_muted = check_with(dir.path(), config, &["--checks", "s3_bucket_not_public"]);
    assert_eq!(only_muted.code, 0, "{}{}", only_muted.stdout, only_muted.stderr);
    assert!(only_muted.stdout.contains("MUTED") && only_muted.stdout.contains("the public website bucket"));
    // An expired entry warns in every run; an entry whose checks did not run has nothing to match.
    assert!(only_muted.stderr.contains("expired on"), "{}", only_muted.stderr);
    assert!(!only_muted.stderr.contains("matched no"), "{}", only_muted.stderr);
}

#[test]
fn bad_config_files_are_usage_errors_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: &[(&str, &[&str])] = &[
        ("regions = [\"eu-west-1\"\n", &["awsaudit.toml:", "TOML syntax error"]),
        ("[output\nformat = \"json\"\n", &["awsaudit.toml:1:", "syntax"]),
        ("[parms.tags_required]\nkeys = [\"Owner\"]\n", &["awsaudit.toml:1:2", "`parms`", "did you mean `params`?"]),
        ("[checks]\ninclde = [\"s3_*\"]\n", &["awsaudit.toml:2:1", "checks.inclde", "did you mean `include`?"]),
        ("[output]\nfail_on = \"severe\"\n", &["awsaudit.toml:2:11", "output.fail_on", "severe"]),
        ("regions = [\"europe\"]\n", &["awsaudit.toml:1:12", "regions[0]", "europe"]),
        ("[[suppress]]\ncheck = \"s3_*\"\n", &["awsaudit.toml:1:", "missing key `reason`"]),
        ("[[suppress]]\ncheck = \"s3_*\"\nreason = \" \"\n", &["awsaudit.toml:3:", "suppress[0].reason"]),
        ("[[suppress]]\ncheck = \"s3_versioning\"\nreason = \"x\"\n", &["awsaudit.toml:2:", "suppress[0].check"]),
        ("[params.ec2_sg_ssh_restricted]\nallowed_cidrs = [\"10.0.0.0/33\"]\n", &["awsaudit.toml:", "10.0.0.0/33"]),
    ];
    for (text, expected) in cases {
        let run = check_with(dir.path(), text, &[]);
        assert_eq!(run.code, 2, "{text}: {}", run.stderr);
        for e in *expected {
            assert!(run.stderr.contains(e), "{text}: expected {e:?} in {}", run.stderr);
        }
    }
}
