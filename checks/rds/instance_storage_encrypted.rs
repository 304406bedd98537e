use super::super::prelude::*;
use super::Setting;

check! {
    /// ## What it does
    /// Flags RDS DB instances whose storage is not encrypted at rest. For a member of a DB cluster (Aurora or a
    /// Multi-AZ DB cluster) the cluster's setting is read, since storage belongs to the cluster.
    ///
    /// ## Why is this bad?
    /// Unencrypted storage leaves the data, its automated backups, snapshots and read replicas readable by anyone
    /// who gets hold of a copy: a snapshot shared by mistake, a restored backup in another account. Encryption
    /// with KMS also puts every decryption behind a key policy and in CloudTrail. It can only be chosen at
    /// creation, so unencrypted databases never fix themselves.
    ///
    /// ## Remediation
    /// Encryption cannot be switched on in place: snapshot the instance, copy the snapshot with a KMS key, and
    /// restore a new instance from the encrypted copy.
    /// ```sh
    /// aws rds create-db-snapshot --db-instance-identifier DB --db-snapshot-identifier DB-plain
    /// aws rds copy-db-snapshot --source-db-snapshot-identifier DB-plain \
    ///   --target-db-snapshot-identifier DB-encrypted --kms-key-id alias/rds-data
    /// aws rds restore-db-instance-from-db-snapshot --db-instance-identifier DB-new \
    ///   --db-snapshot-identifier DB-encrypted
    /// ```
    /// CDK: `new rds.DatabaseInstance(this, 'Db', { storageEncrypted: true, storageEncryptionKey: key, … })`;
    /// CloudFormation: `AWS::RDS::DBInstance` (or `AWS::RDS::DBCluster`) with `StorageEncrypted: true` and
    /// `KmsKeyId`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-3
    pub RdsInstanceStorageEncrypted {
        id: "rds_instance_storage_encrypted",
        title: "RDS DB instances have encrypted storage",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance, ResourceKind::RdsDbCluster],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.3"), cis("2.2.1")],
    }
}

impl Check for RdsInstanceStorageEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        Setting {
            field: "StorageEncrypted",
            instance: |db| db.storage_encrypted,
            cluster: |c| c.storage_encrypted,
            on: "storage is encrypted at rest",
            off: "storage is not encrypted at rest",
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
        inv.resources.push(resource("off", DbInstance { storage_encrypted: Some(false), ..db() }));
        inv.resources.push(resource("unreported", DbInstance { storage_encrypted: None, ..db() }));
        // The member itself says encrypted, the cluster says not: the cluster decides.
        inv.resources.push(resource("aurora", DbCluster { storage_encrypted: Some(false), ..cluster() }));
        inv.resources.push(resource("member", member()));
        inv.resources.push(resource("orphan", DbInstance { cluster_id: Some("gone".into()), ..member() }));
        let findings = run(&RdsInstanceStorageEncrypted, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("member".into(), Status::Fail),
                ("off".into(), Status::Fail),
                ("on".into(), Status::Pass),
                ("orphan".into(), Status::Unknown),
                ("unreported".into(), Status::Unknown),
            ]
        );
        let member = findings.iter().find(|f| f.resource.id == "member").map(|f| f.message.as_str());
        assert_eq!(member, Some("storage is not encrypted at rest (set on its cluster aurora)"));
    }

    #[test]
    fn member_of_a_cluster_that_could_not_be_listed_is_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbCluster, REGION, denied("rds:DescribeDBClusters"));
        inv.resources.push(resource("member", member()));
        let findings = run(&RdsInstanceStorageEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![("member".into(), Status::Unknown)]);
        assert!(findings[0].message.contains("rds:DescribeDBClusters"), "{}", findings[0].message);
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceStorageEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
