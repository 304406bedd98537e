//! Several outputs at once (`--output FORMAT=DEST`, repeatable), write failures, uploads to S3, and
//! `--fail-on-unknown`.

use crate::harness::*;
use crate::moto::Moto;
use serde_json::{Value, json};
use std::process::Command;

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/mocks/demo.json").to_string()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn several_outputs_are_written_at_once_and_the_summary_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (json_out, html_out, csv_out) =
        (temp_path(dir.path(), "out.json"), temp_path(dir.path(), "report.html"), temp_path(dir.path(), "f.csv"));
    let demo = demo();
    let run = awsaudit(&[
        "check",
        "--snapshot",
        &demo,
        "--format",
        "csv",
        "--output",
        &format!("json={json_out}"),
        "--output",
        &format!("html={html_out}"),
        "--output",
        &csv_out,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("findings:"), "{}", run.stderr);
    let report: Value = serde_json::from_str(&read(&json_out)).unwrap_or_default();
    assert_eq!(report["schema"], "awsaudit.report");
    assert!(read(&html_out).contains("<html"));
    assert!(read(&csv_out).lines().count() > 1, "a bare --output takes the --format format");

    // `-` is stdout; the other outputs still go to their files.
    let run = awsaudit(&["check", "--snapshot", &demo, "--output", "json=-", "--output", &format!("csv={csv_out}")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.json()["schema"], "awsaudit.report");

    // The config file's `outputs`, replaced as a whole by --output.
    let config = temp_path(dir.path(), "awsaudit.toml");
    let md_out = temp_path(dir.path(), "summary.md");
    std::fs::write(&config, format!("[output]\noutputs = [\"markdown={md_out}\", \"json={json_out}\"]\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(&json_out).unwrap_or_else(|e| panic!("{e}"));
    let run = awsaudit(&["check", "--snapshot", &demo, "--config", &config]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(read(&md_out).contains('#') && read(&json_out).contains("awsaudit.report"));

    let run = awsaudit(&["check", "--snapshot", &demo, "--output", "jsno=x.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean \"json\"?"), "{}", run.stderr);
    std::fs::write(&config, "[output]\noutputs = [\"json=a.json\", \"xml=b.xml\"]\n").unwrap_or_else(|e| panic!("{e}"));
    let run = awsaudit(&["check", "--snapshot", &demo, "--config", &config]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("awsaudit.toml:2:27") && run.stderr.contains("output.outputs[1]"), "{}", run.stderr);
}

#[test]
fn a_failed_output_does_not_stop_the_others_and_exits_4() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = temp_path(dir.path(), "good.json");
    let bad = "/nonexistent-dir/report.html";
    let run = awsaudit(&[
        "check",
        "--snapshot",
        &demo(),
        "--output",
        &format!("html={bad}"),
        "--output",
        &format!("json={good}"),
    ]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("cannot write report to {bad}")), "{}", run.stderr);
    assert!(!run.stderr.contains(&good), "{}", run.stderr);
    assert!(read(&good).contains("awsaudit.report"));
    assert!(run.stderr.contains("findings:"), "the summary is still printed: {}", run.stderr);
}

#[test]
fn unknown_findings_fail_the_run_with_fail_on_unknown() {
    let moto = account("misconfigured");
    moto.set_faults(json!([{"service": "s3", "operation": "GetBucketPolicy", "error": "AccessDenied"}]));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = temp_path(dir.path(), "denied.json");
    let run = audit(&moto, &["--fail-on", "none", "--save-snapshot", &snapshot]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(findings(&run.json()).iter().any(|f| f["status"] == "UNKNOWN"));

    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--snapshot", snapshot.as_str(), "--format", "json", "--fail-on", "none"];
        args.extend_from_slice(extra);
        awsaudit(&args).code
    };
    assert_eq!(check(&[]), 3);
    assert_eq!(check(&["--fail-on-unknown"]), 1);
    let config = temp_path(dir.path(), "awsaudit.toml");
    std::fs::write(&config, "[output]\nfail_on_unknown = true\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check(&["--config", &config]), 1);
    // Muted UNKNOWN findings do not count.
    std::fs::write(&config, "[[suppress]]\ncheck = \"*\"\nreason = \"accepted\"\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check(&["--config", &config, "--fail-on-unknown"]), 0);
}

/// Runs boto3 against moto; prints what the script prints.
fn boto3(moto: &Moto, script: &str) -> String {
    let prelude = "import boto3, json, sys\n\
        s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', \
        aws_access_key_id='testing', aws_secret_access_key='testing')\n";
    let out = Command::new(Moto::python())
        .args(["-c", &format!("{prelude}{script}"), &moto.endpoint])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python: {e}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every object of the bucket: key → body.
fn objects(moto: &Moto, bucket: &str) -> serde_json::Map<String, Value> {
    let listing = boto3(
        moto,
        &format!(
            "keys = [o['Key'] for o in s3.list_objects_v2(Bucket='{bucket}').get('Contents', [])]\n\
             print(json.dumps({{k: s3.get_object(Bucket='{bucket}', Key=k)['Body'].read().decode() for k in keys}}))"
        ),
    );
    match serde_json::from_str(&listing) {
        Ok(Value::Object(map)) => map,
        other => panic!("bad listing {listing}: {other:?}"),
    }
}

#[test]
fn reports_are_uploaded_to_s3_and_a_failed_upload_does_not_stop_the_others() {
    let moto = account("compliant");
    boto3(&moto, "s3.create_bucket(Bucket='reports')");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let local = temp_path(dir.path(), "report.txt");
    let run = audit(
        &moto,
        &[
            "--output",
            "json=s3://reports/daily/",
            "--output",
            "html=s3://reports/exact/report.html",
            "--output",
            &format!("table={local}"),
        ],
    );
    assert!(run.code == 0 || run.code == 1 || run.code == 3, "{}", run.stderr);
    let uploaded = objects(&moto, "reports");
    let (key, body) = uploaded
        .iter()
        .find(|(k, _)| k.starts_with("daily/awsaudit-123456789012-") && k.ends_with(".json"))
        .unwrap_or_else(|| panic!("no report under daily/: {:?}\n{}", uploaded.keys(), run.stderr));
    let report: Value = serde_json::from_str(body.as_str().unwrap_or_default()).unwrap_or_default();
    assert_eq!(report["schema"], "awsaudit.report", "{key}");
    assert_eq!(report["account_id"], "123456789012");
    assert!(uploaded["exact/report.html"].as_str().is_some_and(|b| b.contains("<html")), "{uploaded:?}");
    assert!(read(&local).contains("findings"));
    assert!(run.stderr.contains(&format!("uploaded s3://reports/{key}")), "{}", run.stderr);
    assert!(
        moto.requests().iter().filter(|(_, _, op)| op == "PutObject").count() == 2,
        "the uploads are the only writes"
    );

    // A missing bucket is a write failure: exit 4, the other outputs still written.
    std::fs::remove_file(&local).unwrap_or_else(|e| panic!("{e}"));
    let run = audit(&moto, &["--output", "json=s3://no-such-bucket/r.json", "--output", &format!("table={local}")]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("s3://no-such-bucket/r.json"), "{}", run.stderr);
    assert!(read(&local).contains("findings"));

    // `check --snapshot` uploads through the default chain, with AWS_ENDPOINT_URL.
    let out = Command::new(env!("CARGO_BIN_EXE_awsaudit"))
        .args(["check", "--snapshot", &demo(), "--output", "csv=s3://reports/offline/"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", HOME)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap_or_else(|e| panic!("cannot run awsaudit: {e}"));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let uploaded = objects(&moto, "reports");
    assert!(uploaded.keys().any(|k| k.starts_with("offline/awsaudit-") && k.ends_with(".csv")), "{uploaded:?}");
}

/// Validates JUnit XML with `xmllint` against Jenkins' published junit-4.xsd. The one tolerated deviation (see
/// `src/report/testdata/jenkins-junit-4.README.md`): quick-junit's `skipped` count on the root element.
fn assert_valid_junit(xml: &str, what: &str) {
    let root_end = xml.find("<testsuite ").unwrap_or(xml.len());
    let (root, rest) = xml.split_at(root_end);
    let skipped = regex::Regex::new(r#"(<testsuites [^>]*?) skipped="\d+""#).unwrap_or_else(|e| panic!("{e}"));
    let root = skipped.replace(root, "$1");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = temp_path(dir.path(), "junit.xml");
    std::fs::write(&file, format!("{root}{rest}")).unwrap_or_else(|e| panic!("{e}"));
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/src/report/testdata/jenkins-junit-4.xsd");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", schema, &file])
        .output()
        .unwrap_or_else(|e| panic!("cannot run xmllint ({e}): install libxml2-utils (scripts/test.sh does)"));
    assert!(out.status.success(), "{what} is not valid JUnit:\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn junit_reports_validate_against_the_jenkins_schema() {
    // Every status (the golden report's MUTED and UNKNOWN included) and a real audit's output.
    let golden = read(concat!(env!("CARGO_MANIFEST_DIR"), "/src/report/testdata/junit.golden"));
    assert!(golden.contains("<skipped") && golden.contains("<error") && golden.contains("<failure"));
    assert_valid_junit(&golden, "the golden JUnit report");
    let demo = awsaudit(&["check", "--snapshot", &demo(), "--format", "junit", "--param", SSH_PARAM]);
    assert_eq!(demo.code, 1, "{}", demo.stderr);
    assert_valid_junit(&demo.stdout, "the demo snapshot's JUnit report");
    // The check is real: a report with an element the schema does not allow is rejected.
    let broken = demo.stdout.replacen("<testcase ", "<testcase bogus=\"1\" ", 1);
    let result = std::panic::catch_unwind(|| assert_valid_junit(&broken, "broken"));
    assert!(result.is_err(), "xmllint accepted an attribute the schema does not allow");
}
