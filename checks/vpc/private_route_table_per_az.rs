use super::super::prelude::*;
use super::routing::{self, subnet_label};
use std::collections::{BTreeMap, BTreeSet};

check! {
    /// ## What it does
    /// Flags VPCs where private subnets in different availability zones share one route table. A subnet is
    /// private when its route table has no route to an internet gateway. A subnet without a route table
    /// association of its own uses the VPC's main table, so private subnets left on the main table share it
    /// implicitly. Subnets in the same AZ may share a table. A VPC without private subnets passes. When the
    /// subnets or route tables of the region could not all be listed, the VPC is UNKNOWN.
    ///
    /// ## Why is this bad?
    /// A route table shared across AZs couples them: a private subnet's default route can point at only one NAT
    /// gateway or appliance, so every AZ sharing the table depends on the AZ that target lives in, and one edit
    /// changes the routing of all of them. One route table per AZ keeps each AZ's egress independent, as the
    /// AWS reference architectures and CDK's default VPC do.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 create-route-table --vpc-id vpc-0123
    /// aws ec2 associate-route-table --route-table-id rtb-0b --subnet-id subnet-in-az-b
    /// aws ec2 create-route --route-table-id rtb-0b --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-in-az-b
    /// ```
    /// CDK: `new ec2.Vpc(this, 'Vpc', { natGateways: 2 })` creates one route table per private subnet;
    /// CloudFormation: one `AWS::EC2::RouteTable` and `AWS::EC2::SubnetRouteTableAssociation` per private subnet.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
    pub VpcPrivateRouteTablePerAz {
        id: "vpc_private_route_table_per_az",
        title: "Private subnets in different availability zones do not share a route table",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Vpc, ResourceKind::Ec2Subnet, ResourceKind::Ec2RouteTable],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for VpcPrivateRouteTablePerAz {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, _) in cx.inventory.iter::<Vpc>() {
            out.verdict(resource, judge(cx.inventory, resource));
        }
    }
}

fn judge(inv: &Inventory, vpc: &Resource) -> Verdict {
    let subnets = match routing::subnet_routes(inv, vpc) {
        Ok(subnets) => subnets,
        Err(reason) => return Verdict::Unknown(reason),
    };
    // Private subnets by route table id.
    let mut by_table: BTreeMap<&str, Vec<&routing::SubnetRoutes<'_>>> = BTreeMap::new();
    for s in subnets.iter().filter(|s| !s.is_public()) {
        by_table.entry(s.table.id.as_str()).or_default().push(s);
    }
    if by_table.is_empty() {
        return Verdict::Pass("the VPC has no private subnet".into());
    }
    let mut shared = Vec::new();
    for (table, members) in &by_table {
        let azs: BTreeSet<&str> = members.iter().map(|s| s.az_text()).collect();
        if azs.len() > 1 {
            let main = if members.iter().any(|s| s.implicit) { " (main table, used implicitly)" } else { "" };
            let list: Vec<String> =
                members.iter().map(|s| format!("{} in {}", subnet_label(s.subnet), s.az_text())).collect();
            shared.push(format!("{table}{main} serves {}", list.join(", ")));
        }
    }
    if shared.is_empty() {
        Verdict::Pass(format!(
            "each of the {} private route table(s) serves a single availability zone",
            by_table.len()
        ))
    } else {
        Verdict::Fail(format!("private subnets in different AZs share a route table: {}", shared.join("; ")))
    }
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

    fn local() -> Route {
        route("10.0.0.0/16", "local")
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        // vpc-good: a table per AZ; two subnets in AZ a share one, which is fine. The public subnets share the
        // main table, which routes to the internet gateway.
        inv.resources.push(vpc("vpc-good"));
        inv.resources.extend([
            subnet("subnet-a1", "vpc-good", "eu-west-1a"),
            subnet("subnet-a2", "vpc-good", "eu-west-1a"),
            subnet("subnet-b", "vpc-good", "eu-west-1b"),
            subnet("subnet-pa", "vpc-good", "eu-west-1a"),
            subnet("subnet-pb", "vpc-good", "eu-west-1b"),
            table("rtb-a", "vpc-good", false, &["subnet-a1", "subnet-a2"], vec![local(), route("0.0.0.0/0", "nat-a")]),
            table("rtb-b", "vpc-good", false, &["subnet-b"], vec![local(), route("0.0.0.0/0", "nat-b")]),
            table("rtb-main", "vpc-good", true, &[], vec![local(), route("0.0.0.0/0", "igw-1")]),
        ]);
        // vpc-shared: both private subnets left on the main table.
        inv.resources.push(vpc("vpc-shared"));
        inv.resources.extend([
            subnet("subnet-c", "vpc-shared", "eu-west-1a"),
            subnet("subnet-d", "vpc-shared", "eu-west-1b"),
            table("rtb-shared-main", "vpc-shared", true, &[], vec![local()]),
        ]);
        // vpc-explicit: one explicit table for both AZs.
        inv.resources.push(vpc("vpc-explicit"));
        inv.resources.extend([
            subnet("subnet-e", "vpc-explicit", "eu-west-1a"),
            subnet("subnet-f", "vpc-explicit", "eu-west-1b"),
            table("rtb-one", "vpc-explicit", false, &["subnet-e", "subnet-f"], vec![local()]),
            table("rtb-explicit-main", "vpc-explicit", true, &[], vec![local()]),
        ]);
        // vpc-public: every subnet public.
        inv.resources.push(vpc("vpc-public"));
        inv.resources.extend([
            subnet("subnet-g", "vpc-public", "eu-west-1a"),
            subnet("subnet-h", "vpc-public", "eu-west-1b"),
            table("rtb-public", "vpc-public", true, &[], vec![local(), route("0.0.0.0/0", "igw-2")]),
        ]);
        inv
    }

    #[test]
    fn pass_fail() {
        let findings = run(&VpcPrivateRouteTablePerAz, &fixture());
        assert_eq!(
            statuses(&findings),
            vec![
                ("vpc-explicit".into(), Status::Fail),
                ("vpc-good".into(), Status::Pass),
                ("vpc-public".into(), Status::Pass),
                ("vpc-shared".into(), Status::Fail),
            ]
        );
        assert_eq!(
            message(&findings, "vpc-shared"),
            "private subnets in different AZs share a route table: rtb-shared-main (main table, used implicitly) \
             serves subnet-c in eu-west-1a, subnet-d in eu-west-1b"
        );
        assert!(message(&findings, "vpc-explicit").contains("rtb-one serves subnet-e in eu-west-1a, subnet-f"));
        assert_eq!(message(&findings, "vpc-public"), "the VPC has no private subnet");
    }

    #[test]
    fn a_blackholed_internet_route_does_not_make_a_subnet_public() {
        let mut inv = inventory();
        inv.resources.push(vpc("vpc-1"));
        let mut gone = route("0.0.0.0/0", "igw-deleted");
        gone.state = Some("blackhole".into());
        inv.resources.extend([
            subnet("subnet-a", "vpc-1", "eu-west-1a"),
            subnet("subnet-b", "vpc-1", "eu-west-1b"),
            table("rtb-main", "vpc-1", true, &[], vec![gone]),
        ]);
        assert_eq!(statuses(&run(&VpcPrivateRouteTablePerAz, &inv)), vec![("vpc-1".into(), Status::Fail)]);
    }

    #[test]
    fn unknown_when_tables_or_subnets_are_incomplete() {
        for kind in [ResourceKind::Ec2RouteTable, ResourceKind::Ec2Subnet] {
            let mut inv = fixture();
            fail_listing(&mut inv, kind, REGION, denied("ec2:Describe"));
            let findings = run(&VpcPrivateRouteTablePerAz, &inv);
            assert!(findings.iter().all(|f| f.status == Status::Unknown), "{kind:?}");
        }
        // No main table reported: the subnet's routing is not known.
        let mut inv = inventory();
        inv.resources.extend([vpc("vpc-1"), subnet("subnet-a", "vpc-1", "eu-west-1a")]);
        let findings = run(&VpcPrivateRouteTablePerAz, &inv);
        assert_eq!(statuses(&findings), vec![("vpc-1".into(), Status::Unknown)]);
        assert!(findings[0].message.contains("subnet-a"), "{}", findings[0].message);
    }

    #[test]
    fn failed_vpc_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Vpc, REGION, denied("ec2:DescribeVpcs"));
        assert_eq!(statuses(&run(&VpcPrivateRouteTablePerAz, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
