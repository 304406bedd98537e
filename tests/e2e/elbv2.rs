//! ELBv2 end to end: what the load balancer checks report when parts of the service say no.

use crate::harness::*;
use serde_json::json;

/// (status, check, region, resource id) of the ELBv2 and Auto Scaling findings, sorted.
fn elb_lines(report: &serde_json::Value) -> Vec<String> {
    let mut lines: Vec<String> = findings(report)
        .iter()
        .filter(|f| f["check_id"].as_str().is_some_and(|c| c.starts_with("elbv2_")))
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["status"].as_str().unwrap_or("?"),
                f["check_id"].as_str().unwrap_or("?"),
                f["region"].as_str().unwrap_or("?"),
                f["resource"]["id"].as_str().unwrap_or("?")
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn denied_attributes_tags_and_listing_make_only_the_affected_findings_unknown() {
    let moto = account("misconfigured");
    moto.set_faults(json!([
        {"service": "elasticloadbalancing", "operation": "DescribeLoadBalancerAttributes", "error": "AccessDenied",
         "region": HOME},
        {"service": "elasticloadbalancing", "operation": "DescribeTags", "error": "AccessDenied", "region": HOME},
        {"service": "elasticloadbalancing", "operation": "DescribeLoadBalancers", "error": "AccessDenied",
         "region": OTHER}
    ]));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = temp_path(dir.path(), "snap.json");
    let run = audit(&moto, &["--services", "elbv2", "--save-snapshot", &snapshot]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        elb_lines(&report),
        [
            // The listing is denied in eu-west-1: one UNKNOWN per check there.
            "FAIL elbv2_https_only us-east-1 legacy-web",
            "FAIL elbv2_multi_az us-east-1 internal-nlb",
            "PASS elbv2_multi_az us-east-1 legacy-web",
            "UNKNOWN elbv2_access_logs eu-west-1 123456789012",
            "UNKNOWN elbv2_access_logs us-east-1 legacy-web",
            "UNKNOWN elbv2_deletion_protection eu-west-1 123456789012",
            "UNKNOWN elbv2_deletion_protection us-east-1 internal-nlb",
            "UNKNOWN elbv2_deletion_protection us-east-1 legacy-web",
            "UNKNOWN elbv2_drop_invalid_headers eu-west-1 123456789012",
            "UNKNOWN elbv2_drop_invalid_headers us-east-1 legacy-web",
            "UNKNOWN elbv2_https_only eu-west-1 123456789012",
            "UNKNOWN elbv2_multi_az eu-west-1 123456789012",
        ]
    );
    for f in findings(&report).iter().filter(|f| f["status"] == "UNKNOWN") {
        assert_eq!(f["unknown_reason"]["cause"], "access_denied", "{f}");
    }

    // Denied calls are asked once per load balancer (or tag batch) and never retried.
    let stats = moto.fault_stats();
    assert_eq!(stats["counts"]["elasticloadbalancing:DescribeLoadBalancerAttributes"]["requests"], 2, "{stats}");
    assert_eq!(stats["counts"]["elasticloadbalancing:DescribeTags"]["requests"], 1, "{stats}");

    // The resources are still recorded, their tags unknown; target groups are listed in both regions.
    let text = std::fs::read_to_string(&snapshot).unwrap_or_else(|e| panic!("{e}"));
    let inventory: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let resources = inventory["resources"].as_array().cloned().unwrap_or_default();
    let mut ids: Vec<&str> = resources.iter().filter_map(|r| r["id"].as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["internal-nlb", "legacy", "legacy-web", "tcp-backend"]);
    for r in &resources {
        assert_eq!(r["tags"]["unknown"]["cause"], "access_denied", "{r}");
    }
    let listing = |kind: &str, region: &str| {
        inventory["listings"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["kind"] == kind && l["region"] == region).cloned())
            .unwrap_or_else(|| panic!("no listing of {kind} in {region}"))
    };
    assert!(listing("AWS::ElasticLoadBalancingV2::LoadBalancer", OTHER)["error"].is_object());
    assert!(listing("AWS::ElasticLoadBalancingV2::TargetGroup", OTHER)["error"].is_null());
    assert!(listing("AWS::ElasticLoadBalancingV2::LoadBalancer", HOME)["error"].is_null());
}
