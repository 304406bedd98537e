use super::super::prelude::*;
use super::routing::{self, subnet_label};
use std::collections::BTreeMap;

check! {
    /// ## What it does
    /// Flags VPCs whose private subnets send their default route (`0.0.0.0/0`) to a NAT gateway in another
    /// availability zone, which includes one NAT gateway serving several AZs. A subnet is private when its route
    /// table (its own, or the VPC's main table) has no route to an internet gateway. A route to a NAT gateway
    /// that no longer exists fails too. VPCs where no private subnet routes through a NAT gateway get no
    /// finding. When subnets, route tables or NAT gateways could not all be listed, the VPC is UNKNOWN.
    ///
    /// ## Why is this bad?
    /// A NAT gateway lives in one AZ. Private subnets of other AZs routed through it lose internet egress when
    /// that AZ fails, although their own AZ is healthy, and pay cross-AZ data transfer for every byte meanwhile.
    /// One NAT gateway per AZ, each serving its own AZ's private subnets, removes that shared dependency.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 create-nat-gateway --subnet-id subnet-public-b --allocation-id eipalloc-0b
    /// aws ec2 replace-route --route-table-id rtb-private-b --destination-cidr-block 0.0.0.0/0 \
    ///   --nat-gateway-id nat-in-az-b
    /// ```
    /// CDK: `new ec2.Vpc(this, 'Vpc', { natGateways: <number of AZs> })` (CDK's default is one per AZ);
    /// CloudFormation: one `AWS::EC2::NatGateway` per AZ and one private route table per AZ pointing at it.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html
    pub VpcNatGatewayPerAz {
        id: "vpc_nat_gateway_per_az",
        title: "Private subnets use a NAT gateway in their own availability zone",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Vpc, ResourceKind::Ec2Subnet, ResourceKind::Ec2RouteTable, ResourceKind::Ec2NatGateway],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for VpcNatGatewayPerAz {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, _) in cx.inventory.iter::<Vpc>() {
            if let Some(verdict) = judge(cx.inventory, resource) {
                out.verdict(resource, verdict);
            }
        }
    }
}

/// `None` when no private subnet of the VPC routes through a NAT gateway.
fn judge(inv: &Inventory, vpc: &Resource) -> Option<Verdict> {
    let region = vpc.region.as_str();
    let subnets = match routing::subnet_routes(inv, vpc) {
        Ok(subnets) => subnets,
        Err(reason) => return Some(Verdict::Unknown(reason)),
    };
    // NAT gateway id -> the private subnets routing through it.
    let mut by_nat: BTreeMap<&str, Vec<&routing::SubnetRoutes<'_>>> = BTreeMap::new();
    for s in subnets.iter().filter(|s| !s.is_public()) {
        if let Some(nat) = s.default_nat() {
            by_nat.entry(nat).or_default().push(s);
        }
    }
    if by_nat.is_empty() {
        return None;
    }
    let nat_kind = ResourceKind::Ec2NatGateway;
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for (nat_id, users) in &by_nat {
        let Some((_, nat)) = inv.find::<NatGateway>(region, nat_id) else {
            if let Err(reason) = inv.listing(nat_kind, region).complete(nat_kind, region) {
                return Some(Verdict::Unknown(reason));
            }
            let list: Vec<String> = users.iter().map(|s| subnet_label(s.subnet)).collect();
            problems.push(format!("{} route(s) to NAT gateway {nat_id}, which does not exist", list.join(", ")));
            continue;
        };
        let nat_az = nat
            .subnet_id
            .as_deref()
            .and_then(|id| inv.find::<Subnet>(region, id))
            .and_then(|(_, s)| s.availability_zone.as_deref().or(s.availability_zone_id.as_deref()));
        let Some(nat_az) = nat_az else {
            return Some(Verdict::Unknown(UnknownReason::new(
                Cause::Malformed,
                "ec2:DescribeNatGateways",
                format!("the availability zone of NAT gateway {nat_id} (its subnet) is not in the inventory"),
            )));
        };
        let elsewhere: Vec<String> = users
            .iter()
            .filter(|s| s.az != Some(nat_az))
            .map(|s| format!("{} in {}", subnet_label(s.subnet), s.az_text()))
            .collect();
        if elsewhere.is_empty() {
            good.push(format!("{nat_id} ({nat_az})"));
        } else {
            let azs: std::collections::BTreeSet<&str> = users.iter().map(|s| s.az_text()).collect();
            let serves = if azs.len() > 1 { format!(" serves {} AZs;", azs.len()) } else { String::new() };
            problems.push(format!("NAT gateway {nat_id} in {nat_az}{serves} used from {}", elsewhere.join(", ")));
        }
    }
    Some(if problems.is_empty() {
        Verdict::Pass(format!("private subnets use the NAT gateway of their own AZ: {}", good.join(", ")))
    } else {
        Verdict::Fail(format!("private subnets depend on a NAT gateway in another AZ: {}", problems.join("; ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::checks::vpc::routing::fixtures::*;
    use crate::finding::Status;

    fn message<'a>(findings: &'a [crate::finding::Finding], id: &str) -> &'a str {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.as_str()).unwrap_or_default()
    }

    fn to_nat(nat: &str) -> Vec<Route> {
        vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", nat)]
    }

    /// A VPC with public subnets (main table -> igw) in AZ a and b, each with a NAT gateway, and private
    /// subnets in AZ a and b routed by `private`.
    fn vpc_with(inv: &mut Inventory, v: &str, private: Vec<Resource>) {
        inv.resources.push(vpc(v));
        inv.resources.extend([
            subnet(&format!("{v}-pub-a"), v, "eu-west-1a"),
            subnet(&format!("{v}-pub-b"), v, "eu-west-1b"),
            subnet(&format!("{v}-priv-a"), v, "eu-west-1a"),
            subnet(&format!("{v}-priv-b"), v, "eu-west-1b"),
            table(&format!("{v}-rtb-main"), v, true, &[], vec![route("0.0.0.0/0", "igw-1")]),
            nat(&format!("nat-{v}-a"), &format!("{v}-pub-a")),
            nat(&format!("nat-{v}-b"), &format!("{v}-pub-b")),
        ]);
        inv.resources.extend(private);
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        vpc_with(
            &mut inv,
            "good",
            vec![
                table("good-rtb-a", "good", false, &["good-priv-a"], to_nat("nat-good-a")),
                table("good-rtb-b", "good", false, &["good-priv-b"], to_nat("nat-good-b")),
            ],
        );
        // One NAT for both AZs, through one shared table.
        vpc_with(
            &mut inv,
            "single",
            vec![table("single-rtb", "single", false, &["single-priv-a", "single-priv-b"], to_nat("nat-single-a"))],
        );
        // Swapped: each AZ uses the other AZ's NAT.
        vpc_with(
            &mut inv,
            "swapped",
            vec![
                table("swapped-rtb-a", "swapped", false, &["swapped-priv-a"], to_nat("nat-swapped-b")),
                table("swapped-rtb-b", "swapped", false, &["swapped-priv-b"], to_nat("nat-swapped-a")),
            ],
        );
        // No NAT routing at all: no finding.
        vpc_with(
            &mut inv,
            "isolated",
            vec![table(
                "isolated-rtb",
                "isolated",
                false,
                &["isolated-priv-a", "isolated-priv-b"],
                vec![route("10.0.0.0/16", "local")],
            )],
        );
        inv
    }

    #[test]
    fn pass_fail_and_not_applicable() {
        let findings = run(&VpcNatGatewayPerAz, &fixture());
        assert_eq!(
            statuses(&findings),
            vec![("good".into(), Status::Pass), ("single".into(), Status::Fail), ("swapped".into(), Status::Fail)]
        );
        assert_eq!(
            message(&findings, "single"),
            "private subnets depend on a NAT gateway in another AZ: NAT gateway nat-single-a in eu-west-1a serves \
             2 AZs; used from single-priv-b in eu-west-1b"
        );
        assert!(message(&findings, "swapped").contains("nat-swapped-a in eu-west-1a used from swapped-priv-b"));
        assert_eq!(
            message(&findings, "good"),
            "private subnets use the NAT gateway of their own AZ: nat-good-a (eu-west-1a), nat-good-b (eu-west-1b)"
        );
    }

    #[test]
    fn a_route_to_a_missing_nat_fails_only_when_the_list_is_complete() {
        let mut inv = inventory();
        vpc_with(&mut inv, "v", vec![table("v-rtb", "v", false, &["v-priv-a"], to_nat("nat-gone"))]);
        let findings = run(&VpcNatGatewayPerAz, &inv);
        assert_eq!(statuses(&findings), vec![("v".into(), Status::Fail)]);
        assert!(message(&findings, "v").contains("nat-gone, which does not exist"));

        fail_listing(&mut inv, ResourceKind::Ec2NatGateway, REGION, denied("ec2:DescribeNatGateways"));
        let findings = run(&VpcNatGatewayPerAz, &inv);
        assert_eq!(statuses(&findings), vec![("v".into(), Status::Unknown)]);
    }

    #[test]
    fn unknown_when_routing_is_incomplete_or_the_nat_has_no_az() {
        let mut inv = fixture();
        fail_listing(&mut inv, ResourceKind::Ec2RouteTable, REGION, denied("ec2:DescribeRouteTables"));
        assert!(run(&VpcNatGatewayPerAz, &inv).iter().all(|f| f.status == Status::Unknown));

        let mut inv = inventory();
        inv.resources.extend([
            vpc("v"),
            subnet("v-priv-a", "v", "eu-west-1a"),
            table("v-rtb", "v", true, &[], to_nat("nat-x")),
            nat("nat-x", "subnet-unlisted"),
        ]);
        assert_eq!(statuses(&run(&VpcNatGatewayPerAz, &inv)), vec![("v".into(), Status::Unknown)]);
    }

    #[test]
    fn failed_vpc_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Vpc, REGION, denied("ec2:DescribeVpcs"));
        assert_eq!(statuses(&run(&VpcNatGatewayPerAz, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
