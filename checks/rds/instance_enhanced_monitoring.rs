use super::super::prelude::*;
use super::reported;

check! {
    /// ## What it does
    /// Flags RDS DB instances without Enhanced Monitoring (a monitoring interval of 0). Set per instance, Aurora
    /// members included.
    ///
    /// ## Why is this bad?
    /// CloudWatch's standard RDS metrics come from the hypervisor once a minute. Enhanced Monitoring adds
    /// operating-system metrics from an agent on the instance (per-process CPU and memory, file system, swap)
    /// at up to one-second resolution: what is needed to tell a runaway query from a noisy neighbour or a
    /// resource exhaustion attack while it happens.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --monitoring-interval 60 \
    ///   --monitoring-role-arn arn:aws:iam::ACCOUNT:role/rds-monitoring-role --apply-immediately
    /// ```
    /// CDK: `new rds.DatabaseInstance(this, 'Db', { monitoringInterval: Duration.seconds(60), … })`;
    /// CloudFormation: `AWS::RDS::DBInstance` with `MonitoringInterval: 60` and `MonitoringRoleArn`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-6
    pub RdsInstanceEnhancedMonitoring {
        id: "rds_instance_enhanced_monitoring",
        title: "RDS DB instances have Enhanced Monitoring enabled",
        severity: Severity::Low,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.6")],
    }
}

impl Check for RdsInstanceEnhancedMonitoring {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, db) in cx.inventory.iter::<DbInstance>() {
            let verdict = match reported(db.monitoring_interval, "MonitoringInterval") {
                Ok(seconds) if seconds > 0 => Verdict::Pass(format!("Enhanced Monitoring every {seconds} s")),
                Ok(_) => Verdict::Fail("Enhanced Monitoring is off (monitoring interval 0)".into()),
                Err(reason) => Verdict::Unknown(reason),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::db;
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("on", db()));
        inv.resources.push(resource("off", DbInstance { monitoring_interval: Some(0), ..db() }));
        inv.resources.push(resource("unreported", DbInstance { monitoring_interval: None, ..db() }));
        let findings = run(&RdsInstanceEnhancedMonitoring, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("off".into(), Status::Fail), ("on".into(), Status::Pass), ("unreported".into(), Status::Unknown)]
        );
        let on = findings.iter().find(|f| f.resource.id == "on").map(|f| f.message.as_str());
        assert_eq!(on, Some("Enhanced Monitoring every 60 s"));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceEnhancedMonitoring, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
