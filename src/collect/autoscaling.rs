//! EC2 Auto Scaling groups, per region.

use super::scope::{Scope, tags};
use super::session::client;
use crate::model::{AutoScalingGroup, Cause, Field, ResourceKind, UnknownReason};
use aws_sdk_autoscaling::types as sdk;

/// The largest page DescribeAutoScalingGroups accepts (the default is 50).
const PAGE_SIZE: i32 = 100;

pub async fn collect(scope: Scope) {
    let autoscaling = client!(&scope.session, aws_sdk_autoscaling, "autoscaling", &scope.region);
    let kind = ResourceKind::AutoScalingGroup;
    let request = autoscaling.describe_auto_scaling_groups().max_records(PAGE_SIZE).into_paginator().send();
    let pages = match scope.pages("DescribeAutoScalingGroups", request).await {
        Ok(pages) => pages,
        Err(reason) => return scope.listed(kind, Err(reason)),
    };
    let mut missing = 0usize;
    for group in pages.iter().flat_map(|p| p.auto_scaling_groups()) {
        let Some(name) = group.auto_scaling_group_name() else {
            missing += 1;
            continue;
        };
        let arn = group
            .auto_scaling_group_arn()
            .map(String::from)
            .unwrap_or_else(|| scope.arn("autoscaling", &format!("autoScalingGroup:*:autoScalingGroupName/{name}")));
        let tag_map = tags(group.tags().iter().map(|t| (t.key(), t.value())));
        scope.add(scope.resource(name, arn, Some(name.to_string()), Field::Known(tag_map), auto_scaling_group(group)));
    }
    let outcome = if missing == 0 {
        Ok(())
    } else {
        let reason = UnknownReason::new(
            Cause::Malformed,
            "autoscaling:DescribeAutoScalingGroups",
            format!("{missing} group(s) came back without a name"),
        );
        scope.record(None, reason.clone());
        Err(reason)
    };
    scope.listed(kind, outcome);
}

fn auto_scaling_group(group: &sdk::AutoScalingGroup) -> AutoScalingGroup {
    let mixed = group.mixed_instances_policy().and_then(|p| p.launch_template());
    let mixed_spec = mixed.and_then(|m| m.launch_template_specification());
    // The group's own template, else the one its mixed instances policy launches from.
    let template = group.launch_template().or(mixed_spec);
    let mut mixed_instances_template_ids: Vec<String> = Vec::new();
    if let Some(m) = mixed {
        let specs = m.launch_template_specification().into_iter();
        let overrides = m.overrides().iter().filter_map(|o| o.launch_template_specification());
        for id in specs.chain(overrides).filter_map(|s| s.launch_template_id()) {
            if !mixed_instances_template_ids.iter().any(|known| known == id) {
                mixed_instances_template_ids.push(id.to_string());
            }
        }
    }
    AutoScalingGroup {
        launch_template_id: template.and_then(|t| t.launch_template_id()).map(String::from),
        launch_template_name: template.and_then(|t| t.launch_template_name()).map(String::from),
        launch_configuration_name: group.launch_configuration_name().map(String::from),
        mixed_instances_template_ids,
        availability_zones: group.availability_zones().to_vec(),
        subnet_ids: subnet_ids(group.vpc_zone_identifier()),
        health_check_type: group.health_check_type().map(String::from),
        load_balancer_names: group.load_balancer_names().to_vec(),
        target_group_arns: group.target_group_arns().to_vec(),
        min_size: group.min_size().unwrap_or_default(),
        max_size: group.max_size().unwrap_or_default(),
        desired_capacity: group.desired_capacity().unwrap_or_default(),
    }
}

/// `VPCZoneIdentifier` is a comma-separated list of subnet ids.
fn subnet_ids(zone_identifier: Option<&str>) -> Vec<String> {
    zone_identifier.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, name: &str) -> sdk::LaunchTemplateSpecification {
        sdk::LaunchTemplateSpecification::builder().launch_template_id(id).launch_template_name(name).build()
    }

    #[test]
    fn subnets_from_zone_identifier() {
        assert_eq!(subnet_ids(Some("subnet-1,subnet-2")), ["subnet-1", "subnet-2"]);
        assert_eq!(subnet_ids(Some(" subnet-1 , ")), ["subnet-1"]);
        assert!(subnet_ids(Some("")).is_empty());
        assert!(subnet_ids(None).is_empty());
    }

    #[test]
    fn direct_launch_template() {
        let group = sdk::AutoScalingGroup::builder()
            .auto_scaling_group_name("web")
            .launch_template(spec("lt-1", "web-template"))
            .availability_zones("us-east-1a")
            .vpc_zone_identifier("subnet-1,subnet-2")
            .health_check_type("ELB")
            .load_balancer_names("classic")
            .target_group_arns("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1")
            .min_size(1)
            .max_size(3)
            .desired_capacity(2)
            .build();
        let converted = auto_scaling_group(&group);
        assert_eq!(converted.launch_template_id.as_deref(), Some("lt-1"));
        assert_eq!(converted.launch_template_name.as_deref(), Some("web-template"));
        assert!(converted.mixed_instances_template_ids.is_empty());
        assert_eq!(converted.subnet_ids, ["subnet-1", "subnet-2"]);
        assert_eq!(converted.availability_zones, ["us-east-1a"]);
        assert_eq!(converted.health_check_type.as_deref(), Some("ELB"));
        assert_eq!(converted.load_balancer_names, ["classic"]);
        assert_eq!(converted.target_group_arns.len(), 1);
        assert_eq!((converted.min_size, converted.max_size, converted.desired_capacity), (1, 3, 2));
    }

    #[test]
    fn mixed_instances_policy() {
        let policy = sdk::MixedInstancesPolicy::builder()
            .launch_template(
                sdk::LaunchTemplate::builder()
                    .launch_template_specification(spec("lt-1", "base"))
                    .overrides(sdk::LaunchTemplateOverrides::builder().instance_type("m5.large").build())
                    .overrides(
                        sdk::LaunchTemplateOverrides::builder()
                            .instance_type("m6g.large")
                            .launch_template_specification(spec("lt-2", "arm"))
                            .build(),
                    )
                    .overrides(
                        sdk::LaunchTemplateOverrides::builder()
                            .instance_type("m5.xlarge")
                            .launch_template_specification(spec("lt-1", "base"))
                            .build(),
                    )
                    .build(),
            )
            .build();
        let group = sdk::AutoScalingGroup::builder()
            .auto_scaling_group_name("mixed")
            .mixed_instances_policy(policy)
            .launch_configuration_name("old")
            .build();
        let converted = auto_scaling_group(&group);
        assert_eq!(converted.launch_template_id.as_deref(), Some("lt-1"));
        assert_eq!(converted.launch_template_name.as_deref(), Some("base"));
        assert_eq!(converted.mixed_instances_template_ids, ["lt-1", "lt-2"]);
        assert_eq!(converted.launch_configuration_name.as_deref(), Some("old"));
        assert!(converted.subnet_ids.is_empty());
    }
}
