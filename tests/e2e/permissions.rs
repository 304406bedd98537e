//! The auditor is read-only, and the IAM policy the README documents is enough to run it: every request a full
//! audit sends is checked against both.

use crate::harness::*;
use std::collections::BTreeSet;

/// The actions of the policy in README.md's "lists every action it calls" JSON block.
fn documented_actions() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    let start = readme.find("lists every action it calls").unwrap_or_else(|| panic!("README: no policy section"));
    let block = &readme[start..];
    let json_start = block.find("```json").map(|i| i + "```json".len()).unwrap_or_else(|| panic!("no json block"));
    let json_end = block[json_start..].find("```").map(|i| json_start + i).unwrap_or_else(|| panic!("unclosed"));
    let policy: serde_json::Value =
        serde_json::from_str(&block[json_start..json_end]).unwrap_or_else(|e| panic!("README policy: {e}"));
    policy["Statement"][0]["Action"]
        .as_array()
        .unwrap_or_else(|| panic!("README policy has no Action list"))
        .iter()
        .filter_map(|a| a.as_str().map(String::from))
        .collect()
}

/// The IAM action for a logged request: the IAM prefix of the signing name, and the few S3 operations whose
/// action is named differently.
fn iam_action(service: &str, operation: &str) -> String {
    let prefix = match service {
        "monitoring" => "cloudwatch",
        "s3control" => "s3",
        other => other,
    };
    let action = match (service, operation) {
        ("s3", "ListBuckets") => "ListAllMyBuckets",
        ("s3", "GetBucketEncryption") => "GetEncryptionConfiguration",
        ("s3", "GetBucketLifecycleConfiguration") => "GetLifecycleConfiguration",
        ("s3", "GetBucketReplication") => "GetReplicationConfiguration",
        ("s3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
        ("s3control", "GetPublicAccessBlock") => "GetAccountPublicAccessBlock",
        (_, op) => op,
    };
    format!("{prefix}:{action}")
}

#[test]
fn every_call_is_read_only_and_allowed_by_the_documented_policy() {
    let moto = account("misconfigured");
    let run = audit(&moto, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let documented = documented_actions();
    let mut undocumented = BTreeSet::new();
    let requests = moto.requests_detailed();
    assert!(requests.len() > 50, "{} requests", requests.len());
    for r in &requests {
        let field = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let (service, operation, method) = (field("service"), field("operation"), field("method"));
        if let Some((verb, _path)) = operation.split_once(' ') {
            // REST APIs the log cannot name (Lambda, Route 53, CloudFront): reads are GETs.
            assert!(verb == "GET" || verb == "HEAD", "{service} {operation} is not a read");
            continue;
        }
        assert!(
            ["Get", "List", "Describe"].iter().any(|p| operation.starts_with(p)),
            "{service}:{operation} ({method}) is not a read-only operation"
        );
        let action = iam_action(&service, &operation);
        if !documented.contains(&action) {
            undocumented.insert(action);
        }
    }
    assert!(undocumented.is_empty(), "README's policy misses {undocumented:?}");
}
