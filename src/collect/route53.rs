//! Route 53 hosted zones (with their record sets and, for private zones, VPC associations) and health checks
//! (global, read once).

use super::scope::{self, Scope};
use super::session::client;
use crate::model::{
    Cause, Field, ResourceKind, Route53AliasTarget, Route53HealthCheck, Route53HostedZone, Route53RecordSet,
    RoutingPolicy, UnknownReason, ZoneVpc,
};
use aws_sdk_route53::Client;
use aws_sdk_route53::types::{HostedZone, ResourceRecordSet, RrType, TagResourceType};
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;

/// Zones or health checks detailed at once. Route 53 allows 5 requests per second per account; more in flight
/// only earns throttling and retries.
const ROUTE53_CONCURRENCY: usize = 5;

pub async fn collect(scope: Scope) {
    let r53 = client!(&scope.session, aws_sdk_route53, "route53", &scope.region);
    tokio::join!(hosted_zones(&scope, &r53), health_checks(&scope, &r53));
}

async fn hosted_zones(scope: &Scope, r53: &Client) {
    let pages = match scope.pages("ListHostedZones", r53.list_hosted_zones().into_paginator().send()).await {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::Route53HostedZone, Err(reason));
            return;
        }
    };
    let zones: Vec<HostedZone> = pages.iter().flat_map(|p| p.hosted_zones()).cloned().collect();
    stream::iter(zones)
        .map(|zone| hosted_zone(scope, r53, zone))
        .buffer_unordered(ROUTE53_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
    scope.listed(ResourceKind::Route53HostedZone, Ok(()));
}

async fn hosted_zone(scope: &Scope, r53: &Client, zone: HostedZone) {
    // `ListHostedZones` answers `/hostedzone/Z…`; every other call and the ARN take the bare id.
    let id = zone.id().trim_start_matches("/hostedzone/").to_string();
    let private = zone.config().is_some_and(|c| c.private_zone());
    let vpcs = async {
        if !private {
            return Field::Absent;
        }
        scope
            .fetch("GetHostedZone", &id, &[], r53.get_hosted_zone().id(&id).send(), |out| {
                Field::Known(
                    out.vpcs()
                        .iter()
                        .filter_map(|v| {
                            Some(ZoneVpc {
                                vpc_id: v.vpc_id()?.to_string(),
                                region: v.vpc_region().map(|r| r.as_str().to_string()).unwrap_or_default(),
                            })
                        })
                        .collect(),
                )
            })
            .await
    };
    let (vpcs, records, tags) =
        tokio::join!(vpcs, records(scope, r53, &id), tags(scope, r53, TagResourceType::Hostedzone, &id));
    let domain = zone.name().to_string();
    let properties = Route53HostedZone {
        domain: domain.clone(),
        private,
        comment: zone.config().and_then(|c| c.comment()).filter(|c| !c.is_empty()).map(String::from),
        record_count: zone.resource_record_set_count(),
        vpcs,
        records,
    };
    let arn = format!("arn:{}:route53:::hostedzone/{id}", scope.partition);
    let name = domain.trim_end_matches('.').to_string();
    scope.add(scope.resource(id, arn, Some(name), tags, properties));
}

/// Every record set of a zone. `ListResourceRecordSets` has no paginator in the SDK: it pages by the next
/// record's name, type and set identifier.
async fn records(scope: &Scope, r53: &Client, zone_id: &str) -> Field<Vec<Route53RecordSet>> {
    let mut records = Vec::new();
    let mut start: Option<(String, RrType, Option<String>)> = None;
    loop {
        let mut request = r53.list_resource_record_sets().hosted_zone_id(zone_id);
        if let Some((name, kind, identifier)) = &start {
            request = request
                .start_record_name(name)
                .start_record_type(kind.clone())
                .set_start_record_identifier(identifier.clone());
        }
        let page = match scope.call("ListResourceRecordSets", Some(zone_id), request.send()).await {
            Ok(page) => page,
            Err(reason) => return Field::Unknown(reason),
        };
        records.extend(page.resource_record_sets().iter().map(record_set));
        if !page.is_truncated() {
            return Field::Known(records);
        }
        let next = match (page.next_record_name(), page.next_record_type()) {
            (Some(name), Some(kind)) => {
                (name.to_string(), kind.clone(), page.next_record_identifier().map(String::from))
            }
            _ => return malformed(scope, zone_id, "a truncated page names no next record"),
        };
        // A page that does not move on would loop forever.
        if start.as_ref() == Some(&next) {
            return malformed(scope, zone_id, "the next page starts where the previous one did");
        }
        start = Some(next);
    }
}

fn malformed<T>(scope: &Scope, zone_id: &str, message: &str) -> Field<T> {
    let reason = UnknownReason::new(Cause::Malformed, "route53:ListResourceRecordSets", message);
    scope.record(Some(zone_id), reason.clone());
    Field::Unknown(reason)
}

fn record_set(rs: &ResourceRecordSet) -> Route53RecordSet {
    Route53RecordSet {
        name: rs.name().to_string(),
        record_type: rs.r#type().as_str().to_string(),
        ttl: rs.ttl(),
        routing: routing_policy(rs),
        set_identifier: rs.set_identifier().map(String::from),
        health_check_id: rs.health_check_id().filter(|id| !id.is_empty()).map(String::from),
        alias: rs.alias_target().map(|a| Route53AliasTarget {
            dns_name: a.dns_name().to_string(),
            hosted_zone_id: a.hosted_zone_id().to_string(),
            evaluate_target_health: a.evaluate_target_health(),
        }),
        values: rs.resource_records().iter().map(|r| r.value().to_string()).collect(),
    }
}

/// Route 53 has no routing-policy field: the policy is whichever of its settings the record carries.
fn routing_policy(rs: &ResourceRecordSet) -> RoutingPolicy {
    if rs.failover().is_some() {
        RoutingPolicy::Failover
    } else if rs.weight().is_some() {
        RoutingPolicy::Weighted
    } else if rs.region().is_some() {
        RoutingPolicy::Latency
    } else if rs.geo_location().is_some() {
        RoutingPolicy::Geolocation
    } else if rs.geo_proximity_location().is_some() {
        RoutingPolicy::Geoproximity
    } else if rs.cidr_routing_config().is_some() {
        RoutingPolicy::Cidr
    } else if rs.multi_value_answer() == Some(true) {
        RoutingPolicy::Multivalue
    } else {
        RoutingPolicy::Simple
    }
}

async fn health_checks(scope: &Scope, r53: &Client) {
    let pages = match scope.pages("ListHealthChecks", r53.list_health_checks().into_paginator().send()).await {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::Route53HealthCheck, Err(reason));
            return;
        }
    };
    let checks: Vec<_> = pages.iter().flat_map(|p| p.health_checks()).cloned().collect();
    stream::iter(checks)
        .map(|check| async move {
            let id = check.id().to_string();
            let config = check.health_check_config();
            let properties = Route53HealthCheck {
                check_type: config.map(|c| c.r#type().as_str().to_string()).unwrap_or_default(),
                fqdn: config.and_then(|c| c.fully_qualified_domain_name()).map(String::from),
                ip_address: config.and_then(|c| c.ip_address()).map(String::from),
                port: config.and_then(|c| c.port()),
                resource_path: config.and_then(|c| c.resource_path()).map(String::from),
                disabled: config.and_then(|c| c.disabled()).unwrap_or(false),
                inverted: config.and_then(|c| c.inverted()).unwrap_or(false),
            };
            let tags = tags(scope, r53, TagResourceType::Healthcheck, &id).await;
            let name = tags.known().ok().flatten().and_then(|t| t.get("Name").cloned());
            let arn = format!("arn:{}:route53:::healthcheck/{id}", scope.partition);
            scope.add(scope.resource(id, arn, name, tags, properties));
        })
        .buffer_unordered(ROUTE53_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
    scope.listed(ResourceKind::Route53HealthCheck, Ok(()));
}

async fn tags(scope: &Scope, r53: &Client, kind: TagResourceType, id: &str) -> Field<BTreeMap<String, String>> {
    scope
        .fetch(
            "ListTagsForResource",
            id,
            &[],
            r53.list_tags_for_resource().resource_type(kind).resource_id(id).send(),
            |out| {
                let pairs = out.resource_tag_set().map(|set| set.tags()).unwrap_or_default();
                Field::Known(scope::tags(pairs.iter().map(|t| (t.key(), t.value()))))
            },
        )
        .await
}

#[cfg(test)]
mod tests {
    use aws_sdk_route53::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};

    /// The signing region and URL the SDK's endpoint rules give a client built for `region`.
    async fn resolve(region: &str) -> (String, Option<String>) {
        let params = Params::builder().region(region).build().unwrap_or_else(|e| panic!("{e}"));
        let endpoint = DefaultResolver::new().resolve_endpoint(&params).await.unwrap_or_else(|e| panic!("{e}"));
        let signing = endpoint.properties().get("authSchemes").and_then(|schemes| match schemes {
            aws_smithy_types::Document::Array(schemes) => schemes.iter().find_map(|s| match s {
                aws_smithy_types::Document::Object(scheme) => match scheme.get("signingRegion") {
                    Some(aws_smithy_types::Document::String(region)) => Some(region.clone()),
                    _ => None,
                },
                _ => None,
            }),
            _ => None,
        });
        (endpoint.url().to_string(), signing)
    }

    /// The collector builds its client for the home region, whatever it is: the SDK's rules send every region
    /// of a partition to the one global endpoint, signed for that partition's global region.
    #[tokio::test]
    async fn any_home_region_reaches_the_global_endpoint_signed_for_us_east_1() {
        for region in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
            assert_eq!(
                resolve(region).await,
                ("https://route53.amazonaws.com".to_string(), Some("us-east-1".to_string())),
                "{region}"
            );
        }
        assert_eq!(resolve("cn-north-1").await.1.as_deref(), Some("cn-northwest-1"));
    }

    #[test]
    fn routing_policy_is_read_from_the_record_settings() {
        use super::{RoutingPolicy, record_set};
        use aws_sdk_route53::types::{
            AliasTarget, GeoLocation, ResourceRecord, ResourceRecordSet, ResourceRecordSetFailover, RrType,
        };
        let base = || ResourceRecordSet::builder().name("www.example.com.").r#type(RrType::A);
        let built = |b: aws_sdk_route53::types::builders::ResourceRecordSetBuilder| {
            record_set(&b.build().unwrap_or_else(|e| panic!("{e}")))
        };
        let cases = [
            (base().failover(ResourceRecordSetFailover::Primary).set_identifier("p"), RoutingPolicy::Failover),
            (base().weight(10).set_identifier("w"), RoutingPolicy::Weighted),
            (base().geo_location(GeoLocation::builder().continent_code("EU").build()), RoutingPolicy::Geolocation),
            (base().multi_value_answer(true).set_identifier("m"), RoutingPolicy::Multivalue),
            (base().multi_value_answer(false), RoutingPolicy::Simple),
            (base(), RoutingPolicy::Simple),
        ];
        for (builder, expected) in cases {
            assert_eq!(built(builder).routing, expected);
        }
        let plain = built(
            base()
                .ttl(60)
                .resource_records(
                    ResourceRecord::builder().value("192.0.2.1").build().unwrap_or_else(|e| panic!("{e}")),
                )
                .health_check_id(""),
        );
        assert_eq!((plain.values, plain.health_check_id, plain.ttl), (vec!["192.0.2.1".to_string()], None, Some(60)));
        let alias = built(
            base().alias_target(
                AliasTarget::builder()
                    .dns_name("d1.cloudfront.net")
                    .hosted_zone_id("Z2FDTNDATAQYW2")
                    .evaluate_target_health(true)
                    .build()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        );
        assert!(alias.alias.is_some_and(|a| a.evaluate_target_health && a.dns_name == "d1.cloudfront.net"));
    }
}
