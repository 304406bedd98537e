//! EC2 and VPC networking, one region per call: VPCs (with their DNS attributes), subnets, route tables, NAT
//! and internet gateways, flow logs, security groups, network ACLs, instances, volumes, launch templates (with
//! their latest version) and the account's EBS encryption-by-default setting.
//!
//! Every list call of the region starts at once; the per-resource follow-ups (VPC attributes, launch template
//! versions EC2 did not return in bulk) run as soon as their list is in, bounded by [`DETAIL_CONCURRENCY`].

use super::scope::{Scope, tags};
use super::session::client;
use crate::model::{
    Cause, EbsEncryptionByDefault, Field, FlowLog, Instance, InternetGateway, LaunchTemplate,
    LaunchTemplateBlockDevice, LaunchTemplateData, NaclEntry, NatGateway, NetworkAcl, Resource, ResourceKind, Route,
    RouteTable, RouteTableAssociation, RuleSource, SecurityGroup, SgRule, Subnet, UnknownReason, Volume, Vpc,
};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{self as sdk, VpcAttributeName};
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap};

/// Per-resource follow-up calls in flight at once within one region.
const DETAIL_CONCURRENCY: usize = 16;

/// The id and ARN suffix of the per-region EBS encryption-by-default pseudo-resource.
pub const EBS_DEFAULT_ID: &str = "ebs-encryption-by-default";

/// Tag EC2 puts on instances launched from a launch template.
const LAUNCH_TEMPLATE_TAG: &str = "aws:ec2launchtemplate:id";

pub async fn collect(scope: Scope) {
    let ec2 = client!(&scope.session, aws_sdk_ec2, "ec2", &scope.region);
    let (s, c) = (&scope, &ec2);
    tokio::join!(
        vpcs(s, c),
        subnets(s, c),
        route_tables(s, c),
        nat_gateways(s, c),
        internet_gateways(s, c),
        flow_logs(s, c),
        security_groups(s, c),
        network_acls(s, c),
        instances(s, c),
        volumes(s, c),
        launch_templates(s, c),
        ebs_encryption_by_default(s, c),
    );
}

/// Adds the resources built from a fully read list and records the listing. An item EC2 returned without its
/// id cannot be represented: the list then counts as incomplete.
fn finish<P>(
    scope: &Scope,
    kind: ResourceKind,
    operation: &str,
    pages: Result<Vec<P>, UnknownReason>,
    mut build: impl FnMut(&P) -> Vec<Option<Resource>>,
) {
    let pages = match pages {
        Ok(pages) => pages,
        Err(reason) => return scope.listed(kind, Err(reason)),
    };
    let mut missing = 0usize;
    for page in &pages {
        for resource in build(page) {
            match resource {
                Some(resource) => scope.add(resource),
                None => missing += 1,
            }
        }
    }
    scope.listed(kind, if missing == 0 { Ok(()) } else { Err(malformed(scope, operation, missing)) });
}

fn malformed(scope: &Scope, operation: &str, missing: usize) -> UnknownReason {
    let reason = UnknownReason::new(
        Cause::Malformed,
        format!("ec2:{operation}"),
        format!("{missing} item(s) came back without an id"),
    );
    scope.record(None, reason.clone());
    reason
}

fn ec2_tags(list: &[sdk::Tag]) -> BTreeMap<String, String> {
    tags(list.iter().map(|t| (t.key(), t.value())))
}

/// The `Name` tag, if any.
fn name_tag(list: &[sdk::Tag]) -> Option<String> {
    list.iter().find(|t| t.key() == Some("Name")).and_then(|t| t.value()).map(String::from)
}

/// A resource whose tags came with its description, named by its `Name` tag.
fn tagged<P>(scope: &Scope, id: &str, arn_type: &str, list: &[sdk::Tag], properties: P) -> Resource
where
    P: crate::model::KindProperties + Into<crate::model::Properties>,
{
    let arn = scope.arn("ec2", &format!("{arn_type}/{id}"));
    scope.resource(id, arn, name_tag(list), Field::Known(ec2_tags(list)), properties)
}

/// An optional string; an empty one (which some emulators send for unset values) counts as unset.
fn owned(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(String::from)
}

// ---------------------------------------------------------------------------------------------------------------
// VPCs

async fn vpcs(scope: &Scope, ec2: &Client) {
    let kind = ResourceKind::Ec2Vpc;
    let pages = match scope.pages("DescribeVpcs", ec2.describe_vpcs().into_paginator().send()).await {
        Ok(pages) => pages,
        Err(reason) => return scope.listed(kind, Err(reason)),
    };
    let all: Vec<&sdk::Vpc> = pages.iter().flat_map(|p| p.vpcs()).collect();
    // Futures with owned arguments, collected first: a lazy iterator of borrowing closures held across the
    // `await` trips the compiler's `Send` check of the spawned collector task.
    let mut requests = Vec::new();
    for id in all.iter().filter_map(|v| v.vpc_id()) {
        for attribute in [VpcAttributeName::EnableDnsSupport, VpcAttributeName::EnableDnsHostnames] {
            requests.push(vpc_attribute(scope.clone(), ec2.clone(), id.to_string(), attribute));
        }
    }
    let attributes: HashMap<(String, VpcAttributeName), Field<bool>> =
        futures::stream::iter(requests).buffer_unordered(DETAIL_CONCURRENCY).collect().await;
    let mut missing = 0;
    for vpc in all {
        let Some(id) = vpc.vpc_id() else {
            missing += 1;
            continue;
        };
        let attribute = |name: VpcAttributeName| attributes.get(&(id.to_string(), name)).cloned().unwrap_or_default();
        let properties = Vpc {
            cidr_block: owned(vpc.cidr_block()),
            is_default: vpc.is_default().unwrap_or(false),
            state: vpc.state().map(|s| s.as_str().to_string()),
            owner_id: owned(vpc.owner_id()),
            dns_support: attribute(VpcAttributeName::EnableDnsSupport),
            dns_hostnames: attribute(VpcAttributeName::EnableDnsHostnames),
        };
        scope.add(tagged(scope, id, "vpc", vpc.tags(), properties));
    }
    scope.listed(kind, if missing == 0 { Ok(()) } else { Err(malformed(scope, "DescribeVpcs", missing)) });
}

async fn vpc_attribute(
    scope: Scope,
    ec2: Client,
    vpc_id: String,
    attribute: VpcAttributeName,
) -> ((String, VpcAttributeName), Field<bool>) {
    let request = ec2.describe_vpc_attribute().vpc_id(&vpc_id).attribute(attribute.clone()).send();
    // A VPC deleted since it was listed has no attributes any more.
    let value = scope
        .fetch("DescribeVpcAttribute", &vpc_id, &["InvalidVpcID.NotFound"], request, |out| {
            let value = match &attribute {
                VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
                _ => out.enable_dns_support(),
            };
            match value.and_then(|v| v.value()) {
                Some(v) => Field::Known(v),
                None => {
                    let reason = UnknownReason::new(
                        Cause::Malformed,
                        "ec2:DescribeVpcAttribute",
                        format!("no {} value in the answer", attribute.as_str()),
                    );
                    scope.record(Some(&vpc_id), reason.clone());
                    Field::Unknown(reason)
                }
            }
        })
        .await;
    ((vpc_id, attribute), value)
}

// ---------------------------------------------------------------------------------------------------------------
// Subnets, route tables, gateways, flow logs

async fn subnets(scope: &Scope, ec2: &Client) {
    let op = "DescribeSubnets";
    let pages = scope.pages(op, ec2.describe_subnets().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2Subnet, op, pages, |page| {
        page.subnets()
            .iter()
            .map(|s| {
                let properties = Subnet {
                    vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                    availability_zone: owned(s.availability_zone()),
                    availability_zone_id: owned(s.availability_zone_id()),
                    cidr_block: owned(s.cidr_block()),
                    map_public_ip_on_launch: s.map_public_ip_on_launch().unwrap_or(false),
                    default_for_az: s.default_for_az().unwrap_or(false),
                };
                Some(tagged(scope, s.subnet_id()?, "subnet", s.tags(), properties))
            })
            .collect()
    });
}

async fn route_tables(scope: &Scope, ec2: &Client) {
    let op = "DescribeRouteTables";
    let pages = scope.pages(op, ec2.describe_route_tables().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2RouteTable, op, pages, |page| {
        page.route_tables()
            .iter()
            .map(|t| Some(tagged(scope, t.route_table_id()?, "route-table", t.tags(), route_table(t))))
            .collect()
    });
}

fn route_table(table: &sdk::RouteTable) -> RouteTable {
    RouteTable {
        vpc_id: table.vpc_id().unwrap_or_default().to_string(),
        associations: table
            .associations()
            .iter()
            .filter(|a| {
                // Associations on their way out no longer route anything.
                !matches!(
                    a.association_state().and_then(|s| s.state()),
                    Some(
                        sdk::RouteTableAssociationStateCode::Disassociated
                            | sdk::RouteTableAssociationStateCode::Disassociating
                            | sdk::RouteTableAssociationStateCode::Failed
                    )
                )
            })
            .map(|a| RouteTableAssociation {
                subnet_id: owned(a.subnet_id()),
                gateway_id: owned(a.gateway_id()),
                main: a.main().unwrap_or(false),
            })
            .collect(),
        routes: table.routes().iter().map(route).collect(),
    }
}

fn route(route: &sdk::Route) -> Route {
    let destination = route
        .destination_cidr_block()
        .or(route.destination_ipv6_cidr_block())
        .or(route.destination_prefix_list_id())
        .unwrap_or_default()
        .to_string();
    Route { destination, target: route_target(route), state: route.state().map(|s| s.as_str().to_string()) }
}

/// The route's next hop: whichever target id EC2 set. An instance route carries both the instance and its
/// network interface; the instance is named. Gateway VPC endpoints (`vpce-…`) come as `GatewayId`.
fn route_target(route: &sdk::Route) -> String {
    [
        route.gateway_id(),
        route.nat_gateway_id(),
        route.transit_gateway_id(),
        route.vpc_peering_connection_id(),
        route.egress_only_internet_gateway_id(),
        route.instance_id(),
        route.network_interface_id(),
        route.local_gateway_id(),
        route.carrier_gateway_id(),
        route.core_network_arn(),
    ]
    .into_iter()
    .flatten()
    .find(|t| !t.is_empty())
    .unwrap_or_default()
    .to_string()
}

async fn nat_gateways(scope: &Scope, ec2: &Client) {
    let op = "DescribeNatGateways";
    let pages = scope.pages(op, ec2.describe_nat_gateways().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2NatGateway, op, pages, |page| {
        page.nat_gateways()
            .iter()
            .map(|n| {
                let properties = NatGateway {
                    vpc_id: owned(n.vpc_id()),
                    subnet_id: owned(n.subnet_id()),
                    state: n.state().map(|s| s.as_str().to_string()),
                    connectivity_type: n.connectivity_type().map(|c| c.as_str().to_string()),
                };
                Some(tagged(scope, n.nat_gateway_id()?, "natgateway", n.tags(), properties))
            })
            .collect()
    });
}

async fn internet_gateways(scope: &Scope, ec2: &Client) {
    let op = "DescribeInternetGateways";
    let pages = scope.pages(op, ec2.describe_internet_gateways().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2InternetGateway, op, pages, |page| {
        page.internet_gateways()
            .iter()
            .map(|g| {
                let attached_vpc_ids = g
                    .attachments()
                    .iter()
                    .filter(|a| {
                        !matches!(a.state(), Some(sdk::AttachmentStatus::Detached | sdk::AttachmentStatus::Detaching))
                    })
                    .filter_map(|a| owned(a.vpc_id()))
                    .collect();
                let properties = InternetGateway { attached_vpc_ids };
                Some(tagged(scope, g.internet_gateway_id()?, "internet-gateway", g.tags(), properties))
            })
            .collect()
    });
}

async fn flow_logs(scope: &Scope, ec2: &Client) {
    let op = "DescribeFlowLogs";
    let pages = scope.pages(op, ec2.describe_flow_logs().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2FlowLog, op, pages, |page| {
        page.flow_logs()
            .iter()
            .map(|f| {
                let properties = FlowLog {
                    resource_id: f.resource_id().unwrap_or_default().to_string(),
                    status: owned(f.flow_log_status()),
                    traffic_type: f.traffic_type().map(|t| t.as_str().to_string()),
                    destination_type: f.log_destination_type().map(|t| t.as_str().to_string()),
                    // CloudWatch Logs flow logs created by name carry only the group name.
                    destination: owned(f.log_destination().or(f.log_group_name())),
                    deliver_logs_status: owned(f.deliver_logs_status()),
                };
                Some(tagged(scope, f.flow_log_id()?, "vpc-flow-log", f.tags(), properties))
            })
            .collect()
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Security groups and network ACLs

async fn security_groups(scope: &Scope, ec2: &Client) {
    let op = "DescribeSecurityGroups";
    let pages = scope.pages(op, ec2.describe_security_groups().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2SecurityGroup, op, pages, |page| {
        page.security_groups()
            .iter()
            .map(|g| {
                let id = g.group_id()?;
                let properties = SecurityGroup {
                    group_name: g.group_name().unwrap_or_default().to_string(),
                    description: owned(g.description()),
                    vpc_id: owned(g.vpc_id()),
                    ingress: sg_rules(g.ip_permissions()),
                    egress: sg_rules(g.ip_permissions_egress()),
                };
                let arn = scope.arn("ec2", &format!("security-group/{id}"));
                let name = owned(g.group_name());
                Some(scope.resource(id, arn, name, Field::Known(ec2_tags(g.tags())), properties))
            })
            .collect()
    });
}

/// One [`SgRule`] per (permission, source). A permission without any source (which EC2 does not return)
/// is kept as a rule with [`RuleSource::None`] rather than dropped.
fn sg_rules(permissions: &[sdk::IpPermission]) -> Vec<SgRule> {
    let mut rules = Vec::new();
    for p in permissions {
        let protocol = p.ip_protocol().unwrap_or("-1").to_string();
        let rule = |source: RuleSource, description: Option<&str>| SgRule {
            protocol: protocol.clone(),
            from_port: p.from_port(),
            to_port: p.to_port(),
            source,
            description: owned(description),
        };
        let before = rules.len();
        for r in p.ip_ranges() {
            if let Some(cidr) = r.cidr_ip() {
                rules.push(rule(RuleSource::Cidr(cidr.to_string()), r.description()));
            }
        }
        for r in p.ipv6_ranges() {
            if let Some(cidr) = r.cidr_ipv6() {
                rules.push(rule(RuleSource::Ipv6Cidr(cidr.to_string()), r.description()));
            }
        }
        for pair in p.user_id_group_pairs() {
            if let Some(group) = pair.group_id().or(pair.group_name()) {
                rules.push(rule(RuleSource::SecurityGroup(group.to_string()), pair.description()));
            }
        }
        for list in p.prefix_list_ids() {
            if let Some(id) = list.prefix_list_id() {
                rules.push(rule(RuleSource::PrefixList(id.to_string()), list.description()));
            }
        }
        if rules.len() == before {
            rules.push(rule(RuleSource::None, None));
        }
    }
    rules
}

async fn network_acls(scope: &Scope, ec2: &Client) {
    let op = "DescribeNetworkAcls";
    let pages = scope.pages(op, ec2.describe_network_acls().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2NetworkAcl, op, pages, |page| {
        page.network_acls()
            .iter()
            .map(|acl| {
                let properties = NetworkAcl {
                    vpc_id: owned(acl.vpc_id()),
                    is_default: acl.is_default().unwrap_or(false),
                    entries: acl.entries().iter().map(nacl_entry).collect(),
                    subnet_ids: acl.associations().iter().filter_map(|a| owned(a.subnet_id())).collect(),
                };
                Some(tagged(scope, acl.network_acl_id()?, "network-acl", acl.tags(), properties))
            })
            .collect()
    });
}

fn nacl_entry(entry: &sdk::NetworkAclEntry) -> NaclEntry {
    NaclEntry {
        rule_number: entry.rule_number().unwrap_or_default(),
        egress: entry.egress().unwrap_or(false),
        protocol: entry.protocol().unwrap_or("-1").to_string(),
        allow: matches!(entry.rule_action(), Some(sdk::RuleAction::Allow)),
        cidr_block: owned(entry.cidr_block()),
        ipv6_cidr_block: owned(entry.ipv6_cidr_block()),
        port_from: entry.port_range().and_then(|r| r.from()),
        port_to: entry.port_range().and_then(|r| r.to()),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Instances and volumes

async fn instances(scope: &Scope, ec2: &Client) {
    let op = "DescribeInstances";
    let pages = scope.pages(op, ec2.describe_instances().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2Instance, op, pages, |page| {
        page.reservations()
            .iter()
            .flat_map(|r| r.instances())
            .map(|i| Some(tagged(scope, i.instance_id()?, "instance", i.tags(), instance(i))))
            .collect()
    });
}

fn instance(i: &sdk::Instance) -> Instance {
    let metadata = i.metadata_options();
    Instance {
        state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()),
        instance_type: owned(i.instance_type().map(|t| t.as_str())),
        image_id: owned(i.image_id()),
        vpc_id: owned(i.vpc_id()),
        subnet_id: owned(i.subnet_id()),
        availability_zone: i.placement().and_then(|p| owned(p.availability_zone())),
        public_ip: owned(i.public_ip_address()),
        private_ip: owned(i.private_ip_address()),
        metadata_http_tokens: metadata.and_then(|m| m.http_tokens()).map(|t| t.as_str().to_string()),
        metadata_http_endpoint: metadata.and_then(|m| m.http_endpoint()).map(|e| e.as_str().to_string()),
        iam_instance_profile_arn: i.iam_instance_profile().and_then(|p| owned(p.arn())),
        security_group_ids: i.security_groups().iter().filter_map(|g| owned(g.group_id())).collect(),
        monitoring: i.monitoring().and_then(|m| m.state()).map(|s| s.as_str().to_string()),
        launch_template_id: i
            .tags()
            .iter()
            .find(|t| t.key() == Some(LAUNCH_TEMPLATE_TAG))
            .and_then(|t| owned(t.value())),
        volume_ids: i
            .block_device_mappings()
            .iter()
            .filter_map(|m| m.ebs().and_then(|e| owned(e.volume_id())))
            .collect(),
    }
}

async fn volumes(scope: &Scope, ec2: &Client) {
    let op = "DescribeVolumes";
    let pages = scope.pages(op, ec2.describe_volumes().into_paginator().send()).await;
    finish(scope, ResourceKind::Ec2Volume, op, pages, |page| {
        page.volumes()
            .iter()
            .map(|v| {
                let properties = Volume {
                    size_gib: v.size(),
                    volume_type: v.volume_type().map(|t| t.as_str().to_string()),
                    encrypted: v.encrypted().unwrap_or(false),
                    kms_key_id: owned(v.kms_key_id()),
                    state: v.state().map(|s| s.as_str().to_string()),
                    availability_zone: owned(v.availability_zone()),
                    attached_instance_ids: v.attachments().iter().filter_map(|a| owned(a.instance_id())).collect(),
                };
                Some(tagged(scope, v.volume_id()?, "volume", v.tags(), properties))
            })
            .collect()
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Launch templates

async fn launch_templates(scope: &Scope, ec2: &Client) {
    let kind = ResourceKind::Ec2LaunchTemplate;
    // Without a template id, `$Latest` asks for the latest version of every template in one (paginated) call,
    // so it can run alongside the template list. 200 is the largest page both operations accept.
    let (templates, latest) = tokio::join!(
        scope
            .pages("DescribeLaunchTemplates", ec2.describe_launch_templates().max_results(200).into_paginator().send()),
        scope.pages(
            "DescribeLaunchTemplateVersions",
            ec2.describe_launch_template_versions().versions("$Latest").max_results(200).into_paginator().send(),
        ),
    );
    let templates = match templates {
        Ok(pages) => pages,
        Err(reason) => return scope.listed(kind, Err(reason)),
    };
    let all: Vec<&sdk::LaunchTemplate> = pages_items(&templates, |p| p.launch_templates());
    let mut data: HashMap<String, Field<LaunchTemplateData>> = HashMap::new();
    match &latest {
        Ok(pages) => {
            for version in pages.iter().flat_map(|p| p.launch_template_versions()) {
                if let Some(id) = version.launch_template_id() {
                    let known = Field::Known(version.launch_template_data().map(template_data).unwrap_or_default());
                    data.insert(id.to_string(), known);
                }
            }
            // A template created after the bulk call (or one EC2 left out) is asked for on its own.
            let missing: Vec<&str> =
                all.iter().filter_map(|t| t.launch_template_id()).filter(|id| !data.contains_key(*id)).collect();
            let requests: Vec<_> =
                missing.into_iter().map(|id| latest_version(scope.clone(), ec2.clone(), id.to_string())).collect();
            let fetched: Vec<(String, Field<LaunchTemplateData>)> =
                futures::stream::iter(requests).buffer_unordered(DETAIL_CONCURRENCY).collect().await;
            data.extend(fetched);
        }
        // One failed bulk call stands for every template: asking again per template would fail the same way.
        Err(reason) => {
            for id in all.iter().filter_map(|t| t.launch_template_id()) {
                data.insert(id.to_string(), Field::Unknown(reason.clone()));
            }
        }
    }
    let mut missing = 0;
    for template in all {
        let Some(id) = template.launch_template_id() else {
            missing += 1;
            continue;
        };
        let name = template.launch_template_name().unwrap_or_default().to_string();
        let properties = LaunchTemplate {
            name: name.clone(),
            default_version: template.default_version_number(),
            latest_version: template.latest_version_number(),
            latest: data.remove(id).unwrap_or_default(),
        };
        let arn = scope.arn("ec2", &format!("launch-template/{id}"));
        let tags = Field::Known(ec2_tags(template.tags()));
        scope.add(scope.resource(id, arn, (!name.is_empty()).then_some(name), tags, properties));
    }
    scope.listed(kind, if missing == 0 { Ok(()) } else { Err(malformed(scope, "DescribeLaunchTemplates", missing)) });
}

fn pages_items<'a, P, T>(pages: &'a [P], items: impl Fn(&'a P) -> &'a [T]) -> Vec<&'a T> {
    pages.iter().flat_map(items).collect()
}

async fn latest_version(scope: Scope, ec2: Client, id: String) -> (String, Field<LaunchTemplateData>) {
    let request = ec2.describe_launch_template_versions().launch_template_id(&id).versions("$Latest").send();
    let data = scope
        .fetch(
            "DescribeLaunchTemplateVersions",
            &id,
            // Deleted since it was listed.
            &["InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateId.VersionNotFound"],
            request,
            |out| match out.launch_template_versions().first() {
                Some(version) => Field::Known(version.launch_template_data().map(template_data).unwrap_or_default()),
                None => Field::Absent,
            },
        )
        .await;
    (id, data)
}

fn template_data(data: &sdk::ResponseLaunchTemplateData) -> LaunchTemplateData {
    let metadata = data.metadata_options();
    let public_ip: Vec<bool> =
        data.network_interfaces().iter().filter_map(|n| n.associate_public_ip_address()).collect();
    LaunchTemplateData {
        metadata_http_tokens: metadata.and_then(|m| m.http_tokens()).map(|t| t.as_str().to_string()),
        metadata_http_endpoint: metadata.and_then(|m| m.http_endpoint()).map(|e| e.as_str().to_string()),
        iam_instance_profile: data.iam_instance_profile().and_then(|p| owned(p.arn().or(p.name()))),
        block_devices: data
            .block_device_mappings()
            .iter()
            .map(|m| LaunchTemplateBlockDevice {
                device_name: owned(m.device_name()),
                encrypted: m.ebs().and_then(|e| e.encrypted()),
                volume_type: m.ebs().and_then(|e| e.volume_type()).map(|t| t.as_str().to_string()),
                snapshot_id: m.ebs().and_then(|e| owned(e.snapshot_id())),
            })
            .collect(),
        // Any interface that gets a public address makes the template's instances reachable.
        associate_public_ip: if public_ip.contains(&true) { Some(true) } else { public_ip.first().copied() },
    }
}

// ---------------------------------------------------------------------------------------------------------------
// EBS encryption by default

async fn ebs_encryption_by_default(scope: &Scope, ec2: &Client) {
    let (enabled, default_kms_key_id) = tokio::join!(
        scope.fetch(
            "GetEbsEncryptionByDefault",
            EBS_DEFAULT_ID,
            &[],
            ec2.get_ebs_encryption_by_default().send(),
            |out| match out.ebs_encryption_by_default() {
                Some(enabled) => Field::Known(enabled),
                None => {
                    let reason = UnknownReason::new(
                        Cause::Malformed,
                        "ec2:GetEbsEncryptionByDefault",
                        "no EbsEncryptionByDefault in the answer",
                    );
                    scope.record(Some(EBS_DEFAULT_ID), reason.clone());
                    Field::Unknown(reason)
                }
            }
        ),
        scope.fetch("GetEbsDefaultKmsKeyId", EBS_DEFAULT_ID, &[], ec2.get_ebs_default_kms_key_id().send(), |out| {
            out.kms_key_id().map(String::from).into()
        }),
    );
    let arn = scope.arn("ec2", EBS_DEFAULT_ID);
    let properties = EbsEncryptionByDefault { enabled, default_kms_key_id };
    scope.add(scope.resource(EBS_DEFAULT_ID, arn, None, Field::Absent, properties));
    // The setting always exists; what could not be read is in its fields.
    scope.listed(ResourceKind::Ec2EbsEncryptionByDefault, Ok(()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sg_rules_one_per_source() {
        let permission = sdk::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(22)
            .to_port(22)
            .ip_ranges(sdk::IpRange::builder().cidr_ip("0.0.0.0/0").description("ssh").build())
            .ip_ranges(sdk::IpRange::builder().cidr_ip("10.0.0.0/8").build())
            .ipv6_ranges(sdk::Ipv6Range::builder().cidr_ipv6("::/0").build())
            .user_id_group_pairs(sdk::UserIdGroupPair::builder().group_id("sg-1").user_id("123456789012").build())
            .prefix_list_ids(sdk::PrefixListId::builder().prefix_list_id("pl-1").build())
            .build();
        let all = sdk::IpPermission::builder()
            .ip_protocol("-1")
            .ip_ranges(sdk::IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build();
        let rules = sg_rules(&[permission, all]);
        let sources: Vec<&RuleSource> = rules.iter().map(|r| &r.source).collect();
        assert_eq!(
            sources,
            [
                &RuleSource::Cidr("0.0.0.0/0".into()),
                &RuleSource::Cidr("10.0.0.0/8".into()),
                &RuleSource::Ipv6Cidr("::/0".into()),
                &RuleSource::SecurityGroup("sg-1".into()),
                &RuleSource::PrefixList("pl-1".into()),
                &RuleSource::Cidr("0.0.0.0/0".into()),
            ]
        );
        assert_eq!(
            rules[0],
            SgRule {
                protocol: "tcp".into(),
                from_port: Some(22),
                to_port: Some(22),
                source: RuleSource::Cidr("0.0.0.0/0".into()),
                description: Some("ssh".into()),
            }
        );
        assert!(rules[0].allows_tcp_port(22) && !rules[0].allows_tcp_port(80));
        assert_eq!((rules[5].protocol.as_str(), rules[5].from_port, rules[5].to_port), ("-1", None, None));
        assert!(rules[5].allows_tcp_port(3389));
    }

    #[test]
    fn sg_rule_without_source_is_kept() {
        let rules = sg_rules(&[sdk::IpPermission::builder().ip_protocol("udp").from_port(53).to_port(53).build()]);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].source, RuleSource::None);
    }

    #[test]
    fn route_targets() {
        let igw = sdk::Route::builder().destination_cidr_block("0.0.0.0/0").gateway_id("igw-1").build();
        assert_eq!(route(&igw), Route { destination: "0.0.0.0/0".into(), target: "igw-1".into(), state: None });
        let nat = sdk::Route::builder()
            .destination_ipv6_cidr_block("::/0")
            .nat_gateway_id("nat-1")
            .state(sdk::RouteState::Blackhole)
            .build();
        assert_eq!(
            route(&nat),
            Route { destination: "::/0".into(), target: "nat-1".into(), state: Some("blackhole".into()) }
        );
        let instance = sdk::Route::builder()
            .destination_prefix_list_id("pl-1")
            .instance_id("i-1")
            .network_interface_id("eni-1")
            .build();
        assert_eq!((route(&instance).destination.as_str(), route_target(&instance).as_str()), ("pl-1", "i-1"));
        for (built, expected) in [
            (sdk::Route::builder().transit_gateway_id("tgw-1").build(), "tgw-1"),
            (sdk::Route::builder().vpc_peering_connection_id("pcx-1").build(), "pcx-1"),
            (sdk::Route::builder().egress_only_internet_gateway_id("eigw-1").build(), "eigw-1"),
            (sdk::Route::builder().network_interface_id("eni-1").build(), "eni-1"),
            (sdk::Route::builder().gateway_id("vpce-1").build(), "vpce-1"),
            (sdk::Route::builder().gateway_id("local").build(), "local"),
            (sdk::Route::builder().build(), ""),
        ] {
            assert_eq!(route_target(&built), expected);
        }
    }

    #[test]
    fn route_table_associations() {
        let table = sdk::RouteTable::builder()
            .vpc_id("vpc-1")
            .associations(sdk::RouteTableAssociation::builder().main(true).build())
            .associations(sdk::RouteTableAssociation::builder().subnet_id("subnet-1").main(false).build())
            .associations(
                sdk::RouteTableAssociation::builder()
                    .subnet_id("subnet-2")
                    .association_state(
                        sdk::RouteTableAssociationState::builder()
                            .state(sdk::RouteTableAssociationStateCode::Disassociated)
                            .build(),
                    )
                    .build(),
            )
            .associations(sdk::RouteTableAssociation::builder().gateway_id("igw-1").build())
            .routes(sdk::Route::builder().destination_cidr_block("10.0.0.0/16").gateway_id("local").build())
            .build();
        let converted = route_table(&table);
        assert!(converted.is_main());
        assert_eq!(converted.vpc_id, "vpc-1");
        assert_eq!(
            converted.associations,
            [
                RouteTableAssociation { subnet_id: None, gateway_id: None, main: true },
                RouteTableAssociation { subnet_id: Some("subnet-1".into()), gateway_id: None, main: false },
                RouteTableAssociation { subnet_id: None, gateway_id: Some("igw-1".into()), main: false },
            ]
        );
        assert_eq!(converted.routes.len(), 1);
    }

    #[test]
    fn nacl_entries() {
        let entry = sdk::NetworkAclEntry::builder()
            .rule_number(100)
            .egress(false)
            .protocol("6")
            .rule_action(sdk::RuleAction::Allow)
            .cidr_block("0.0.0.0/0")
            .port_range(sdk::PortRange::builder().from(22).to(22).build())
            .build();
        assert_eq!(
            nacl_entry(&entry),
            NaclEntry {
                rule_number: 100,
                egress: false,
                protocol: "6".into(),
                allow: true,
                cidr_block: Some("0.0.0.0/0".into()),
                ipv6_cidr_block: None,
                port_from: Some(22),
                port_to: Some(22),
            }
        );
        let deny = sdk::NetworkAclEntry::builder()
            .rule_number(32767)
            .egress(true)
            .protocol("-1")
            .rule_action(sdk::RuleAction::Deny)
            .ipv6_cidr_block("::/0")
            .build();
        let converted = nacl_entry(&deny);
        assert!(!converted.allow && converted.egress);
        assert_eq!((converted.port_from, converted.port_to), (None, None));
    }

    #[test]
    fn instance_fields() {
        let built = sdk::Instance::builder()
            .instance_id("i-1")
            .state(sdk::InstanceState::builder().name(sdk::InstanceStateName::Running).build())
            .instance_type(sdk::InstanceType::T3Micro)
            .metadata_options(
                sdk::InstanceMetadataOptionsResponse::builder()
                    .http_tokens(sdk::HttpTokensState::Optional)
                    .http_endpoint(sdk::InstanceMetadataEndpointState::Enabled)
                    .build(),
            )
            .iam_instance_profile(sdk::IamInstanceProfile::builder().arn("arn:aws:iam::1:instance-profile/p").build())
            .security_groups(sdk::GroupIdentifier::builder().group_id("sg-1").group_name("web").build())
            .monitoring(sdk::Monitoring::builder().state(sdk::MonitoringState::Disabled).build())
            .tags(sdk::Tag::builder().key(LAUNCH_TEMPLATE_TAG).value("lt-1").build())
            .block_device_mappings(
                sdk::InstanceBlockDeviceMapping::builder()
                    .device_name("/dev/xvda")
                    .ebs(sdk::EbsInstanceBlockDevice::builder().volume_id("vol-1").build())
                    .build(),
            )
            .build();
        let converted = instance(&built);
        assert_eq!(converted.state.as_deref(), Some("running"));
        assert_eq!(converted.instance_type.as_deref(), Some("t3.micro"));
        assert_eq!(converted.metadata_http_tokens.as_deref(), Some("optional"));
        assert_eq!(converted.metadata_http_endpoint.as_deref(), Some("enabled"));
        assert_eq!(converted.iam_instance_profile_arn.as_deref(), Some("arn:aws:iam::1:instance-profile/p"));
        assert_eq!(converted.security_group_ids, ["sg-1"]);
        assert_eq!(converted.monitoring.as_deref(), Some("disabled"));
        assert_eq!(converted.launch_template_id.as_deref(), Some("lt-1"));
        assert_eq!(converted.volume_ids, ["vol-1"]);
        assert_eq!(instance(&sdk::Instance::builder().build()), Instance::default());
        let unset = sdk::Instance::builder().instance_type(sdk::InstanceType::from("")).subnet_id("").build();
        assert_eq!(instance(&unset), Instance::default());
    }

    #[test]
    fn launch_template_data() {
        let data = sdk::ResponseLaunchTemplateData::builder()
            .metadata_options(
                sdk::LaunchTemplateInstanceMetadataOptions::builder()
                    .http_tokens(sdk::LaunchTemplateHttpTokensState::Optional)
                    .build(),
            )
            .iam_instance_profile(sdk::LaunchTemplateIamInstanceProfileSpecification::builder().name("prof").build())
            .block_device_mappings(
                sdk::LaunchTemplateBlockDeviceMapping::builder()
                    .device_name("/dev/xvda")
                    .ebs(
                        sdk::LaunchTemplateEbsBlockDevice::builder()
                            .encrypted(false)
                            .volume_type(sdk::VolumeType::Gp3)
                            .build(),
                    )
                    .build(),
            )
            .block_device_mappings(sdk::LaunchTemplateBlockDeviceMapping::builder().device_name("/dev/sdb").build())
            .network_interfaces(
                sdk::LaunchTemplateInstanceNetworkInterfaceSpecification::builder()
                    .associate_public_ip_address(false)
                    .build(),
            )
            .network_interfaces(
                sdk::LaunchTemplateInstanceNetworkInterfaceSpecification::builder()
                    .associate_public_ip_address(true)
                    .build(),
            )
            .build();
        let converted = template_data(&data);
        assert_eq!(converted.metadata_http_tokens.as_deref(), Some("optional"));
        assert_eq!(converted.metadata_http_endpoint, None);
        assert_eq!(converted.iam_instance_profile.as_deref(), Some("prof"));
        assert_eq!(
            converted.block_devices,
            [
                LaunchTemplateBlockDevice {
                    device_name: Some("/dev/xvda".into()),
                    encrypted: Some(false),
                    volume_type: Some("gp3".into()),
                    snapshot_id: None,
                },
                LaunchTemplateBlockDevice { device_name: Some("/dev/sdb".into()), ..Default::default() },
            ]
        );
        assert_eq!(converted.associate_public_ip, Some(true));
        assert_eq!(template_data(&sdk::ResponseLaunchTemplateData::builder().build()), LaunchTemplateData::default());
    }

    #[test]
    fn names_from_tags() {
        let list = [
            sdk::Tag::builder().key("env").value("prod").build(),
            sdk::Tag::builder().key("Name").value("web").build(),
        ];
        assert_eq!(name_tag(&list).as_deref(), Some("web"));
        assert_eq!(name_tag(&list[..1]), None);
        assert_eq!(ec2_tags(&list).get("env").map(String::as_str), Some("prod"));
    }
}
