use super::super::prelude::*;
use super::reported;

check! {
    /// ## What it does
    /// Flags RDS DB instances without Performance Insights, or with Performance Insights whose data has no
    /// KMS key reported. Set per instance, Aurora members included.
    ///
    /// ## Why is this bad?
    /// Performance Insights records database load by wait event, SQL statement, host and user. Without it there
    /// is no history to find which statements slowed the database down, or which client hammered it, once the
    /// moment has passed. Its data contains SQL text, so it must be encrypted with a KMS key under your control.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --enable-performance-insights \
    ///   --performance-insights-kms-key-id alias/rds-data --apply-immediately
    /// ```
    /// CDK: `new rds.DatabaseInstance(this, 'Db', { enablePerformanceInsights: true,
    /// performanceInsightEncryptionKey: key, … })`; CloudFormation: `AWS::RDS::DBInstance` with
    /// `EnablePerformanceInsights: true` and `PerformanceInsightsKMSKeyId`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.html
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.html
    pub RdsInstancePerformanceInsights {
        id: "rds_instance_performance_insights",
        title: "RDS DB instances have Performance Insights enabled with a KMS key",
        severity: Severity::Low,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for RdsInstancePerformanceInsights {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, db) in cx.inventory.iter::<DbInstance>() {
            let verdict = match reported(db.performance_insights_enabled, "PerformanceInsightsEnabled") {
                Ok(false) => Verdict::Fail("Performance Insights is off".into()),
                Ok(true) => match db.performance_insights_kms_key_id.as_deref().filter(|k| !k.is_empty()) {
                    Some(key) => Verdict::Pass(format!("Performance Insights is on, encrypted with {key}")),
                    None => Verdict::Fail("Performance Insights is on but no KMS key is reported for its data".into()),
                },
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
        inv.resources.push(resource("off", DbInstance { performance_insights_enabled: Some(false), ..db() }));
        inv.resources.push(resource("no-key", DbInstance { performance_insights_kms_key_id: None, ..db() }));
        inv.resources.push(resource("unreported", DbInstance { performance_insights_enabled: None, ..db() }));
        let findings = run(&RdsInstancePerformanceInsights, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("no-key".into(), Status::Fail),
                ("off".into(), Status::Fail),
                ("on".into(), Status::Pass),
                ("unreported".into(), Status::Unknown),
            ]
        );
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstancePerformanceInsights, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
