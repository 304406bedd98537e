use super::super::prelude::*;
use super::Settings;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags RDS DB instances whose automated backups are off (retention 0) or kept fewer days than the minimum
    /// (default 7). Read replicas are not judged: their source's backups protect the data. For a member of a DB
    /// cluster the cluster's retention is read.
    ///
    /// ## Why is this bad?
    /// Automated backups give point-in-time recovery: after a bad migration, a ransomware `DROP`, or corruption
    /// noticed days later, the database can be restored to the second before. Without them, or with a window
    /// shorter than the time it takes to notice a problem, the data is gone.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --backup-retention-period 7 --apply-immediately
    /// ```
    /// CDK: `new rds.DatabaseInstance(this, 'Db', { backupRetention: Duration.days(7), … })`; CloudFormation:
    /// `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` with `BackupRetentionPeriod: 7`.
    ///
    /// ## Parameters
    /// - `minimum_retention_days` (integer, default `7`): the fewest days of automated backups to keep, 1 to 35
    ///   (the RDS maximum).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-11
    pub RdsInstanceBackupEnabled {
        id: "rds_instance_backup_enabled",
        title: "RDS DB instances keep automated backups long enough",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance, ResourceKind::RdsDbCluster],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.11")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// The fewest days of automated backups to keep.
    pub minimum_retention_days: i64,
}

impl Default for Params {
    fn default() -> Self {
        Params { minimum_retention_days: 7 }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        if !(1..=35).contains(&self.minimum_retention_days) {
            return Err(format!(
                "minimum_retention_days: {} is out of range (1 to 35 days, the longest RDS keeps automated backups)",
                self.minimum_retention_days
            ));
        }
        Ok(())
    }
}

impl Check for RdsInstanceBackupEnabled {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        let minimum = params.minimum_retention_days;
        for (resource, db) in cx.inventory.iter::<DbInstance>().filter(|(_, db)| !db.is_read_replica()) {
            let verdict = Settings::of(cx.inventory, resource, db)
                .and_then(|s| s.get("BackupRetentionPeriod", |i| i.backup_retention_days, |c| c.backup_retention_days))
                .map_or_else(Verdict::Unknown, |(days, via)| match i64::from(days) {
                    0 => Verdict::Fail(format!("automated backups are off{via}")),
                    d if d < minimum => {
                        Verdict::Fail(format!("automated backups are kept {d} days, fewer than {minimum}{via}"))
                    }
                    d => Verdict::Pass(format!("automated backups are kept {d} days{via}")),
                });
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cluster, db, member};
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn retention(days: Option<i32>) -> DbInstance {
        DbInstance { backup_retention_days: days, ..db() }
    }

    #[test]
    fn pass_fail_unknown_replicas_and_cluster_members() {
        let mut inv = inventory();
        inv.resources.push(resource("week", retention(Some(7))));
        inv.resources.push(resource("short", retention(Some(3))));
        inv.resources.push(resource("off", retention(Some(0))));
        inv.resources.push(resource("unreported", retention(None)));
        // Not judged: a read replica.
        inv.resources
            .push(resource("replica", DbInstance { replica_source: Some("week".into()), ..retention(Some(0)) }));
        // The member reports 1 day; the cluster keeps 14.
        inv.resources.push(resource("aurora", cluster()));
        inv.resources.push(resource("member", member()));
        let findings = run(&RdsInstanceBackupEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("member".into(), Status::Pass),
                ("off".into(), Status::Fail),
                ("short".into(), Status::Fail),
                ("unreported".into(), Status::Unknown),
                ("week".into(), Status::Pass),
            ]
        );
        let short = findings.iter().find(|f| f.resource.id == "short").map(|f| f.message.as_str());
        assert_eq!(short, Some("automated backups are kept 3 days, fewer than 7"));
    }

    #[test]
    fn the_minimum_is_a_parameter() {
        let mut inv = inventory();
        inv.resources.push(resource("short", retention(Some(3))));
        let findings = run_with(&RdsInstanceBackupEnabled, &inv, Some(json!({ "minimum_retention_days": 3 })));
        assert_eq!(statuses(&findings), vec![("short".into(), Status::Pass)]);
    }

    #[test]
    fn validation_names_the_parameter() {
        for bad in [0, -7, 36] {
            let err = Params { minimum_retention_days: bad }.validate().unwrap_err();
            assert!(err.contains("minimum_retention_days") && err.contains(&bad.to_string()), "{err}");
        }
        assert_eq!(Params::default().validate(), Ok(()));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceBackupEnabled, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
