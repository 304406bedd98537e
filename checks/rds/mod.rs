use crate::check::{DynCheck, Findings, Verdict};
use crate::model::{Cause, DbCluster, DbInstance, Inventory, KindProperties, Resource, UnknownReason};

pub mod instance_backup_enabled;
pub mod instance_cross_region_replica;
pub mod instance_deletion_protection;
pub mod instance_engine_version;
pub mod instance_enhanced_monitoring;
pub mod instance_log_exports;
pub mod instance_multi_az;
pub mod instance_not_public;
pub mod instance_performance_insights;
pub mod instance_storage_encrypted;
pub mod instance_transport_encrypted;

pub static CHECKS: &[&dyn DynCheck] = &[
    &instance_storage_encrypted::RdsInstanceStorageEncrypted,
    &instance_not_public::RdsInstanceNotPublic,
    &instance_multi_az::RdsInstanceMultiAz,
    &instance_transport_encrypted::RdsInstanceTransportEncrypted,
    &instance_enhanced_monitoring::RdsInstanceEnhancedMonitoring,
    &instance_log_exports::RdsInstanceLogExports,
    &instance_backup_enabled::RdsInstanceBackupEnabled,
    &instance_deletion_protection::RdsInstanceDeletionProtection,
    &instance_performance_insights::RdsInstancePerformanceInsights,
    &instance_engine_version::RdsInstanceEngineVersion,
    &instance_cross_region_replica::RdsInstanceCrossRegionReplica,
];

/// Where an instance's storage, backup, deletion-protection, log and TLS settings live: on the instance, or,
/// for a member of a DB cluster (Aurora or Multi-AZ DB cluster), on the cluster.
pub enum Settings<'a> {
    Instance(&'a DbInstance),
    Cluster { id: &'a str, cluster: &'a DbCluster },
}

impl<'a> Settings<'a> {
    /// The instance's own settings, or its cluster's; unknown when the cluster was not seen.
    pub fn of(inv: &'a Inventory, resource: &Resource, db: &'a DbInstance) -> Result<Self, UnknownReason> {
        let Some(id) = db.cluster_id.as_deref() else { return Ok(Settings::Instance(db)) };
        match inv.find::<DbCluster>(&resource.region, id) {
            Some((cluster, props)) => Ok(Settings::Cluster { id: &cluster.id, cluster: props }),
            None => Err(missing::<DbCluster>(inv, &resource.region, "DB cluster", id)),
        }
    }

    /// One setting, from the instance or the cluster, with where it was read (`""` or ` (cluster X)`) for
    /// messages.
    pub fn get<T>(
        &self,
        field: &str,
        instance: impl Fn(&DbInstance) -> Option<T>,
        cluster: impl Fn(&DbCluster) -> Option<T>,
    ) -> Result<(T, String), UnknownReason> {
        match self {
            Settings::Instance(db) => Ok((reported(instance(db), field)?, String::new())),
            Settings::Cluster { id, cluster: c } => {
                let value = cluster(c).ok_or_else(|| {
                    UnknownReason::new(Cause::Malformed, "rds:DescribeDBClusters", format!("no {field} reported"))
                })?;
                Ok((value, format!(" (set on its cluster {id})")))
            }
        }
    }
}

/// An on/off setting every DB instance is judged on, read from its cluster for members: PASS when on, FAIL when
/// off, UNKNOWN when not reported or the cluster was not seen.
pub struct Setting {
    /// The API field name, for UNKNOWN reasons.
    pub field: &'static str,
    pub instance: fn(&DbInstance) -> Option<bool>,
    pub cluster: fn(&DbCluster) -> Option<bool>,
    /// What the PASS and FAIL messages say.
    pub on: &'static str,
    pub off: &'static str,
}

impl Setting {
    pub fn judge_all(&self, inv: &Inventory, out: &mut Findings<'_>) {
        for (resource, db) in inv.iter::<DbInstance>() {
            let verdict = Settings::of(inv, resource, db)
                .and_then(|s| s.get(self.field, self.instance, self.cluster))
                .map_or_else(Verdict::Unknown, |(on, via)| {
                    if on {
                        Verdict::Pass(format!("{}{via}", self.on))
                    } else {
                        Verdict::Fail(format!("{}{via}", self.off))
                    }
                });
            out.verdict(resource, verdict);
        }
    }
}

/// A field DescribeDBInstances should always report.
pub fn reported<T>(value: Option<T>, field: &str) -> Result<T, UnknownReason> {
    value.ok_or_else(|| UnknownReason::new(Cause::Malformed, "rds:DescribeDBInstances", format!("no {field} reported")))
}

/// Why a resource an instance refers to is not in the inventory: its listing failed or was not collected, or
/// (listing complete) AWS returned a reference to something it did not list.
pub fn missing<P: KindProperties>(inv: &Inventory, region: &str, what: &str, name: &str) -> UnknownReason {
    match inv.listing(P::KIND, region).complete(P::KIND, region) {
        Err(reason) => reason,
        Ok(()) => UnknownReason::new(
            Cause::Dependency,
            format!("list {} in {region}", P::KIND),
            format!("{what} {name} was not in the listing"),
        ),
    }
}

#[cfg(test)]
pub mod fixtures {
    use crate::model::*;

    /// A single-AZ-free, fully configured PostgreSQL instance: every RDS check passes on it.
    pub fn db() -> DbInstance {
        DbInstance {
            engine: "postgres".into(),
            engine_version: Some("16.3".into()),
            instance_class: Some("db.m6g.large".into()),
            status: Some("available".into()),
            cluster_id: None,
            storage_encrypted: Some(true),
            kms_key_id: Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()),
            publicly_accessible: Some(false),
            multi_az: Some(true),
            monitoring_interval: Some(60),
            log_exports: vec!["postgresql".into(), "upgrade".into()],
            backup_retention_days: Some(7),
            deletion_protection: Some(true),
            performance_insights_enabled: Some(true),
            performance_insights_kms_key_id: Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()),
            parameter_groups: vec![ParameterGroupAttachment {
                name: "secure-pg".into(),
                apply_status: Some("in-sync".into()),
            }],
            replica_source: None,
            replicas: Vec::new(),
            backup_replications: Vec::new(),
        }
    }

    /// An Aurora PostgreSQL cluster with every setting good.
    pub fn cluster() -> DbCluster {
        DbCluster {
            engine: "aurora-postgresql".into(),
            engine_version: Some("16.2".into()),
            status: Some("available".into()),
            multi_az: Some(true),
            storage_encrypted: Some(true),
            kms_key_id: Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()),
            deletion_protection: Some(true),
            backup_retention_days: Some(14),
            log_exports: vec!["postgresql".into()],
            parameter_group: Some("secure-cluster-pg".into()),
            members: vec!["member".into()],
            replication_source: None,
            replicas: Vec::new(),
            global_cluster_id: None,
            global_cluster_members: Field::Absent,
        }
    }

    /// A member instance of [`cluster`] (id `aurora`); its own cluster-level fields are what AWS reports for
    /// members (off), so a check that reads them instead of the cluster's fails.
    pub fn member() -> DbInstance {
        DbInstance {
            engine: "aurora-postgresql".into(),
            cluster_id: Some("aurora".into()),
            multi_az: Some(false),
            deletion_protection: Some(false),
            backup_retention_days: Some(1),
            log_exports: Vec::new(),
            parameter_groups: vec![ParameterGroupAttachment {
                name: "default.aurora-postgresql16".into(),
                apply_status: Some("in-sync".into()),
            }],
            ..db()
        }
    }
}
