//! RDS: DB instances, clusters, parameter groups.
//!
//! Everything about an instance or a cluster comes with `DescribeDBInstances` / `DescribeDBClusters`, so those
//! properties are plain values; `None` means AWS did not report the field. Parameter values and global
//! database membership come from separate calls and are [`Field`]s.

use super::Field;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `AWS::RDS::DBInstance`. Neptune and DocumentDB instances, which the RDS API also lists, are not collected.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    /// `postgres`, `mysql`, `mariadb`, `aurora-postgresql`, `oracle-ee`, `sqlserver-se`, …
    pub engine: String,
    pub engine_version: Option<String>,
    pub instance_class: Option<String>,
    pub status: Option<String>,
    /// The DB cluster (Aurora or Multi-AZ DB cluster) the instance belongs to. Storage, backups, deletion
    /// protection, log exports and the TLS parameters of such an instance are the cluster's.
    pub cluster_id: Option<String>,
    pub storage_encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub publicly_accessible: Option<bool>,
    pub multi_az: Option<bool>,
    /// Enhanced Monitoring interval in seconds; 0 when it is off.
    pub monitoring_interval: Option<i32>,
    /// Log types exported to CloudWatch Logs (`postgresql`, `error`, `audit`, …).
    pub log_exports: Vec<String>,
    /// Automated backup retention in days; 0 when automated backups are off.
    pub backup_retention_days: Option<i32>,
    pub deletion_protection: Option<bool>,
    pub performance_insights_enabled: Option<bool>,
    pub performance_insights_kms_key_id: Option<String>,
    /// DB parameter groups attached to the instance, with their apply status.
    pub parameter_groups: Vec<ParameterGroupAttachment>,
    /// Set when the instance is a read replica: the source instance id, or its ARN when it is in another
    /// region.
    pub replica_source: Option<String>,
    /// Read replicas of this instance (instance or cluster replicas): ids in the same region, ARNs in other
    /// regions.
    pub replicas: Vec<String>,
    /// ARNs of the automated backups replicated to other regions (`DBInstanceAutomatedBackupsReplications`).
    pub backup_replications: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParameterGroupAttachment {
    pub name: String,
    /// `in-sync`, `applying`, `pending-reboot`.
    pub apply_status: Option<String>,
}

/// `AWS::RDS::DBCluster`: an Aurora cluster or a Multi-AZ DB cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    pub engine: String,
    pub engine_version: Option<String>,
    pub status: Option<String>,
    pub multi_az: Option<bool>,
    pub storage_encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub deletion_protection: Option<bool>,
    pub backup_retention_days: Option<i32>,
    pub log_exports: Vec<String>,
    /// The DB cluster parameter group.
    pub parameter_group: Option<String>,
    /// Member instance ids.
    pub members: Vec<String>,
    /// Set when the cluster is a read replica of another cluster or instance (id or ARN).
    pub replication_source: Option<String>,
    /// ARNs of the clusters replicating from this one (cross-region read replica clusters).
    pub replicas: Vec<String>,
    pub global_cluster_id: Option<String>,
    /// ARNs of every cluster of the Aurora global database this cluster belongs to (itself included);
    /// `Absent` when it belongs to none.
    pub global_cluster_members: Field<Vec<String>>,
}

/// `AWS::RDS::DBParameterGroup`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbParameterGroup {
    pub family: Option<String>,
    pub description: Option<String>,
    /// The TLS parameters ([`TLS_PARAMETERS`]) the group contains, with their values (`None`: present but
    /// unset, so the engine default applies). Read only for groups in use; others are `Unknown` (not
    /// collected).
    pub tls_parameters: Field<BTreeMap<String, Option<String>>>,
}

/// `AWS::RDS::DBClusterParameterGroup`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbClusterParameterGroup {
    pub family: Option<String>,
    pub description: Option<String>,
    /// As for [`DbParameterGroup::tls_parameters`].
    pub tls_parameters: Field<BTreeMap<String, Option<String>>>,
}

/// `AWS::RDS::DBSnapshot`: a DB instance snapshot, manual or automated. A copy made from another region
/// keeps the source instance's identifier and names the region it came from: backup evidence for a database
/// in that region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbSnapshot {
    /// The identifier of the instance the snapshot was taken of (kept by copies).
    pub db_instance_id: Option<String>,
    /// `manual`, `automated`, `shared`, `public`, `awsbackup`.
    pub snapshot_type: Option<String>,
    pub status: Option<String>,
    pub engine: Option<String>,
    pub encrypted: Option<bool>,
    pub created: Option<DateTime<Utc>>,
    /// For a copy from another region: that region (`SourceRegion`).
    pub source_region: Option<String>,
}

/// The parameters that make an engine refuse unencrypted connections: `rds.force_ssl` (PostgreSQL, SQL
/// Server) and `require_secure_transport` (MySQL, MariaDB).
pub const TLS_PARAMETERS: &[&str] = &["rds.force_ssl", "require_secure_transport"];

impl DbInstance {
    pub fn is_read_replica(&self) -> bool {
        self.replica_source.is_some()
    }
}

/// The region of an RDS ARN (`arn:aws:rds:eu-west-1:123456789012:db:name`); `None` for a bare identifier.
pub fn arn_region(reference: &str) -> Option<&str> {
    let mut parts = reference.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    parts.nth(2).filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_of_an_arn_or_none_for_an_id() {
        assert_eq!(arn_region("arn:aws:rds:eu-west-1:123456789012:db:orders"), Some("eu-west-1"));
        assert_eq!(arn_region("arn:aws:rds:us-east-1:123456789012:auto-backup:ab-x"), Some("us-east-1"));
        assert_eq!(arn_region("orders-replica"), None);
        assert_eq!(arn_region("arn:aws:rds::123:db:x"), None);
    }
}
