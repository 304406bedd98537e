//! Elastic Load Balancing v2: load balancers, attributes, listeners, target groups.

use super::{Cause, Field, UnknownReason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `AWS::ElasticLoadBalancingV2::LoadBalancer`: an Application, Network or Gateway Load Balancer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// `application`, `network` or `gateway`.
    pub lb_type: Option<String>,
    /// `internet-facing` or `internal`.
    pub scheme: Option<String>,
    /// `active`, `provisioning`, `active_impaired`, `failed`.
    pub state: Option<String>,
    pub dns_name: Option<String>,
    pub vpc_id: Option<String>,
    pub ip_address_type: Option<String>,
    pub created_time: Option<DateTime<Utc>>,
    /// The zones the load balancer has a node in, with the subnet of each.
    pub availability_zones: Vec<LbZone>,
    pub security_groups: Vec<String>,
    /// `DescribeLoadBalancerAttributes`, key to value as AWS spells them (`deletion_protection.enabled` →
    /// `"true"`).
    pub attributes: Field<BTreeMap<String, String>>,
    pub listeners: Field<Vec<LbListener>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LbZone {
    pub zone_name: Option<String>,
    pub subnet_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LbListener {
    pub arn: String,
    pub port: Option<i32>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: Option<String>,
    pub ssl_policy: Option<String>,
    pub default_actions: Vec<LbAction>,
    /// The listener's rules, default rule included. Read only for the plain-HTTP listeners of Application Load
    /// Balancers (what the HTTPS check needs); `Absent` for the others.
    pub rules: Field<Vec<LbRule>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LbAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, `authenticate-cognito`.
    pub action_type: String,
    /// For `redirect`: the protocol redirected to (`HTTPS`, `HTTP`, or `#{protocol}` to keep the request's).
    pub redirect_protocol: Option<String>,
    /// For `forward`: the target groups traffic goes to.
    pub target_group_arns: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LbRule {
    pub arn: String,
    /// A number as text, or `default`.
    pub priority: Option<String>,
    pub is_default: bool,
    pub actions: Vec<LbAction>,
}

/// `AWS::ElasticLoadBalancingV2::TargetGroup`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetGroup {
    pub protocol: Option<String>,
    pub port: Option<i32>,
    /// `instance`, `ip`, `lambda`, `alb`.
    pub target_type: Option<String>,
    pub vpc_id: Option<String>,
    pub health_check_enabled: Option<bool>,
    pub health_check_protocol: Option<String>,
    pub health_check_path: Option<String>,
    /// The load balancers that route to this group.
    pub load_balancer_arns: Vec<String>,
}

impl LoadBalancer {
    pub fn is_application(&self) -> bool {
        self.lb_type.as_deref() == Some("application")
    }

    /// The distinct zones the load balancer spans, sorted.
    pub fn zone_names(&self) -> Vec<&str> {
        let mut zones: Vec<&str> = self.availability_zones.iter().filter_map(|z| z.zone_name.as_deref()).collect();
        zones.sort_unstable();
        zones.dedup();
        zones
    }

    /// A boolean attribute: `Ok(Some(..))` when reported, `Err` when the attributes could not be read or AWS
    /// did not report this one (it reports every attribute a load balancer type supports, so a missing key is
    /// an answer the auditor does not understand, not a default).
    pub fn bool_attribute(&self, key: &str) -> Result<bool, UnknownReason> {
        match self.attributes.known() {
            Err(reason) => Err(reason.clone()),
            Ok(attributes) => match attributes.and_then(|a| a.get(key)).map(|v| v.trim().to_ascii_lowercase()) {
                Some(v) if v == "true" => Ok(true),
                Some(v) if v == "false" => Ok(false),
                Some(v) => Err(UnknownReason::new(
                    Cause::Malformed,
                    "elbv2:DescribeLoadBalancerAttributes",
                    format!("attribute {key} has the unexpected value {v:?}"),
                )),
                None => Err(UnknownReason::new(
                    Cause::Malformed,
                    "elbv2:DescribeLoadBalancerAttributes",
                    format!("attribute {key} was not reported"),
                )),
            },
        }
    }
}

impl LbAction {
    pub fn redirects_to_https(&self) -> bool {
        self.action_type == "redirect"
            && self.redirect_protocol.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(attributes: &[(&str, &str)]) -> LoadBalancer {
        let map = attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        LoadBalancer { attributes: Field::Known(map), ..Default::default() }
    }

    #[test]
    fn bool_attributes() {
        let lb = with(&[("deletion_protection.enabled", "true"), ("a", "false"), ("b", "maybe")]);
        assert_eq!(lb.bool_attribute("deletion_protection.enabled"), Ok(true));
        assert_eq!(lb.bool_attribute("a"), Ok(false));
        assert!(lb.bool_attribute("b").is_err_and(|r| r.cause == Cause::Malformed));
        assert!(lb.bool_attribute("missing").is_err_and(|r| r.message.contains("not reported")));
        let unread = LoadBalancer::default();
        assert!(unread.bool_attribute("a").is_err_and(|r| r.cause == Cause::NotCollected));
    }

    #[test]
    fn zones_are_counted_once() {
        let zone = |z: &str, s: &str| LbZone { zone_name: Some(z.into()), subnet_id: Some(s.into()) };
        let lb = LoadBalancer {
            availability_zones: vec![zone("a", "s1"), zone("a", "s2"), zone("b", "s3")],
            ..Default::default()
        };
        assert_eq!(lb.zone_names().len(), 2);
    }
}
