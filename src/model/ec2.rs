//! EC2 and VPC networking.

use super::{Cause, Field, UnknownReason};
use serde::{Deserialize, Serialize};

/// `AWS::EC2::VPC`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub cidr_block: Option<String>,
    pub is_default: bool,
    pub state: Option<String>,
    pub owner_id: Option<String>,
    pub dns_support: Field<bool>,
    pub dns_hostnames: Field<bool>,
}

/// `AWS::EC2::Subnet`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub vpc_id: String,
    pub availability_zone: Option<String>,
    pub availability_zone_id: Option<String>,
    pub cidr_block: Option<String>,
    pub map_public_ip_on_launch: bool,
    pub default_for_az: bool,
}

/// `AWS::EC2::RouteTable`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    pub vpc_id: String,
    pub associations: Vec<RouteTableAssociation>,
    pub routes: Vec<Route>,
}

impl RouteTable {
    pub fn is_main(&self) -> bool {
        self.associations.iter().any(|a| a.main)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteTableAssociation {
    pub subnet_id: Option<String>,
    pub gateway_id: Option<String>,
    pub main: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// IPv4 or IPv6 CIDR, or a prefix list id.
    pub destination: String,
    /// `igw-…` (also `local`), `nat-…`, `tgw-…`, `pcx-…`, `eni-…`, `i-…`, `vpce-…`, `eigw-…`.
    pub target: String,
    pub state: Option<String>,
}

/// `AWS::EC2::NatGateway`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NatGateway {
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub state: Option<String>,
    pub connectivity_type: Option<String>,
}

/// `AWS::EC2::InternetGateway`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InternetGateway {
    pub attached_vpc_ids: Vec<String>,
}

/// `AWS::EC2::FlowLog`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    /// The VPC, subnet or network interface the flow log watches.
    pub resource_id: String,
    /// `ACTIVE` when the flow log is on.
    pub status: Option<String>,
    /// `ACCEPT`, `REJECT` or `ALL`.
    pub traffic_type: Option<String>,
    pub destination_type: Option<String>,
    pub destination: Option<String>,
    pub deliver_logs_status: Option<String>,
}

/// `AWS::EC2::SecurityGroup`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub group_name: String,
    pub description: Option<String>,
    pub vpc_id: Option<String>,
    /// One entry per (rule, source): a rule with three CIDRs becomes three entries.
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SgRule {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub source: RuleSource,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    Cidr(String),
    Ipv6Cidr(String),
    SecurityGroup(String),
    PrefixList(String),
    #[default]
    None,
}

impl SgRule {
    /// Whether the rule lets `port` through for TCP (protocol `tcp`, `6` or all).
    pub fn allows_tcp_port(&self, port: i32) -> bool {
        match self.protocol.as_str() {
            "-1" | "all" => true,
            "tcp" | "6" => match (self.from_port, self.to_port) {
                (Some(from), Some(to)) => (from == -1 && to == -1) || (from <= port && port <= to),
                _ => true,
            },
            _ => false,
        }
    }
}

/// `AWS::EC2::NetworkAcl`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    pub vpc_id: Option<String>,
    pub is_default: bool,
    pub entries: Vec<NaclEntry>,
    pub subnet_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NaclEntry {
    pub rule_number: i32,
    pub egress: bool,
    /// Protocol number as a string (`6` tcp, `17` udp) or `-1` for all.
    pub protocol: String,
    pub allow: bool,
    pub cidr_block: Option<String>,
    pub ipv6_cidr_block: Option<String>,
    pub port_from: Option<i32>,
    pub port_to: Option<i32>,
}

/// `AWS::EC2::Instance`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub state: Option<String>,
    pub instance_type: Option<String>,
    pub image_id: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub availability_zone: Option<String>,
    pub public_ip: Option<String>,
    pub private_ip: Option<String>,
    /// `required` (IMDSv2 only) or `optional`; `None` when EC2 did not say.
    pub metadata_http_tokens: Option<String>,
    /// `enabled` or `disabled`.
    pub metadata_http_endpoint: Option<String>,
    pub iam_instance_profile_arn: Option<String>,
    pub security_group_ids: Vec<String>,
    /// `disabled`, `enabled` (detailed) or `pending`.
    pub monitoring: Option<String>,
    /// From the `aws:ec2launchtemplate:id` tag EC2 puts on instances launched from a template.
    pub launch_template_id: Option<String>,
    pub volume_ids: Vec<String>,
}

/// `AWS::EC2::Volume`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub size_gib: Option<i32>,
    pub volume_type: Option<String>,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub state: Option<String>,
    pub availability_zone: Option<String>,
    pub attached_instance_ids: Vec<String>,
}

/// `AWS::EC2::LaunchTemplate`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaunchTemplate {
    pub name: String,
    pub default_version: Option<i64>,
    pub latest_version: Option<i64>,
    /// The data of the latest version (`DescribeLaunchTemplateVersions`).
    pub latest: Field<LaunchTemplateData>,
}

impl LaunchTemplate {
    /// The latest version's data, or why it cannot be judged. A version EC2 returned without data (`Absent`)
    /// cannot be judged either.
    pub fn latest_data(&self) -> Result<&LaunchTemplateData, UnknownReason> {
        match self.latest.known() {
            Ok(Some(data)) => Ok(data),
            Ok(None) => Err(UnknownReason::new(
                Cause::Malformed,
                "ec2:DescribeLaunchTemplateVersions",
                "EC2 returned no data for the latest version",
            )),
            Err(reason) => Err(reason.clone()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaunchTemplateData {
    pub metadata_http_tokens: Option<String>,
    pub metadata_http_endpoint: Option<String>,
    pub iam_instance_profile: Option<String>,
    pub block_devices: Vec<LaunchTemplateBlockDevice>,
    /// `AssociatePublicIpAddress` of any network interface in the template.
    pub associate_public_ip: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaunchTemplateBlockDevice {
    pub device_name: Option<String>,
    /// `None` when the template leaves it to the snapshot or the account default.
    pub encrypted: Option<bool>,
    pub volume_type: Option<String>,
    pub snapshot_id: Option<String>,
}

/// `AWS::EC2::EBSEncryptionByDefault` (awsaudit pseudo-kind: the regional account setting).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EbsEncryptionByDefault {
    pub enabled: Field<bool>,
    pub default_kms_key_id: Field<String>,
}

/// `AWS::AutoScaling::AutoScalingGroup`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    pub launch_template_id: Option<String>,
    pub launch_template_name: Option<String>,
    pub launch_configuration_name: Option<String>,
    /// Launch templates named in a mixed instances policy.
    pub mixed_instances_template_ids: Vec<String>,
    pub availability_zones: Vec<String>,
    pub subnet_ids: Vec<String>,
    /// `EC2` or `ELB` (or `VPC_LATTICE`).
    pub health_check_type: Option<String>,
    pub load_balancer_names: Vec<String>,
    pub target_group_arns: Vec<String>,
    pub min_size: i32,
    pub max_size: i32,
    pub desired_capacity: i32,
}
