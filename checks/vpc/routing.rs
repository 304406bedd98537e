//! Which route table each subnet of a VPC uses, and whether it is public: shared by the route table and NAT
//! gateway checks.

use super::super::prelude::*;

/// One subnet of a VPC with the route table that routes its traffic.
pub struct SubnetRoutes<'a> {
    pub subnet: &'a Resource,
    /// The availability zone (name, or id when EC2 gave no name).
    pub az: Option<&'a str>,
    pub table: &'a Resource,
    pub routes: &'a RouteTable,
    /// Whether the subnet's table is the VPC's main table, used because the subnet has no association of its own.
    pub implicit: bool,
}

impl SubnetRoutes<'_> {
    /// A subnet is public when its table routes to an internet gateway; every other subnet is private here.
    pub fn is_public(&self) -> bool {
        self.routes.routes.iter().any(|r| r.target.starts_with("igw-") && r.state.as_deref() != Some("blackhole"))
    }

    /// The NAT gateway the subnet's default IPv4 route (`0.0.0.0/0`) points at, if any.
    pub fn default_nat(&self) -> Option<&str> {
        self.routes
            .routes
            .iter()
            .find(|r| r.destination == "0.0.0.0/0" && r.target.starts_with("nat-"))
            .map(|r| r.target.as_str())
    }

    pub fn az_text(&self) -> &str {
        self.az.unwrap_or("an unreported AZ")
    }
}

/// Every subnet of the VPC with its effective route table: the table explicitly associated with it, else the
/// VPC's main table. Unknown when the subnets or route tables of the region could not all be listed, or when a
/// subnet has no table at all (EC2 always has a main table, so one is missing from the answer).
pub fn subnet_routes<'a>(inv: &'a Inventory, vpc: &Resource) -> Result<Vec<SubnetRoutes<'a>>, UnknownReason> {
    let region = vpc.region.as_str();
    for kind in [ResourceKind::Ec2Subnet, ResourceKind::Ec2RouteTable] {
        inv.listing(kind, region).complete(kind, region)?;
    }
    let tables: Vec<(&Resource, &RouteTable)> =
        inv.iter::<RouteTable>().filter(|(r, t)| r.region == region && t.vpc_id == vpc.id).collect();
    let main = tables.iter().find(|(_, t)| t.is_main());
    let mut out = Vec::new();
    for (subnet, props) in inv.iter::<Subnet>().filter(|(r, s)| r.region == region && s.vpc_id == vpc.id) {
        let explicit = tables
            .iter()
            .find(|(_, t)| t.associations.iter().any(|a| a.subnet_id.as_deref() == Some(subnet.id.as_str())));
        let (table, routes, implicit) = match (explicit, main) {
            (Some((r, t)), _) => (*r, *t, false),
            (None, Some((r, t))) => (*r, *t, true),
            (None, None) => {
                return Err(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeRouteTables",
                    format!("no route table (explicit or main) was reported for subnet {}", subnet.id),
                ));
            }
        };
        let az = props.availability_zone.as_deref().or(props.availability_zone_id.as_deref());
        out.push(SubnetRoutes { subnet, az, table, routes, implicit });
    }
    out.sort_by(|a, b| a.subnet.id.cmp(&b.subnet.id));
    Ok(out)
}

/// A subnet as written in messages: its Name tag when it has one, and its id.
pub fn subnet_label(subnet: &Resource) -> String {
    match &subnet.name {
        Some(name) => format!("{name} ({})", subnet.id),
        None => subnet.id.clone(),
    }
}

#[cfg(test)]
pub mod fixtures {
    //! VPC fixtures for the routing checks' unit tests.
    use super::*;
    use crate::checks::testing::resource;

    pub fn vpc(id: &str) -> Resource {
        resource(id, Vpc { state: Some("available".into()), ..Default::default() })
    }

    pub fn subnet(id: &str, vpc: &str, az: &str) -> Resource {
        let mut r =
            resource(id, Subnet { vpc_id: vpc.into(), availability_zone: Some(az.into()), ..Default::default() });
        r.name = None;
        r
    }

    pub fn route(destination: &str, target: &str) -> Route {
        Route { destination: destination.into(), target: target.into(), state: Some("active".into()) }
    }

    /// A route table; `main` marks the VPC's main table, `subnets` its explicit associations.
    pub fn table(id: &str, vpc: &str, main: bool, subnets: &[&str], routes: Vec<Route>) -> Resource {
        let mut associations: Vec<RouteTableAssociation> = subnets
            .iter()
            .map(|s| RouteTableAssociation { subnet_id: Some(s.to_string()), gateway_id: None, main: false })
            .collect();
        if main {
            associations.push(RouteTableAssociation { subnet_id: None, gateway_id: None, main: true });
        }
        resource(id, RouteTable { vpc_id: vpc.into(), associations, routes })
    }

    pub fn nat(id: &str, subnet: &str) -> Resource {
        resource(
            id,
            NatGateway { subnet_id: Some(subnet.into()), state: Some("available".into()), ..Default::default() },
        )
    }
}
