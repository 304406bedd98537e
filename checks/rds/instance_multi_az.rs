use super::super::prelude::*;
use super::Setting;

check! {
    /// ## What it does
    /// Flags RDS DB instances deployed in a single Availability Zone. For a member of a DB cluster (Aurora or a
    /// Multi-AZ DB cluster) the cluster's Multi-AZ status is read: a cluster is Multi-AZ when its instances span
    /// several zones, while each member reports itself as single-AZ.
    ///
    /// ## Why is this bad?
    /// A single-AZ database goes down with its zone, and during maintenance that needs a reboot. Multi-AZ keeps
    /// a synchronous standby in another zone and fails over to it automatically, usually within a minute or two,
    /// without data loss.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --multi-az --apply-immediately
    /// ```
    /// For Aurora, add a reader in another zone: `aws rds create-db-instance --db-cluster-identifier CLUSTER
    /// --db-instance-identifier CLUSTER-reader --engine aurora-postgresql --db-instance-class db.r6g.large
    /// --availability-zone eu-west-1b`. CDK: `new rds.DatabaseInstance(this, 'Db', { multiAz: true, … })`;
    /// CloudFormation: `AWS::RDS::DBInstance` with `MultiAZ: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-5
    pub RdsInstanceMultiAz {
        id: "rds_instance_multi_az",
        title: "RDS DB instances are deployed across multiple Availability Zones",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance, ResourceKind::RdsDbCluster],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.5"), cis("2.2.4")],
    }
}

impl Check for RdsInstanceMultiAz {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        Setting {
            field: "MultiAZ",
            instance: |db| db.multi_az,
            cluster: |c| c.multi_az,
            on: "Multi-AZ deployment",
            off: "single-AZ deployment",
        }
        .judge_all(cx.inventory, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cluster, db, member};
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail_unknown_and_cluster_members() {
        let mut inv = inventory();
        inv.resources.push(resource("multi", db()));
        inv.resources.push(resource("single", DbInstance { multi_az: Some(false), ..db() }));
        inv.resources.push(resource("unreported", DbInstance { multi_az: None, ..db() }));
        // The member reports single-AZ, as AWS does for cluster members; the cluster is Multi-AZ.
        inv.resources.push(resource("aurora", cluster()));
        inv.resources.push(resource("member", member()));
        let findings = run(&RdsInstanceMultiAz, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("member".into(), Status::Pass),
                ("multi".into(), Status::Pass),
                ("single".into(), Status::Fail),
                ("unreported".into(), Status::Unknown),
            ]
        );
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceMultiAz, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
