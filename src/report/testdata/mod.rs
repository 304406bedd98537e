//! A fixed [`Report`] every format's golden-file tests render, and the golden-file helper.
//!
//! The report covers every status (MUTED through [`Finding::mute`]), every severity, two UNKNOWN findings with
//! their reasons, a message with a newline, quotes, a pipe and a comma, and a check id no check is
//! registered under. `AWSAUDIT_BLESS=1 cargo test --lib report` rewrites the golden files; review the diff.

use crate::finding::{ACCOUNT_KIND, Finding, FindingResource, Severity, Status};
use crate::model::{Cause, UnknownReason};
use crate::report::{Report, Summary};
use chrono::{TimeZone, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const ACCOUNT: &str = "123456789012";

pub fn finding(
    check_id: &str,
    title: &str,
    severity: Severity,
    status: Status,
    region: &str,
    kind: &str,
    id: &str,
) -> Finding {
    let service = match check_id.split('_').next().unwrap_or_default() {
        "vpc" => "ec2",
        service => service,
    };
    let uid = if kind == ACCOUNT_KIND {
        format!("{ACCOUNT_KIND}:{ACCOUNT}")
    } else if kind == "AWS::S3::Bucket" {
        format!("arn:aws:s3:::{id}")
    } else if region == "global" {
        format!("arn:aws:{service}::{ACCOUNT}:{id}")
    } else {
        format!("arn:aws:{service}:{region}:{ACCOUNT}:{}", id.replace("vpc-", "vpc/vpc-"))
    };
    Finding {
        id: Finding::finding_id(check_id, ACCOUNT, region, &uid),
        check_id: check_id.to_string(),
        title: title.to_string(),
        service: service.to_string(),
        severity,
        status,
        account_id: ACCOUNT.to_string(),
        region: region.to_string(),
        resource: FindingResource { kind: kind.to_string(), id: id.to_string(), uid, name: None },
        message: String::new(),
        unknown_reason: None,
        muted: None,
        compliance: Vec::new(),
    }
}

/// The fixed report: ten findings from seven checks, most severe first as the engine orders them.
pub fn report() -> Report {
    let bucket = "AWS::S3::Bucket";
    let mut findings = Vec::new();

    let mut f = finding(
        "s3_bucket_not_public",
        "S3 buckets do not grant public access",
        Severity::Critical,
        Status::Fail,
        "global",
        bucket,
        "public-site",
    );
    f.message = "Bucket policy statement \"PublicRead|All\" allows s3:GetObject to \"*\", unconditionally\n\
                 and the ACL grants AllUsers READ, WRITE"
        .to_string();
    f.resource.name = Some("public-site".to_string());
    f.compliance = vec!["fsbp:S3.2".to_string(), "fsbp:S3.3".to_string()];
    findings.push(f);

    let mut f = finding(
        "s3_bucket_public_access_block",
        "S3 buckets have all Block Public Access settings on",
        Severity::High,
        Status::Fail,
        "global",
        bucket,
        "public-site",
    );
    f.message = "BlockPublicPolicy and RestrictPublicBuckets are off".to_string();
    f.compliance = vec!["cis-5.0:2.1.4".to_string(), "fsbp:S3.8".to_string()];
    findings.push(f);

    let mut f = finding(
        "s3_bucket_public_access_block",
        "S3 buckets have all Block Public Access settings on",
        Severity::High,
        Status::Unknown,
        "global",
        bucket,
        "locked-down",
    );
    let reason = UnknownReason::new(Cause::AccessDenied, "s3:GetPublicAccessBlock", "User is not authorized")
        .with_code("AccessDenied");
    f.message = format!("could not be evaluated: {reason}");
    f.unknown_reason = Some(reason);
    f.compliance = vec!["cis-5.0:2.1.4".to_string(), "fsbp:S3.8".to_string()];
    findings.push(f);

    let mut f = finding(
        "iam_policy_no_admin_star",
        "IAM policies do not allow full \"*:*\" administrative privileges",
        Severity::High,
        Status::Pass,
        "global",
        "AWS::IAM::ManagedPolicy",
        "policy/ReadOnly",
    );
    f.message = "no statement allows \"*\" on \"*\"".to_string();
    f.resource.name = Some("ReadOnly".to_string());
    f.compliance = vec!["cis-5.0:1.16".to_string(), "fsbp:IAM.1".to_string()];
    findings.push(f);

    let mut f = finding(
        "s3_bucket_versioning_enabled",
        "S3 buckets have versioning enabled",
        Severity::Medium,
        Status::Fail,
        "global",
        bucket,
        "public-site",
    );
    f.message = "versioning is Suspended".to_string();
    findings.push(f);

    let mut f = finding(
        "s3_bucket_versioning_enabled",
        "S3 buckets have versioning enabled",
        Severity::Medium,
        Status::Pass,
        "global",
        bucket,
        "locked-down",
    );
    f.message = "versioning is Enabled".to_string();
    findings.push(f);

    let mut f = finding(
        "s3_bucket_versioning_enabled",
        "S3 buckets have versioning enabled",
        Severity::Medium,
        Status::Fail,
        "global",
        bucket,
        "scratch",
    );
    f.message = "versioning was never enabled".to_string();
    f.mute("scratch bucket, recreated nightly");
    findings.push(f);

    let mut f = finding(
        "vpc_dns_enabled",
        "VPCs have DNS resolution and DNS hostnames enabled",
        Severity::Low,
        Status::Fail,
        "eu-west-1",
        "AWS::EC2::VPC",
        "vpc-0abc",
    );
    f.message = "DNS hostnames are disabled".to_string();
    findings.push(f);

    let mut f = finding(
        "vpc_dns_enabled",
        "VPCs have DNS resolution and DNS hostnames enabled",
        Severity::Low,
        Status::Unknown,
        "us-east-1",
        ACCOUNT_KIND,
        ACCOUNT,
    );
    let reason = UnknownReason::new(Cause::Throttled, "ec2:DescribeVpcs", "Rate exceeded");
    f.message = format!("could not be evaluated: {reason}");
    f.unknown_reason = Some(reason);
    findings.push(f);

    let mut f = finding(
        "example_unregistered_check",
        "A check this build does not know | by id",
        Severity::Info,
        Status::Fail,
        "eu-west-1",
        ACCOUNT_KIND,
        ACCOUNT,
    );
    f.message = "an informational finding, from a check with no metadata".to_string();
    findings.push(f);

    let mut by_status: BTreeMap<Status, usize> =
        [Status::Pass, Status::Fail, Status::Unknown, Status::Muted].into_iter().map(|s| (s, 0)).collect();
    let mut failing_by_severity: BTreeMap<Severity, usize> = Severity::ALL.into_iter().map(|s| (s, 0)).collect();
    for f in &findings {
        *by_status.entry(f.status).or_default() += 1;
        if f.status == Status::Fail {
            *failing_by_severity.entry(f.severity).or_default() += 1;
        }
    }
    let regions = vec!["eu-west-1".to_string(), "us-east-1".to_string()];
    Report {
        schema: crate::report::REPORT_SCHEMA.to_string(),
        schema_version: crate::report::REPORT_SCHEMA_VERSION,
        generator: "awsaudit 9.8.7".to_string(),
        account_id: ACCOUNT.to_string(),
        partition: "aws".to_string(),
        caller_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/Auditor")),
        collected_at: Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single().unwrap_or_default(),
        source: "snapshot".to_string(),
        summary: Summary {
            checks_run: 7,
            findings: findings.len(),
            by_status,
            failing_by_severity,
            resources: 4,
            regions: regions.len(),
            ..Summary::default()
        },
        regions,
        services: vec!["ec2".to_string(), "iam".to_string(), "s3".to_string()],
        findings,
        skipped_checks: Vec::new(),
        collection_errors: Vec::new(),
        warnings: Vec::new(),
        compliance: Vec::new(),
    }
}

/// Compares `actual` with `src/report/testdata/NAME.golden`; with `AWSAUDIT_BLESS` set, rewrites the file first.
/// Every registered check run over the checks' fixture inventory (one bucket): a report with every check's
/// metadata in it, for the formats that carry rules or remediation.
pub fn every_check_report() -> Report {
    use crate::checks::testing::*;
    use crate::engine::{Selection, evaluate, select};
    let mut inv = inventory();
    inv.resources.push(resource("b", crate::model::S3Bucket::default()));
    let checks = select(&Selection::default()).unwrap_or_default();
    let eval = evaluate(&inv, &checks, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let report = Report::new(&inv, eval, "snapshot");
    assert!(!report.findings.is_empty());
    report
}

pub fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/report/testdata").join(format!("{name}.golden"));
    if std::env::var_os("AWSAUDIT_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {path:?}: {e} (run with AWSAUDIT_BLESS=1 to create it)"));
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(e, a)| e != a).unwrap_or(0);
        panic!(
            "{name} differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (AWSAUDIT_BLESS=1 rewrites the golden file; review the diff)\n--- actual ---\n{actual}",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or_default(),
            actual.lines().nth(line).unwrap_or_default(),
        );
    }
}
