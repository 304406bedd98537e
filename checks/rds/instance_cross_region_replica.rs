use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags critical RDS DB instances (those carrying the marker tag, by default `Criticality=critical`) that
    /// have neither a read replica, nor automated backup replication, nor an available snapshot copy in another
    /// region. Replicas and backup replication are read on the instance itself, which lists its replicas (by ARN
    /// when they are in another region) and the automated backups replicated elsewhere, so a replica in a region
    /// this audit did not cover still counts. Snapshot copies are DB snapshots in the other audited regions whose
    /// `SourceRegion` is the instance's region and that were taken of the instance; when no copy is found and a
    /// region's snapshots could not be listed, the result is UNKNOWN.
    /// For a member of an Aurora cluster, the cluster's cross-region replica clusters and its global database
    /// count. Read replicas are not judged: they are the copy.
    ///
    /// ## Why is this bad?
    /// Multi-AZ survives the loss of a data centre, not of a region: a regional outage, a region-wide service
    /// event, or an attacker deleting the database and its same-region backups. A critical database needs a
    /// copy elsewhere to recover within its recovery objectives.
    ///
    /// ## Remediation
    /// ```sh
    /// # a cross-region read replica (run in the destination region)
    /// aws rds create-db-instance-read-replica --region eu-west-1 --db-instance-identifier DB-dr \
    ///   --source-db-instance-identifier arn:aws:rds:us-east-1:ACCOUNT:db:DB --kms-key-id alias/rds-dr
    /// # or replicate the automated backups (run in the destination region)
    /// aws rds start-db-instance-automated-backups-replication --region eu-west-1 \
    ///   --source-db-instance-arn arn:aws:rds:us-east-1:ACCOUNT:db:DB --backup-retention-period 7
    /// ```
    /// CDK: `new rds.DatabaseInstanceReadReplica(this, 'Dr', { sourceDatabaseInstance: db, … })` in a stack of
    /// the other region; CloudFormation: `AWS::RDS::DBInstance` with `SourceDBInstanceIdentifier` set to the
    /// source ARN, or an Aurora global database (`AWS::RDS::GlobalCluster`).
    ///
    /// ## Parameters
    /// - `tag_key` (string, default `"Criticality"`): the tag that marks a critical database (case-sensitive,
    ///   1 to 128 characters).
    /// - `tag_values` (list of strings, default `["critical"]`): the values that mark it, compared ignoring
    ///   case; an empty list means any value of the tag.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
    pub RdsInstanceCrossRegionReplica {
        id: "rds_instance_cross_region_replica",
        title: "Critical RDS databases are replicated to another region",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance, ResourceKind::RdsDbCluster, ResourceKind::RdsDbSnapshot],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// The tag that marks a critical database.
    pub tag_key: String,
    /// Values of that tag that mark it; empty: any value.
    pub tag_values: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params { tag_key: "Criticality".into(), tag_values: vec!["critical".into()] }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        let len = self.tag_key.chars().count();
        if len == 0 || len > 128 || self.tag_key.trim().is_empty() {
            return Err(format!("tag_key: {:?} is not a valid tag key (1 to 128 characters, not blank)", self.tag_key));
        }
        if let Some(v) = self.tag_values.iter().find(|v| v.chars().count() > 256) {
            return Err(format!("tag_values: {v:?} is longer than a tag value can be (256 characters)"));
        }
        Ok(())
    }
}

impl Params {
    /// `Ok(true)` when the tags mark the database critical; the reason when the tags could not be read.
    fn critical(&self, resource: &Resource) -> Result<bool, UnknownReason> {
        let tags = match resource.tags.known() {
            Ok(tags) => tags,
            Err(reason) => return Err(reason.clone()),
        };
        Ok(tags.and_then(|t| t.get(&self.tag_key)).is_some_and(|value| {
            self.tag_values.is_empty() || self.tag_values.iter().any(|v| v.eq_ignore_ascii_case(value))
        }))
    }
}

/// References (ids or ARNs) that point to another region than `home`, described for a message.
fn elsewhere<'a>(references: impl IntoIterator<Item = &'a String>, home: &str, what: &str) -> Vec<String> {
    references
        .into_iter()
        .filter_map(|r| {
            arn_region(r).filter(|region| *region != home).map(|region| format!("{what} in {region} ({r})"))
        })
        .collect()
}

impl Check for RdsInstanceCrossRegionReplica {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, db) in cx.inventory.iter::<DbInstance>().filter(|(_, db)| !db.is_read_replica()) {
            match params.critical(resource) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(reason) => {
                    out.unknown(resource, reason);
                    continue;
                }
            }
            out.verdict(resource, judge(cx.inventory, resource, db));
        }
    }
}

fn judge(inv: &Inventory, resource: &Resource, db: &DbInstance) -> Verdict {
    let home = resource.region.as_str();
    let mut copies = elsewhere(&db.replicas, home, "read replica");
    copies.extend(elsewhere(&db.backup_replications, home, "automated backup replication"));
    if let Some(cluster_id) = db.cluster_id.as_deref() {
        let Some((_, cluster)) = inv.find::<DbCluster>(home, cluster_id) else {
            return Verdict::Unknown(super::missing::<DbCluster>(inv, home, "DB cluster", cluster_id));
        };
        copies.extend(elsewhere(&cluster.replicas, home, "replica cluster"));
        match cluster.global_cluster_members.known() {
            Ok(members) => copies.extend(elsewhere(members.into_iter().flatten(), home, "global database cluster")),
            // Only a failure to read what could be the evidence makes the verdict unknown.
            Err(reason) if copies.is_empty() => return Verdict::Unknown(reason.clone()),
            Err(_) => {}
        }
    }
    copies.extend(snapshot_copies(inv, resource, home));
    if copies.is_empty() {
        // A snapshot copy could hide in a region whose snapshots could not be listed.
        if let Some(reason) = inv.regions.iter().filter(|r| *r != home).find_map(|region| {
            inv.listing(ResourceKind::RdsDbSnapshot, region).complete(ResourceKind::RdsDbSnapshot, region).err()
        }) {
            return Verdict::Unknown(reason);
        }
        let local = db.replicas.iter().filter(|r| arn_region(r).is_none_or(|region| region == home)).count();
        let note = if local > 0 { format!(" ({local} read replica(s) in {home} only)") } else { String::new() };
        Verdict::Fail(format!(
            "no read replica, automated backup replication or snapshot copy in another region{note}; snapshot \
             copies were looked for in the audited regions ({})",
            inv.regions.join(", ")
        ))
    } else {
        Verdict::Pass(copies.join("; "))
    }
}

/// The newest available snapshot in another audited region copied from this instance's region and taken of it
/// (a copy keeps the source instance's identifier), described for a message.
fn snapshot_copies(inv: &Inventory, resource: &Resource, home: &str) -> Vec<String> {
    inv.iter::<DbSnapshot>()
        .filter(|(r, s)| {
            r.region != home
                && s.source_region.as_deref() == Some(home)
                && s.db_instance_id.as_deref() == Some(resource.id.as_str())
                && s.status.as_deref() == Some("available")
        })
        .max_by_key(|(_, s)| s.created)
        .map(|(r, s)| match s.created {
            Some(at) => format!("snapshot copy in {} ({}, {})", r.region, r.id, at.format("%Y-%m-%d")),
            None => format!("snapshot copy in {} ({})", r.region, r.id),
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cluster, db, member};
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn critical(id: &str, props: impl Into<Properties>) -> Resource {
        let mut r = resource(id, props);
        r.tags = Field::Known([("Criticality".to_string(), "Critical".to_string())].into());
        r
    }

    const REMOTE: &str = "arn:aws:rds:us-east-1:123456789012:db:orders-dr";

    #[test]
    fn pass_fail_unknown_and_unmarked() {
        let mut inv = inventory();
        inv.resources.push(critical("replicated", DbInstance { replicas: vec![REMOTE.into()], ..db() }));
        let backups = vec!["arn:aws:rds:us-east-1:123456789012:auto-backup:ab-1".to_string()];
        inv.resources.push(critical("backed-up", DbInstance { backup_replications: backups, ..db() }));
        inv.resources.push(critical("local-only", DbInstance { replicas: vec!["orders-ro".into()], ..db() }));
        inv.resources.push(critical("alone", db()));
        let mut untagged = critical("tags-unknown", db());
        untagged.tags = Field::Unknown(denied("rds:ListTagsForResource"));
        inv.resources.push(untagged);
        // Not judged: not marked critical, or a replica itself.
        inv.resources.push(resource("ordinary", db()));
        inv.resources.push(critical("replica", DbInstance { replica_source: Some(REMOTE.into()), ..db() }));
        let findings = run(&RdsInstanceCrossRegionReplica, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("alone".into(), Status::Fail),
                ("backed-up".into(), Status::Pass),
                ("local-only".into(), Status::Fail),
                ("replicated".into(), Status::Pass),
                ("tags-unknown".into(), Status::Unknown),
            ]
        );
        let message = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(message("replicated"), Some(format!("read replica in us-east-1 ({REMOTE})")));
        assert_eq!(
            message("local-only"),
            Some(
                "no read replica, automated backup replication or snapshot copy in another region (1 read \
                 replica(s) in eu-west-1 only); snapshot copies were looked for in the audited regions (eu-west-1)"
                    .into()
            )
        );
    }

    #[test]
    fn aurora_members_count_the_cluster_replicas_and_global_database() {
        let mut inv = inventory();
        let remote_cluster = "arn:aws:rds:us-east-1:123456789012:cluster:orders-dr".to_string();
        inv.resources.push(resource("aurora", DbCluster { replicas: vec![remote_cluster.clone()], ..cluster() }));
        inv.resources.push(critical("member", member()));
        let own = format!("arn:aws:rds:{REGION}:123456789012:cluster:global-a");
        let global = DbCluster {
            global_cluster_id: Some("g".into()),
            global_cluster_members: Field::Known(vec![own.clone(), remote_cluster]),
            ..cluster()
        };
        inv.resources.push(resource("global", global));
        inv.resources.push(critical("global-member", DbInstance { cluster_id: Some("global".into()), ..member() }));
        let unread = DbCluster {
            global_cluster_id: Some("g".into()),
            global_cluster_members: Field::Unknown(denied("rds:DescribeGlobalClusters")),
            ..cluster()
        };
        inv.resources.push(resource("unread", unread));
        inv.resources.push(critical("unread-member", DbInstance { cluster_id: Some("unread".into()), ..member() }));
        inv.resources
            .push(resource("lonely", DbCluster { global_cluster_members: Field::Known(vec![own]), ..cluster() }));
        inv.resources.push(critical("lonely-member", DbInstance { cluster_id: Some("lonely".into()), ..member() }));
        let findings = run(&RdsInstanceCrossRegionReplica, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("global-member".into(), Status::Pass),
                ("lonely-member".into(), Status::Fail),
                ("member".into(), Status::Pass),
                ("unread-member".into(), Status::Unknown),
            ]
        );
    }

    #[test]
    fn the_marker_tag_is_a_parameter() {
        let mut inv = inventory();
        let mut tier = resource("tier1", db());
        tier.tags = Field::Known([("tier".to_string(), "1".to_string())].into());
        inv.resources.push(tier);
        inv.resources.push(critical("default-marker", db()));
        let findings =
            run_with(&RdsInstanceCrossRegionReplica, &inv, Some(json!({ "tag_key": "tier", "tag_values": [] })));
        assert_eq!(statuses(&findings), vec![("tier1".into(), Status::Fail)]);
    }

    #[test]
    fn validation_names_the_parameter() {
        let err = Params { tag_key: " ".into(), ..Params::default() }.validate().unwrap_err();
        assert!(err.contains("tag_key"), "{err}");
        let err = Params { tag_values: vec!["x".repeat(257)], ..Params::default() }.validate().unwrap_err();
        assert!(err.contains("tag_values"), "{err}");
        assert_eq!(Params::default().validate(), Ok(()));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceCrossRegionReplica, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }

    /// A second audited region, every kind listed there.
    fn two_regions() -> Inventory {
        let mut inv = inventory();
        inv.regions.push(OTHER.into());
        for kind in ResourceKind::ALL.iter().filter(|k| !k.is_global()) {
            inv.listings.push(Listing { kind: *kind, region: OTHER.into(), error: None });
        }
        inv
    }

    const OTHER: &str = "us-east-1";

    fn copy_of(instance: &str, source_region: &str, status: &str) -> Resource {
        let mut r = resource(
            &format!("{instance}-copy"),
            DbSnapshot {
                db_instance_id: Some(instance.into()),
                snapshot_type: Some("manual".into()),
                status: Some(status.into()),
                source_region: Some(source_region.into()),
                created: chrono::DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z").ok().map(|t| t.to_utc()),
                ..Default::default()
            },
        );
        r.region = OTHER.into();
        r
    }

    #[test]
    fn a_snapshot_copy_in_another_region_is_a_backup_copy() {
        let mut inv = two_regions();
        inv.resources.push(critical("copied", db()));
        inv.resources.push(copy_of("copied", REGION, "available"));
        inv.resources.push(critical("copying", db()));
        inv.resources.push(copy_of("copying", REGION, "creating"));
        inv.resources.push(critical("elsewhere", db()));
        inv.resources.push(copy_of("elsewhere", "ap-south-1", "available"));
        let findings = run(&RdsInstanceCrossRegionReplica, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("copied".into(), Status::Pass), ("copying".into(), Status::Fail), ("elsewhere".into(), Status::Fail),]
        );
        let pass = findings.iter().find(|f| f.resource.id == "copied").map(|f| f.message.as_str());
        assert_eq!(pass, Some("snapshot copy in us-east-1 (copied-copy, 2026-11-20)"));
        let fail = findings.iter().find(|f| f.resource.id == "copying").map(|f| f.message.clone());
        assert!(fail.unwrap_or_default().ends_with("audited regions (eu-west-1, us-east-1)"));
    }

    #[test]
    fn unlisted_snapshots_elsewhere_make_a_missing_copy_unknown() {
        let mut inv = two_regions();
        inv.resources.push(critical("alone", db()));
        inv.resources.push(critical("replicated", DbInstance { replicas: vec![REMOTE.into()], ..db() }));
        fail_listing(&mut inv, ResourceKind::RdsDbSnapshot, OTHER, denied("rds:DescribeDBSnapshots"));
        let findings = run(&RdsInstanceCrossRegionReplica, &inv);
        assert_eq!(statuses(&findings), vec![("alone".into(), Status::Unknown), ("replicated".into(), Status::Pass)]);
    }
}
