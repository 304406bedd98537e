use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags hosted zones with record sets whose routing policy chooses between endpoints (by default weighted,
    /// latency and failover) but that have no health check. An alias record that evaluates its target's health
    /// (`EvaluateTargetHealth: true`) counts as health-checked. A record that names a health check which does not
    /// exist fails too. One finding per hosted zone (public or private) that has such records, naming every
    /// unchecked record; zones without them get no finding.
    ///
    /// ## Why is this bad?
    /// These policies exist to send traffic to one of several endpoints. Without a health check Route 53 keeps
    /// answering with an endpoint that is down: a failover record never fails over, and a weighted or latency
    /// record keeps sending its share of users to a dead region.
    ///
    /// ## Remediation
    /// ```sh
    /// aws route53 create-health-check --caller-reference "$(date +%s)" --health-check-config \
    ///   Type=HTTPS,FullyQualifiedDomainName=app.example.com,Port=443,ResourcePath=/health
    /// aws route53 change-resource-record-sets --hosted-zone-id ZONE_ID --change-batch file://upsert.json
    /// ```
    /// where `upsert.json` UPSERTs the record with `"HealthCheckId": "HEALTH_CHECK_ID"` (or, for an alias, with
    /// `"EvaluateTargetHealth": true`). CloudFormation: `AWS::Route53::HealthCheck` and `HealthCheckId: !Ref
    /// Check` on the `AWS::Route53::RecordSet`; CDK: `new route53.HealthCheck(...)` and the record's
    /// `healthCheck` property.
    ///
    /// ## Parameters
    /// - `routing_policies` (list, default `["weighted", "latency", "failover"]`): the routing policies whose
    ///   records need a health check. Allowed values: `weighted`, `latency`, `failover`, `geolocation`,
    ///   `geoproximity`, `multivalue`, `cidr`. Must not be empty.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover.html
    /// - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
    /// - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html
    pub Route53RecordsHealthChecked {
        id: "route53_records_health_checked",
        title: "Route 53 weighted, latency and failover records have health checks",
        severity: Severity::Low,
        service: "route53",
        kinds: &[ResourceKind::Route53HostedZone, ResourceKind::Route53HealthCheck],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Routing policies whose record sets must have a health check.
    pub routing_policies: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params { routing_policies: vec!["weighted".into(), "latency".into(), "failover".into()] }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        if self.routing_policies.is_empty() {
            return Err("routing_policies must name at least one routing policy".into());
        }
        for name in &self.routing_policies {
            match RoutingPolicy::from_name(name) {
                Some(RoutingPolicy::Simple) => {
                    return Err("routing_policies: \"simple\" records cannot use health checks".into());
                }
                Some(_) => {}
                None => {
                    let known: Vec<&str> =
                        RoutingPolicy::ALL.iter().filter(|p| **p != RoutingPolicy::Simple).map(|p| p.name()).collect();
                    return Err(format!(
                        "routing_policies: {name:?} is not a routing policy (expected one of {})",
                        known.join(", ")
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Params {
    /// The policies; values were validated when the parameters were read.
    fn policies(&self) -> Vec<RoutingPolicy> {
        self.routing_policies.iter().filter_map(|n| RoutingPolicy::from_name(n)).collect()
    }
}

/// How a record is named in messages: `www.example.com. A (failover primary)`.
fn label(record: &Route53RecordSet) -> String {
    match &record.set_identifier {
        Some(set) => format!("{} {} ({} {set})", record.name, record.record_type, record.routing.name()),
        None => format!("{} {} ({})", record.name, record.record_type, record.routing.name()),
    }
}

impl Check for Route53RecordsHealthChecked {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        let policies = params.policies();
        let inventory = cx.inventory;
        let checks = inventory.listing(ResourceKind::Route53HealthCheck, GLOBAL);
        for (resource, zone) in inventory.iter::<Route53HostedZone>() {
            let records = match zone.records.known() {
                Ok(records) => records.map(Vec::as_slice).unwrap_or_default(),
                Err(reason) => {
                    out.unknown(resource, reason.clone());
                    continue;
                }
            };
            let judged: Vec<&Route53RecordSet> = records.iter().filter(|r| policies.contains(&r.routing)).collect();
            if judged.is_empty() {
                continue;
            }
            let mut unchecked = Vec::new();
            let mut unresolved = None;
            for record in &judged {
                match (&record.health_check_id, &record.alias) {
                    (Some(id), _) => {
                        if inventory.find::<Route53HealthCheck>(GLOBAL, id).is_some() {
                            continue;
                        }
                        // A complete list of health checks settles whether the referenced one exists.
                        match checks.complete(ResourceKind::Route53HealthCheck, GLOBAL) {
                            Ok(()) => unchecked.push(format!("{} (health check {id} does not exist)", label(record))),
                            Err(reason) => unresolved = Some(reason),
                        }
                    }
                    (None, Some(alias)) if alias.evaluate_target_health => {}
                    (None, _) => unchecked.push(label(record)),
                }
            }
            let verdict = if !unchecked.is_empty() {
                Verdict::Fail(format!("record sets without a health check: {}", unchecked.join(", ")))
            } else if let Some(reason) = unresolved {
                Verdict::Unknown(reason)
            } else {
                Verdict::Pass(format!("all {} record sets with a routing policy are health-checked", judged.len()))
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn record(name: &str, routing: RoutingPolicy, health_check: Option<&str>) -> Route53RecordSet {
        Route53RecordSet {
            name: name.into(),
            record_type: "A".into(),
            routing,
            set_identifier: Some("one".into()),
            health_check_id: health_check.map(String::from),
            values: vec!["203.0.113.10".into()],
            ..Default::default()
        }
    }

    fn zone(records: Field<Vec<Route53RecordSet>>) -> Route53HostedZone {
        Route53HostedZone { domain: "example.com.".into(), records, vpcs: Field::Absent, ..Default::default() }
    }

    fn alias(evaluate: bool) -> Route53RecordSet {
        Route53RecordSet {
            alias: Some(Route53AliasTarget {
                dns_name: "lb.example.net".into(),
                hosted_zone_id: "Z1".into(),
                evaluate_target_health: evaluate,
            }),
            values: vec![],
            ..record("alias.example.com.", RoutingPolicy::Weighted, None)
        }
    }

    fn health_check(id: &str) -> Resource {
        resource(id, Route53HealthCheck { check_type: "HTTPS".into(), ..Default::default() })
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(health_check("hc-1"));
        inv.resources.push(resource(
            "checked",
            zone(Field::Known(vec![
                record("www.example.com.", RoutingPolicy::Failover, Some("hc-1")),
                alias(true),
                record("plain.example.com.", RoutingPolicy::Simple, None),
            ])),
        ));
        inv.resources.push(resource(
            "unchecked",
            zone(Field::Known(vec![
                record("api.example.com.", RoutingPolicy::Latency, None),
                record("old.example.com.", RoutingPolicy::Failover, Some("hc-gone")),
                alias(false),
            ])),
        ));
        inv.resources.push(resource("denied", zone(Field::Unknown(denied("route53:ListResourceRecordSets")))));
        // Only simple and geolocation records: not judged by default.
        inv.resources.push(resource(
            "simple",
            zone(Field::Known(vec![
                record("a.example.com.", RoutingPolicy::Simple, None),
                record("geo.example.com.", RoutingPolicy::Geolocation, None),
            ])),
        ));
        let findings = run(&Route53RecordsHealthChecked, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("checked".into(), Status::Pass),
                ("denied".into(), Status::Unknown),
                ("unchecked".into(), Status::Fail)
            ]
        );
        let fail = findings.iter().find(|f| f.resource.id == "unchecked").map(|f| f.message.clone());
        assert_eq!(
            fail.as_deref(),
            Some(
                "record sets without a health check: api.example.com. A (latency one), old.example.com. A \
                 (failover one) (health check hc-gone does not exist), alias.example.com. A (weighted one)"
            )
        );

        // With geolocation judged too, the last zone fails.
        let findings = run_with(&Route53RecordsHealthChecked, &inv, Some(json!({"routing_policies": ["geolocation"]})));
        assert!(statuses(&findings).contains(&("simple".into(), Status::Fail)));
    }

    #[test]
    fn a_missing_health_check_is_unknown_when_the_health_checks_could_not_be_listed() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Route53HealthCheck, GLOBAL, denied("route53:ListHealthChecks"));
        inv.resources.push(resource(
            "zone",
            zone(Field::Known(vec![record("www.example.com.", RoutingPolicy::Failover, Some("hc-1"))])),
        ));
        let findings = run(&Route53RecordsHealthChecked, &inv);
        assert_eq!(statuses(&findings), vec![("zone".into(), Status::Unknown)]);
    }

    #[test]
    fn failed_zone_listing_is_unknown_for_the_account() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Route53HostedZone, GLOBAL, denied("route53:ListHostedZones"));
        let findings = run(&Route53RecordsHealthChecked, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }

    #[test]
    fn validation_names_the_parameter() {
        let bad = |v: serde_json::Value| {
            Route53RecordsHealthChecked.validate_params(&json!({ "routing_policies": v })).unwrap_err().to_string()
        };
        assert!(bad(json!([])).contains("routing_policies"));
        assert!(bad(json!(["weighted", "round-robin"])).contains("\"round-robin\""));
        assert!(bad(json!(["simple"])).contains("simple"));
        assert!(Route53RecordsHealthChecked.validate_params(&json!({"routing_policies": ["multivalue"]})).is_ok());
    }
}
