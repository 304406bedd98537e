use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 instances that have a public IPv4 address (auto-assigned or an Elastic IP). Instances that are
    /// running, stopped, pending or stopping are judged; instances shutting down or terminated are not.
    ///
    /// ## Why is this bad?
    /// A public address makes the instance directly reachable from the internet: its security group and
    /// operating system are the only protection left, and one permissive rule exposes it. Workloads should sit in
    /// private subnets behind a load balancer, with NAT or VPC endpoints for outbound traffic and SSM Session
    /// Manager for administration.
    ///
    /// ## Remediation
    /// Move the workload to a private subnet (a public address cannot be removed from a running instance):
    /// ```sh
    /// aws ec2 modify-subnet-attribute --subnet-id subnet-0123 --no-map-public-ip-on-launch
    /// aws ec2 disassociate-address --association-id eipassoc-0123   # for an Elastic IP
    /// ```
    /// CDK: `new ec2.Instance(this, 'I', { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    /// associatePublicIpAddress: false, ... })`; CloudFormation: `NetworkInterfaces: [{ DeviceIndex: 0,
    /// AssociatePublicIpAddress: false, SubnetId: !Ref PrivateSubnet }]`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-9
    pub Ec2InstanceNoPublicIp {
        id: "ec2_instance_no_public_ip",
        title: "EC2 instances do not have a public IPv4 address",
        severity: Severity::High,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Instance],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.9")],
    }
}

impl Check for Ec2InstanceNoPublicIp {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, instance) in cx.inventory.iter::<Instance>() {
            // Instances on their way out will lose their address anyway.
            if matches!(instance.state.as_deref(), Some("shutting-down" | "terminated")) {
                continue;
            }
            match &instance.public_ip {
                Some(ip) => out.fail(resource, format!("the instance has public IP address {ip}")),
                None => out.pass(resource, "the instance has no public IP address"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn instance(state: &str, public_ip: Option<&str>) -> Instance {
        Instance {
            state: Some(state.into()),
            public_ip: public_ip.map(String::from),
            private_ip: Some("10.0.1.10".into()),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("i-private", instance("running", None)));
        inv.resources.push(resource("i-public", instance("running", Some("203.0.113.7"))));
        inv.resources.push(resource("i-eip", instance("stopped", Some("198.51.100.1"))));
        inv.resources.push(resource("i-gone", instance("terminated", Some("203.0.113.8"))));
        let findings = run(&Ec2InstanceNoPublicIp, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("i-eip".into(), Status::Fail), ("i-private".into(), Status::Pass), ("i-public".into(), Status::Fail)]
        );
        let public = findings.iter().find(|f| f.resource.id == "i-public").map(|f| f.message.as_str());
        assert_eq!(public, Some("the instance has public IP address 203.0.113.7"));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Instance, REGION, denied("ec2:DescribeInstances"));
        let findings = run(&Ec2InstanceNoPublicIp, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
