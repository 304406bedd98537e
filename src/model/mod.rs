//! The normalized resource model: one `Resource` envelope with typed properties per kind, and the
//! `Inventory` of everything one audit saw, including what it could not see.

mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod ec2;
mod elbv2;
mod field;
mod iam;
mod inventory;
mod kms;
mod lambda;
pub mod policy;
mod rds;
mod route53;
mod s3;
mod sns;

pub use cloudfront::*;
pub use cloudtrail::*;
pub use cloudwatch::*;
pub use ec2::*;
pub use elbv2::*;
pub use field::{Cause, Field, UnknownReason};
pub use iam::*;
pub use inventory::*;
pub use kms::*;
pub use lambda::*;
pub use policy::PolicyDocument;
pub use rds::*;
pub use route53::*;
pub use s3::*;
pub use sns::*;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The region name used for global services (IAM, S3 account settings).
pub const GLOBAL: &str = "global";

/// Implemented by each kind's property struct, so checks can ask the inventory for typed resources.
pub trait KindProperties: Sized + 'static {
    const KIND: ResourceKind;
    fn from_properties(properties: &Properties) -> Option<&Self>;
}

macro_rules! resource_kinds {
    ($( $variant:ident($props:ty) = $name:literal, service $service:literal, $scope:ident; )*) => {
        /// A resource type, named as CloudFormation and AWS Config name it. Kinds that CloudFormation has no
        /// type for (account-level settings) follow the same pattern and are marked pseudo-kinds in their docs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ResourceKind {
            $( #[serde(rename = $name)] $variant, )*
        }

        impl ResourceKind {
            pub const ALL: &'static [ResourceKind] = &[$(ResourceKind::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(ResourceKind::$variant => $name,)* }
            }

            /// The awsaudit service (the `--services` name) that collects this kind.
            pub fn service(self) -> &'static str {
                match self { $(ResourceKind::$variant => $service,)* }
            }

            /// Whether the kind lives in the `global` pseudo-region.
            pub fn is_global(self) -> bool {
                match self { $(ResourceKind::$variant => Scope::$scope == Scope::Global,)* }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(ResourceKind::$variant),)* _ => None }
            }
        }

        /// The typed properties of a resource; serialized next to the envelope as `kind` + `properties`.
        // Variants differ in size (a bucket carries a dozen fields); boxing them would only add indirection to
        // a Vec that is built once and read by every check.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", content = "properties")]
        pub enum Properties {
            $( #[serde(rename = $name)] $variant($props), )*
        }

        impl Properties {
            pub fn kind(&self) -> ResourceKind {
                match self { $(Properties::$variant(_) => ResourceKind::$variant,)* }
            }
        }

        $(
            impl KindProperties for $props {
                const KIND: ResourceKind = ResourceKind::$variant;
                fn from_properties(properties: &Properties) -> Option<&Self> {
                    match properties {
                        Properties::$variant(p) => Some(p),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }

            impl From<$props> for Properties {
                fn from(p: $props) -> Self { Properties::$variant(p) }
            }
        )*
    };
}

#[derive(PartialEq)]
enum Scope {
    Global,
    Regional,
}

resource_kinds! {
    S3Bucket(S3Bucket) = "AWS::S3::Bucket", service "s3", Regional;
    S3AccountPublicAccessBlock(S3AccountPublicAccessBlock) = "AWS::S3::AccountPublicAccessBlock", service "s3", Global;
    Ec2Vpc(Vpc) = "AWS::EC2::VPC", service "ec2", Regional;
    Ec2Subnet(Subnet) = "AWS::EC2::Subnet", service "ec2", Regional;
    Ec2RouteTable(RouteTable) = "AWS::EC2::RouteTable", service "ec2", Regional;
    Ec2NatGateway(NatGateway) = "AWS::EC2::NatGateway", service "ec2", Regional;
    Ec2InternetGateway(InternetGateway) = "AWS::EC2::InternetGateway", service "ec2", Regional;
    Ec2FlowLog(FlowLog) = "AWS::EC2::FlowLog", service "ec2", Regional;
    Ec2SecurityGroup(SecurityGroup) = "AWS::EC2::SecurityGroup", service "ec2", Regional;
    Ec2NetworkAcl(NetworkAcl) = "AWS::EC2::NetworkAcl", service "ec2", Regional;
    Ec2Instance(Instance) = "AWS::EC2::Instance", service "ec2", Regional;
    Ec2Volume(Volume) = "AWS::EC2::Volume", service "ec2", Regional;
    Ec2LaunchTemplate(LaunchTemplate) = "AWS::EC2::LaunchTemplate", service "ec2", Regional;
    Ec2EbsEncryptionByDefault(EbsEncryptionByDefault) = "AWS::EC2::EBSEncryptionByDefault", service "ec2", Regional;
    AutoScalingGroup(AutoScalingGroup) = "AWS::AutoScaling::AutoScalingGroup", service "autoscaling", Regional;
    CloudTrailTrail(Trail) = "AWS::CloudTrail::Trail", service "cloudtrail", Regional;
    ConfigRecorder(ConfigRecorder) = "AWS::Config::ConfigurationRecorder", service "config", Regional;
    ConfigDeliveryChannel(ConfigDeliveryChannel) = "AWS::Config::DeliveryChannel", service "config", Regional;
    KmsKey(KmsKey) = "AWS::KMS::Key", service "kms", Regional;
    IamRole(IamRole) = "AWS::IAM::Role", service "iam", Global;
    IamUser(IamUser) = "AWS::IAM::User", service "iam", Global;
    IamGroup(IamGroup) = "AWS::IAM::Group", service "iam", Global;
    IamManagedPolicy(IamManagedPolicy) = "AWS::IAM::ManagedPolicy", service "iam", Global;
    IamRootUser(IamRootUser) = "AWS::IAM::RootUser", service "iam", Global;
    IamPasswordPolicy(IamPasswordPolicy) = "AWS::IAM::AccountPasswordPolicy", service "iam", Global;
    // -- rds --
    RdsDbInstance(DbInstance) = "AWS::RDS::DBInstance", service "rds", Regional;
    RdsDbCluster(DbCluster) = "AWS::RDS::DBCluster", service "rds", Regional;
    RdsDbParameterGroup(DbParameterGroup) = "AWS::RDS::DBParameterGroup", service "rds", Regional;
    RdsDbClusterParameterGroup(DbClusterParameterGroup) = "AWS::RDS::DBClusterParameterGroup", service "rds", Regional;
    RdsDbSnapshot(DbSnapshot) = "AWS::RDS::DBSnapshot", service "rds", Regional;
    // -- elbv2 --
    Elbv2LoadBalancer(LoadBalancer) = "AWS::ElasticLoadBalancingV2::LoadBalancer", service "elbv2", Regional;
    Elbv2TargetGroup(TargetGroup) = "AWS::ElasticLoadBalancingV2::TargetGroup", service "elbv2", Regional;
    // -- lambda --
    LambdaFunction(LambdaFunction) = "AWS::Lambda::Function", service "lambda", Regional;
    // -- sns --
    SnsTopic(SnsTopic) = "AWS::SNS::Topic", service "sns", Regional;
    // -- cloudwatch --
    LogsLogGroup(LogGroup) = "AWS::Logs::LogGroup", service "logs", Regional;
    LogsMetricFilter(MetricFilter) = "AWS::Logs::MetricFilter", service "logs", Regional;
    CloudWatchAlarm(Alarm) = "AWS::CloudWatch::Alarm", service "cloudwatch", Regional;
    // -- route53 --
    Route53HostedZone(Route53HostedZone) = "AWS::Route53::HostedZone", service "route53", Global;
    Route53HealthCheck(Route53HealthCheck) = "AWS::Route53::HealthCheck", service "route53", Global;
    // -- cloudfront --
    CloudFrontDistribution(CloudFrontDistribution) = "AWS::CloudFront::Distribution", service "cloudfront", Global;
}

/// The services awsaudit can collect, in `--services` spelling.
pub const SERVICES: &[&str] = &[
    "s3",
    "ec2",
    "autoscaling",
    "cloudtrail",
    "config",
    "kms",
    "iam",
    "rds",
    "elbv2",
    "lambda",
    "sns",
    "logs",
    "cloudwatch",
    "route53",
    "cloudfront",
];

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One AWS resource as every check sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// The resource's ARN; for pseudo-kinds a stable ARN-shaped identifier.
    pub arn: String,
    pub account_id: String,
    /// The region, or `global`.
    pub region: String,
    /// The id AWS uses for the resource (`vpc-0abc…`, the bucket name, the key id).
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tags: Field<BTreeMap<String, String>>,
    #[serde(flatten)]
    pub properties: Properties,
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        self.properties.kind()
    }

    /// The name if it has one, else the id: what a person recognizes.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    pub fn props<P: KindProperties>(&self) -> Option<&P> {
        P::from_properties(&self.properties)
    }
}
