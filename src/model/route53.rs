//! Route 53 hosted zones, record sets and health checks (global).

use super::Field;
use serde::{Deserialize, Serialize};

/// `AWS::Route53::HostedZone`. The envelope's id is the zone id without the `/hostedzone/` prefix; its name is
/// the zone's domain name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Route53HostedZone {
    /// The domain name, with the trailing dot as Route 53 writes it (`example.com.`).
    pub domain: String,
    pub private: bool,
    pub comment: Option<String>,
    pub record_count: Option<i64>,
    /// The VPCs a private zone answers in (`GetHostedZone`); `Absent` for public zones, which have none.
    pub vpcs: Field<Vec<ZoneVpc>>,
    /// Every record set of the zone (`ListResourceRecordSets`, all pages).
    pub records: Field<Vec<Route53RecordSet>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneVpc {
    pub vpc_id: String,
    pub region: String,
}

/// One record set of a hosted zone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Route53RecordSet {
    /// The record name as Route 53 returns it (`www.example.com.`).
    pub name: String,
    /// `A`, `AAAA`, `CNAME`, `MX`, …
    pub record_type: String,
    pub ttl: Option<i64>,
    pub routing: RoutingPolicy,
    /// Distinguishes the records of one name and type under a routing policy other than simple.
    pub set_identifier: Option<String>,
    pub health_check_id: Option<String>,
    pub alias: Option<Route53AliasTarget>,
    /// The record's values (addresses for A/AAAA); empty for alias records.
    pub values: Vec<String>,
}

/// How Route 53 chooses between the record sets of one name and type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingPolicy {
    #[default]
    Simple,
    Weighted,
    Latency,
    Failover,
    Geolocation,
    Geoproximity,
    Multivalue,
    /// IP-based routing (CIDR collections).
    Cidr,
}

impl RoutingPolicy {
    pub const ALL: &'static [RoutingPolicy] = &[
        RoutingPolicy::Simple,
        RoutingPolicy::Weighted,
        RoutingPolicy::Latency,
        RoutingPolicy::Failover,
        RoutingPolicy::Geolocation,
        RoutingPolicy::Geoproximity,
        RoutingPolicy::Multivalue,
        RoutingPolicy::Cidr,
    ];

    /// The name used in messages and parameters.
    pub fn name(self) -> &'static str {
        match self {
            RoutingPolicy::Simple => "simple",
            RoutingPolicy::Weighted => "weighted",
            RoutingPolicy::Latency => "latency",
            RoutingPolicy::Failover => "failover",
            RoutingPolicy::Geolocation => "geolocation",
            RoutingPolicy::Geoproximity => "geoproximity",
            RoutingPolicy::Multivalue => "multivalue",
            RoutingPolicy::Cidr => "cidr",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        RoutingPolicy::ALL.iter().copied().find(|p| p.name() == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Route53AliasTarget {
    pub dns_name: String,
    pub hosted_zone_id: String,
    /// Route 53 answers with the record only while the alias target is healthy.
    pub evaluate_target_health: bool,
}

/// `AWS::Route53::HealthCheck`. The envelope's id is the health check id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Route53HealthCheck {
    /// `HTTP`, `HTTPS`, `HTTP_STR_MATCH`, `TCP`, `CALCULATED`, `CLOUDWATCH_METRIC`, …
    pub check_type: String,
    pub fqdn: Option<String>,
    pub ip_address: Option<String>,
    pub port: Option<i32>,
    pub resource_path: Option<String>,
    /// A disabled health check is always reported healthy.
    pub disabled: bool,
    pub inverted: bool,
}
