//! Application, Network and Gateway Load Balancers with attributes, listeners and target groups.

use super::scope::{Scope, tags, time};
use super::session::client;
use crate::model::{
    Cause, Field, LbAction, LbListener, LbRule, LbZone, LoadBalancer, ResourceKind, TargetGroup, UnknownReason,
};
use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types as sdk;
use futures::StreamExt;
use std::collections::BTreeMap;

/// Per-load-balancer detail calls (and tag batches) in flight at once within one region.
const CONCURRENCY: usize = 16;
/// DescribeTags takes at most 20 ARNs per call.
const TAG_BATCH: usize = 20;

type Tags = Field<BTreeMap<String, String>>;

pub async fn collect(scope: Scope) {
    let elb = client!(&scope.session, aws_sdk_elasticloadbalancingv2, "elbv2", &scope.region);
    let (balancers, groups) = tokio::join!(
        scope.pages("DescribeLoadBalancers", elb.describe_load_balancers().into_paginator().send()),
        scope.pages("DescribeTargetGroups", elb.describe_target_groups().into_paginator().send()),
    );
    let (balancers, listed_balancers): (Vec<sdk::LoadBalancer>, bool) = match balancers {
        Ok(pages) => (pages.iter().flat_map(|p| p.load_balancers()).cloned().collect(), true),
        Err(reason) => {
            // Target groups are still worth reporting (and tagging) on their own.
            scope.listed(ResourceKind::Elbv2LoadBalancer, Err(reason));
            (Vec::new(), false)
        }
    };
    let groups: Option<Vec<sdk::TargetGroup>> = match groups {
        Ok(pages) => Some(pages.iter().flat_map(|p| p.target_groups()).cloned().collect()),
        Err(reason) => {
            scope.listed(ResourceKind::Elbv2TargetGroup, Err(reason));
            None
        }
    };

    // One ARN without which nothing can be asked or reported: count the entries that lack it.
    let mut nameless = 0usize;
    let balancers: Vec<(String, String, sdk::LoadBalancer)> = balancers
        .into_iter()
        .filter_map(|lb| match (lb.load_balancer_arn(), lb.load_balancer_name()) {
            (Some(arn), Some(name)) => Some((arn.to_string(), name.to_string(), lb)),
            _ => {
                nameless += 1;
                None
            }
        })
        .collect();
    let mut nameless_groups = 0usize;
    let groups: Option<Vec<(String, String, sdk::TargetGroup)>> = groups.map(|groups| {
        groups
            .into_iter()
            .filter_map(|tg| match (tg.target_group_arn(), tg.target_group_name()) {
                (Some(arn), Some(name)) => Some((arn.to_string(), name.to_string(), tg)),
                _ => {
                    nameless_groups += 1;
                    None
                }
            })
            .collect()
    });

    let arns: Vec<String> = balancers
        .iter()
        .map(|(arn, _, _)| arn.clone())
        .chain(groups.iter().flatten().map(|(arn, _, _)| arn.clone()))
        .collect();
    let details = futures::stream::iter(
        balancers.into_iter().map(|(arn, name, lb)| describe_balancer(scope.clone(), elb.clone(), arn, name, lb)),
    )
    .buffer_unordered(CONCURRENCY)
    .collect::<Vec<_>>();
    let (mut described, mut tag_map) = tokio::join!(details, read_tags(&scope, &elb, arns));

    described.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, arn, balancer) in described {
        let tags = take_tags(&mut tag_map, &arn);
        scope.add(scope.resource(name.clone(), arn, Some(name), tags, balancer));
    }
    if listed_balancers {
        scope.listed(ResourceKind::Elbv2LoadBalancer, incomplete(&scope, nameless, "DescribeLoadBalancers"));
    }
    if let Some(groups) = groups {
        for (arn, name, group) in groups {
            let tags = take_tags(&mut tag_map, &arn);
            scope.add(scope.resource(name.clone(), arn, Some(name), tags, target_group(&group)));
        }
        scope.listed(ResourceKind::Elbv2TargetGroup, incomplete(&scope, nameless_groups, "DescribeTargetGroups"));
    }
}

/// The listing outcome: complete unless entries came back without an ARN or a name.
fn incomplete(scope: &Scope, missing: usize, operation: &str) -> Result<(), UnknownReason> {
    if missing == 0 {
        return Ok(());
    }
    let reason = UnknownReason::new(
        Cause::Malformed,
        format!("elbv2:{operation}"),
        format!("{missing} entries came back without an ARN or a name"),
    );
    scope.record(None, reason.clone());
    Err(reason)
}

fn take_tags(tag_map: &mut BTreeMap<String, Tags>, arn: &str) -> Tags {
    tag_map.remove(arn).unwrap_or_else(|| {
        Field::Unknown(UnknownReason::new(
            Cause::Malformed,
            "elbv2:DescribeTags",
            "the resource was missing from the DescribeTags answer",
        ))
    })
}

/// Tags of every ARN, in batches of 20; a failed batch leaves its resources' tags unknown.
async fn read_tags(scope: &Scope, elb: &Client, arns: Vec<String>) -> BTreeMap<String, Tags> {
    let batches: Vec<Vec<String>> = arns.chunks(TAG_BATCH).map(<[String]>::to_vec).collect();
    let answers = futures::stream::iter(batches.into_iter().map(|batch| async move {
        let request = elb.describe_tags().set_resource_arns(Some(batch.clone())).send();
        let answer = scope.call("DescribeTags", None, request).await;
        (batch, answer)
    }))
    .buffer_unordered(CONCURRENCY)
    .collect::<Vec<_>>()
    .await;
    let mut out = BTreeMap::new();
    for (batch, answer) in answers {
        match answer {
            Ok(output) => {
                for description in output.tag_descriptions() {
                    if let Some(arn) = description.resource_arn() {
                        let pairs = description.tags().iter().map(|t| (t.key(), t.value()));
                        out.insert(arn.to_string(), Field::Known(tags(pairs)));
                    }
                }
            }
            Err(reason) => {
                for arn in batch {
                    out.insert(arn, Field::Unknown(reason.clone()));
                }
            }
        }
    }
    out
}

/// One load balancer with its attributes and listeners: (name, ARN, properties).
async fn describe_balancer(
    scope: Scope,
    elb: Client,
    arn: String,
    name: String,
    lb: sdk::LoadBalancer,
) -> (String, String, LoadBalancer) {
    let mut balancer = load_balancer(&lb);
    let attributes = scope.fetch(
        "DescribeLoadBalancerAttributes",
        &arn,
        &[],
        elb.describe_load_balancer_attributes().load_balancer_arn(&arn).send(),
        |o| {
            Field::Known(
                o.attributes()
                    .iter()
                    .filter_map(|a| Some((a.key()?.to_string(), a.value().unwrap_or_default().to_string())))
                    .collect(),
            )
        },
    );
    let listeners = read_listeners(&scope, &elb, &arn, balancer.is_application());
    (balancer.attributes, balancer.listeners) = tokio::join!(attributes, listeners);
    (name, arn, balancer)
}

async fn read_listeners(scope: &Scope, elb: &Client, lb_arn: &str, application: bool) -> Field<Vec<LbListener>> {
    let request = elb.describe_listeners().load_balancer_arn(lb_arn).into_paginator().send();
    let pages = match scope.pages("DescribeListeners", request).await {
        Ok(pages) => pages,
        Err(reason) => return Field::Unknown(reason),
    };
    let listeners = pages.iter().flat_map(|p| p.listeners()).map(|l| async move {
        let mut listener = listener(l);
        // Rules matter for one question only: does plain HTTP reach the targets of an ALB somewhere.
        if application && listener.protocol.as_deref() == Some("HTTP") {
            listener.rules = if listener.arn.is_empty() {
                Field::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "elbv2:DescribeListeners",
                    "the listener came back without an ARN, so its rules could not be read",
                ))
            } else {
                read_rules(scope, elb, &listener.arn).await
            };
        }
        listener
    });
    Field::Known(futures::future::join_all(listeners).await)
}

async fn read_rules(scope: &Scope, elb: &Client, listener_arn: &str) -> Field<Vec<LbRule>> {
    let request = elb.describe_rules().listener_arn(listener_arn).into_paginator().send();
    match scope.pages("DescribeRules", request).await {
        Ok(pages) => Field::Known(
            pages
                .iter()
                .flat_map(|p| p.rules())
                .map(|r| LbRule {
                    arn: r.rule_arn().unwrap_or_default().to_string(),
                    priority: r.priority().map(String::from),
                    is_default: r.is_default().unwrap_or(false),
                    actions: r.actions().iter().map(action).collect(),
                })
                .collect(),
        ),
        Err(reason) => Field::Unknown(reason),
    }
}

fn load_balancer(lb: &sdk::LoadBalancer) -> LoadBalancer {
    LoadBalancer {
        lb_type: lb.r#type().map(|t| t.as_str().to_string()),
        scheme: lb.scheme().map(|s| s.as_str().to_string()),
        state: lb.state().and_then(|s| s.code()).map(|c| c.as_str().to_string()),
        dns_name: lb.dns_name().map(String::from),
        vpc_id: lb.vpc_id().map(String::from),
        ip_address_type: lb.ip_address_type().map(|t| t.as_str().to_string()),
        created_time: time(lb.created_time()),
        availability_zones: lb
            .availability_zones()
            .iter()
            .map(|z| LbZone { zone_name: z.zone_name().map(String::from), subnet_id: z.subnet_id().map(String::from) })
            .collect(),
        security_groups: lb.security_groups().to_vec(),
        // Filled in by the detail calls.
        attributes: Field::Absent,
        listeners: Field::Absent,
    }
}

fn listener(l: &sdk::Listener) -> LbListener {
    LbListener {
        arn: l.listener_arn().unwrap_or_default().to_string(),
        port: l.port(),
        protocol: l.protocol().map(|p| p.as_str().to_string()),
        ssl_policy: l.ssl_policy().map(String::from),
        default_actions: l.default_actions().iter().map(action).collect(),
        rules: Field::Absent,
    }
}

fn action(a: &sdk::Action) -> LbAction {
    // A forward names its group directly, in a forward config (weighted groups), or both.
    let mut target_group_arns: Vec<String> = Vec::new();
    let configured = a.forward_config().map(|f| f.target_groups()).unwrap_or_default();
    for arn in a.target_group_arn().into_iter().chain(configured.iter().filter_map(|t| t.target_group_arn())) {
        if !target_group_arns.iter().any(|known| known == arn) {
            target_group_arns.push(arn.to_string());
        }
    }
    LbAction {
        action_type: a.r#type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        redirect_protocol: a.redirect_config().and_then(|r| r.protocol()).map(String::from),
        target_group_arns,
    }
}

fn target_group(tg: &sdk::TargetGroup) -> TargetGroup {
    TargetGroup {
        protocol: tg.protocol().map(|p| p.as_str().to_string()),
        port: tg.port(),
        target_type: tg.target_type().map(|t| t.as_str().to_string()),
        vpc_id: tg.vpc_id().map(String::from),
        health_check_enabled: tg.health_check_enabled(),
        health_check_protocol: tg.health_check_protocol().map(|p| p.as_str().to_string()),
        health_check_path: tg.health_check_path().map(String::from),
        load_balancer_arns: tg.load_balancer_arns().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_groups_are_merged_once() {
        let tuple = |arn: &str| sdk::TargetGroupTuple::builder().target_group_arn(arn).build();
        let forward = sdk::Action::builder()
            .r#type(sdk::ActionTypeEnum::Forward)
            .target_group_arn("tg-1")
            .forward_config(
                sdk::ForwardActionConfig::builder().target_groups(tuple("tg-1")).target_groups(tuple("tg-2")).build(),
            )
            .build();
        let converted = action(&forward);
        assert_eq!(converted.action_type, "forward");
        assert_eq!(converted.target_group_arns, ["tg-1", "tg-2"]);
        assert!(!converted.redirects_to_https());
    }

    #[test]
    fn redirect_protocol() {
        let redirect = |protocol: &str| {
            sdk::Action::builder()
                .r#type(sdk::ActionTypeEnum::Redirect)
                .redirect_config(
                    sdk::RedirectActionConfig::builder()
                        .protocol(protocol)
                        .status_code(sdk::RedirectActionStatusCodeEnum::Http301)
                        .build(),
                )
                .build()
        };
        assert!(action(&redirect("HTTPS")).redirects_to_https());
        assert!(!action(&redirect("#{protocol}")).redirects_to_https());
    }

    #[test]
    fn load_balancer_fields() {
        let lb = sdk::LoadBalancer::builder()
            .load_balancer_arn("arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/1")
            .load_balancer_name("web")
            .r#type(sdk::LoadBalancerTypeEnum::Application)
            .scheme(sdk::LoadBalancerSchemeEnum::InternetFacing)
            .availability_zones(sdk::AvailabilityZone::builder().zone_name("eu-west-1a").subnet_id("subnet-1").build())
            .availability_zones(sdk::AvailabilityZone::builder().zone_name("eu-west-1b").subnet_id("subnet-2").build())
            .security_groups("sg-1")
            .build();
        let converted = load_balancer(&lb);
        assert!(converted.is_application());
        assert_eq!(converted.scheme.as_deref(), Some("internet-facing"));
        assert_eq!(converted.zone_names().len(), 2);
        assert_eq!(converted.security_groups, ["sg-1"]);
    }
}
