use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags VPCs without an active flow log: a flow log in the VPC's region whose resource is the VPC itself and
    /// whose status is `ACTIVE`. Default VPCs are judged too. When no active flow log is found but the flow log
    /// list of the region could not be read completely, the VPC is UNKNOWN.
    ///
    /// ## Why is this bad?
    /// Flow logs are the only record of which addresses talked to which on which ports. Without them there is
    /// nothing to investigate an intrusion, data exfiltration or a noisy neighbour with, and GuardDuty-style
    /// detections built on your own logs have no input.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-0123 --traffic-type ALL \
    ///   --log-destination-type s3 --log-destination arn:aws:s3:::my-flow-logs
    /// ```
    /// CDK: `vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toS3(bucket), trafficType:
    /// ec2.FlowLogTrafficType.ALL })`; CloudFormation: `AWS::EC2::FlowLog` with `ResourceType: VPC`,
    /// `ResourceId: !Ref Vpc`, `TrafficType: ALL`. CIS asks for at least `REJECT` traffic; `ALL` is better.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6
    pub VpcFlowLogsEnabled {
        id: "vpc_flow_logs_enabled",
        title: "VPCs have flow logs enabled",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Vpc, ResourceKind::Ec2FlowLog],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.6"), cis("3.7")],
    }
}

impl Check for VpcFlowLogsEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let inv = cx.inventory;
        for (resource, vpc) in inv.iter::<Vpc>() {
            let region = resource.region.as_str();
            let what = if vpc.is_default { "the default VPC" } else { "the VPC" };
            let logs: Vec<(&Resource, &FlowLog)> =
                inv.iter::<FlowLog>().filter(|(r, f)| r.region == region && f.resource_id == resource.id).collect();
            let verdict = if let Some((log, _)) = logs.iter().find(|(_, f)| f.status.as_deref() == Some("ACTIVE")) {
                Verdict::Pass(format!("{what} has active flow log {}", log.id))
            } else if let Err(reason) =
                inv.listing(ResourceKind::Ec2FlowLog, region).complete(ResourceKind::Ec2FlowLog, region)
            {
                // An active flow log may be among those that could not be listed.
                Verdict::Unknown(reason)
            } else if logs.is_empty() {
                Verdict::Fail(format!("{what} has no flow log"))
            } else {
                let inactive: Vec<String> = logs
                    .iter()
                    .map(|(r, f)| format!("{} ({})", r.id, f.status.as_deref().unwrap_or("status not reported")))
                    .collect();
                Verdict::Fail(format!("{what} has no active flow log: {}", inactive.join(", ")))
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn vpc(is_default: bool) -> Vpc {
        Vpc { is_default, state: Some("available".into()), ..Default::default() }
    }

    fn flow_log(vpc: &str, status: &str) -> FlowLog {
        FlowLog {
            resource_id: vpc.into(),
            status: Some(status.into()),
            traffic_type: Some("ALL".into()),
            ..Default::default()
        }
    }

    fn message<'a>(findings: &'a [crate::finding::Finding], id: &str) -> &'a str {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.as_str()).unwrap_or_default()
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("vpc-logged", vpc(false)));
        inv.resources.push(resource("vpc-default", vpc(true)));
        inv.resources.push(resource("vpc-stale", vpc(false)));
        inv.resources.push(resource("fl-1", flow_log("vpc-logged", "ACTIVE")));
        inv.resources.push(resource("fl-2", flow_log("vpc-stale", "FAILED")));
        // A flow log on a subnet does not cover the VPC.
        inv.resources.push(resource("fl-3", flow_log("subnet-1", "ACTIVE")));
        let findings = run(&VpcFlowLogsEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("vpc-default".into(), Status::Fail),
                ("vpc-logged".into(), Status::Pass),
                ("vpc-stale".into(), Status::Fail),
            ]
        );
        assert_eq!(message(&findings, "vpc-default"), "the default VPC has no flow log");
        assert_eq!(message(&findings, "vpc-stale"), "the VPC has no active flow log: fl-2 (FAILED)");
    }

    #[test]
    fn flow_logs_in_another_region_do_not_count() {
        let mut inv = inventory();
        inv.resources.push(resource("vpc-1", vpc(false)));
        let mut elsewhere = resource("fl-1", flow_log("vpc-1", "ACTIVE"));
        elsewhere.region = "us-east-1".into();
        inv.resources.push(elsewhere);
        assert_eq!(statuses(&run(&VpcFlowLogsEnabled, &inv)), vec![("vpc-1".into(), Status::Fail)]);
    }

    #[test]
    fn failed_flow_log_listing_is_unknown_unless_an_active_log_was_seen() {
        let mut inv = inventory();
        inv.resources.push(resource("vpc-logged", vpc(false)));
        inv.resources.push(resource("vpc-none", vpc(false)));
        inv.resources.push(resource("fl-1", flow_log("vpc-logged", "ACTIVE")));
        fail_listing(&mut inv, ResourceKind::Ec2FlowLog, REGION, denied("ec2:DescribeFlowLogs"));
        let findings = run(&VpcFlowLogsEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("vpc-logged".into(), Status::Pass), ("vpc-none".into(), Status::Unknown)]
        );
        let reason = findings.iter().find(|f| f.resource.id == "vpc-none").and_then(|f| f.unknown_reason.as_ref());
        assert!(reason.is_some_and(|r| r.cause == Cause::AccessDenied && r.operation == "ec2:DescribeFlowLogs"));
    }

    #[test]
    fn failed_vpc_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Vpc, REGION, denied("ec2:DescribeVpcs"));
        let findings = run(&VpcFlowLogsEnabled, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
