use super::super::prelude::*;
use super::Setting;

check! {
    /// ## What it does
    /// Flags RDS DB instances without deletion protection. For a member of a DB cluster (Aurora or a Multi-AZ
    /// DB cluster) the cluster's deletion protection is read: that is what stops the database from being
    /// deleted, and AWS reports it off on every member.
    ///
    /// ## Why is this bad?
    /// Without it, one API call (a mistaken script, a `terraform destroy`, a compromised credential) deletes the
    /// database, and with it the automated backups unless a final snapshot was asked for. Deletion protection
    /// makes deletion a deliberate two-step act.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --deletion-protection --apply-immediately
    /// aws rds modify-db-cluster --db-cluster-identifier CLUSTER --deletion-protection --apply-immediately
    /// ```
    /// CDK: `new rds.DatabaseInstance(this, 'Db', { deletionProtection: true, … })`; CloudFormation:
    /// `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` with `DeletionProtection: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeleteInstance.DeletionProtection
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-8
    pub RdsInstanceDeletionProtection {
        id: "rds_instance_deletion_protection",
        title: "RDS DB instances have deletion protection enabled",
        severity: Severity::Low,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance, ResourceKind::RdsDbCluster],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.8")],
    }
}

impl Check for RdsInstanceDeletionProtection {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        Setting {
            field: "DeletionProtection",
            instance: |db| db.deletion_protection,
            cluster: |c| c.deletion_protection,
            on: "deletion protection is enabled",
            off: "deletion protection is disabled",
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
        inv.resources.push(resource("on", db()));
        inv.resources.push(resource("off", DbInstance { deletion_protection: Some(false), ..db() }));
        inv.resources.push(resource("unreported", DbInstance { deletion_protection: None, ..db() }));
        inv.resources.push(resource("aurora", cluster()));
        inv.resources.push(resource("member", member()));
        inv.resources.push(resource("bare", DbCluster { deletion_protection: None, ..cluster() }));
        inv.resources.push(resource("bare-member", DbInstance { cluster_id: Some("bare".into()), ..member() }));
        let findings = run(&RdsInstanceDeletionProtection, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("bare-member".into(), Status::Unknown),
                ("member".into(), Status::Pass),
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
        let findings = run(&RdsInstanceDeletionProtection, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
