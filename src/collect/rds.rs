//! RDS DB instances, clusters, DB snapshots, and DB (cluster) parameter groups with their TLS parameters, per
//! region.
//!
//! Replication evidence is read from the source side: an instance lists its read replicas (ARNs for those in
//! other regions) and the automated backups replicated to other regions, and a cluster lists its cross-region
//! replica clusters and its global database. So a replica in a region this run does not audit is still seen,
//! and no cross-region call is needed.

use super::scope::{Scope, tags, time};
use super::session::client;
use crate::model::{
    Cause, DbCluster, DbClusterParameterGroup, DbInstance, DbParameterGroup, DbSnapshot, Field, KindProperties,
    ParameterGroupAttachment, Properties, TLS_PARAMETERS, UnknownReason,
};
use futures::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Parameter groups read at once within one region.
const GROUP_CONCURRENCY: usize = 16;

type TlsParameters = Field<BTreeMap<String, Option<String>>>;
type Tags = BTreeMap<String, String>;

/// One described resource before it is recorded: properties, id, ARN, tags.
struct Described<P> {
    props: P,
    id: String,
    arn: String,
    tags: Tags,
}

/// A parameter group as listed.
struct GroupRow {
    name: String,
    arn: Option<String>,
    family: Option<String>,
    description: Option<String>,
}

/// Engines the RDS API also lists but that belong to other services (Neptune, DocumentDB).
fn other_service(engine: &str) -> bool {
    matches!(engine, "neptune" | "docdb")
}

pub async fn collect(scope: Scope, _audited: Arc<[String]>) {
    let rds = client!(&scope.session, aws_sdk_rds, "rds", &scope.region);
    let (instances, clusters, groups, cluster_groups, snapshots) = tokio::join!(
        scope.pages("DescribeDBInstances", rds.describe_db_instances().into_paginator().send()),
        scope.pages("DescribeDBClusters", rds.describe_db_clusters().into_paginator().send()),
        scope.pages("DescribeDBParameterGroups", rds.describe_db_parameter_groups().into_paginator().send()),
        scope.pages(
            "DescribeDBClusterParameterGroups",
            rds.describe_db_cluster_parameter_groups().into_paginator().send()
        ),
        scope.pages("DescribeDBSnapshots", rds.describe_db_snapshots().into_paginator().send()),
    );
    let snapshots: Result<Vec<Described<DbSnapshot>>, UnknownReason> = snapshots
        .map(|pages| pages.iter().flat_map(|p| p.db_snapshots()).filter_map(|s| snapshot(&scope, s)).collect());
    let instances: Result<Vec<Described<DbInstance>>, UnknownReason> = instances
        .map(|pages| pages.iter().flat_map(|p| p.db_instances()).filter_map(|db| instance(&scope, db)).collect());
    let clusters: Result<Vec<Described<DbCluster>>, UnknownReason> =
        clusters.map(|pages| pages.iter().flat_map(|p| p.db_clusters()).filter_map(|c| cluster(&scope, c)).collect());
    let groups = groups.map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.db_parameter_groups())
            .filter_map(|g| {
                Some(GroupRow {
                    name: g.db_parameter_group_name()?.to_string(),
                    arn: g.db_parameter_group_arn().map(String::from),
                    family: g.db_parameter_group_family().map(String::from),
                    description: g.description().map(String::from),
                })
            })
            .collect::<Vec<_>>()
    });
    let cluster_groups = cluster_groups.map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.db_cluster_parameter_groups())
            .filter_map(|g| {
                Some(GroupRow {
                    name: g.db_cluster_parameter_group_name()?.to_string(),
                    arn: g.db_cluster_parameter_group_arn().map(String::from),
                    family: g.db_parameter_group_family().map(String::from),
                    description: g.description().map(String::from),
                })
            })
            .collect::<Vec<_>>()
    });

    // Only the parameters of groups in use are read. A cluster member's TLS settings are its cluster's.
    let used_groups: BTreeSet<String> = instances
        .iter()
        .flatten()
        .filter(|i| i.props.cluster_id.is_none())
        .flat_map(|i| i.props.parameter_groups.iter().map(|g| g.name.clone()))
        .collect();
    let used_cluster_groups: BTreeSet<String> =
        clusters.iter().flatten().filter_map(|c| c.props.parameter_group.clone()).collect();
    let needs_global = clusters.iter().flatten().any(|c| c.props.global_cluster_id.is_some());
    let (group_params, cluster_group_params, global) = tokio::join!(
        read_parameters(&scope, &rds, used_groups, false),
        read_parameters(&scope, &rds, used_cluster_groups, true),
        async { if needs_global { global_clusters(&scope, &rds).await } else { Field::Known(BTreeMap::new()) } },
    );

    record(&scope, instances, |i| i);
    record(&scope, snapshots, |s| s);
    record(&scope, clusters, |mut c: DbCluster| {
        c.global_cluster_members = match (&c.global_cluster_id, &global) {
            (None, _) => Field::Absent,
            (Some(id), Field::Known(by_id)) => match by_id.get(id) {
                Some(members) => Field::Known(members.clone()),
                None => Field::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "rds:DescribeGlobalClusters",
                    format!("global cluster {id} was not listed"),
                )),
            },
            (Some(_), Field::Unknown(reason)) => Field::Unknown(reason.clone()),
            (Some(_), Field::Absent) => Field::Absent,
        };
        c
    });
    record_groups(&scope, groups, group_params, "pg", |family, description, tls_parameters| DbParameterGroup {
        family,
        description,
        tls_parameters,
    });
    record_groups(&scope, cluster_groups, cluster_group_params, "cluster-pg", |family, description, tls_parameters| {
        DbClusterParameterGroup { family, description, tls_parameters }
    });
}

fn instance(scope: &Scope, db: &aws_sdk_rds::types::DbInstance) -> Option<Described<DbInstance>> {
    let id = db.db_instance_identifier()?.to_string();
    let engine = db.engine().unwrap_or_default().to_string();
    if other_service(&engine) {
        return None;
    }
    let props = DbInstance {
        engine,
        engine_version: db.engine_version().map(String::from),
        instance_class: db.db_instance_class().map(String::from),
        status: db.db_instance_status().map(String::from),
        cluster_id: db.db_cluster_identifier().map(String::from),
        storage_encrypted: db.storage_encrypted(),
        kms_key_id: db.kms_key_id().map(String::from),
        publicly_accessible: db.publicly_accessible(),
        multi_az: db.multi_az(),
        monitoring_interval: db.monitoring_interval(),
        log_exports: db.enabled_cloudwatch_logs_exports().to_vec(),
        backup_retention_days: db.backup_retention_period(),
        deletion_protection: db.deletion_protection(),
        performance_insights_enabled: db.performance_insights_enabled(),
        performance_insights_kms_key_id: db.performance_insights_kms_key_id().map(String::from),
        parameter_groups: db
            .db_parameter_groups()
            .iter()
            .filter_map(|g| {
                Some(ParameterGroupAttachment {
                    name: g.db_parameter_group_name()?.to_string(),
                    apply_status: g.parameter_apply_status().map(String::from),
                })
            })
            .collect(),
        replica_source: db
            .read_replica_source_db_instance_identifier()
            .or(db.read_replica_source_db_cluster_identifier())
            .map(String::from),
        replicas: db
            .read_replica_db_instance_identifiers()
            .iter()
            .chain(db.read_replica_db_cluster_identifiers())
            .cloned()
            .collect(),
        backup_replications: db
            .db_instance_automated_backups_replications()
            .iter()
            .filter_map(|r| r.db_instance_automated_backups_arn().map(String::from))
            .collect(),
    };
    let arn = db.db_instance_arn().map(String::from).unwrap_or_else(|| scope.arn("rds", &format!("db:{id}")));
    let tags = tags(db.tag_list().iter().map(|t| (t.key(), t.value())));
    Some(Described { props, id, arn, tags })
}

fn snapshot(scope: &Scope, s: &aws_sdk_rds::types::DbSnapshot) -> Option<Described<DbSnapshot>> {
    let id = s.db_snapshot_identifier()?.to_string();
    let engine = s.engine().map(String::from);
    if engine.as_deref().is_some_and(other_service) {
        return None;
    }
    let props = DbSnapshot {
        db_instance_id: s.db_instance_identifier().map(String::from),
        snapshot_type: s.snapshot_type().map(String::from),
        status: s.status().map(String::from),
        engine,
        encrypted: s.encrypted(),
        created: time(s.snapshot_create_time()),
        source_region: s.source_region().map(String::from),
    };
    let arn = s.db_snapshot_arn().map(String::from).unwrap_or_else(|| scope.arn("rds", &format!("snapshot:{id}")));
    let tags = tags(s.tag_list().iter().map(|t| (t.key(), t.value())));
    Some(Described { props, id, arn, tags })
}

fn cluster(scope: &Scope, c: &aws_sdk_rds::types::DbCluster) -> Option<Described<DbCluster>> {
    let id = c.db_cluster_identifier()?.to_string();
    let engine = c.engine().unwrap_or_default().to_string();
    if other_service(&engine) {
        return None;
    }
    let props = DbCluster {
        engine,
        engine_version: c.engine_version().map(String::from),
        status: c.status().map(String::from),
        multi_az: c.multi_az(),
        storage_encrypted: c.storage_encrypted(),
        kms_key_id: c.kms_key_id().map(String::from),
        deletion_protection: c.deletion_protection(),
        backup_retention_days: c.backup_retention_period(),
        log_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
        parameter_group: c.db_cluster_parameter_group().map(String::from),
        members: c.db_cluster_members().iter().filter_map(|m| m.db_instance_identifier().map(String::from)).collect(),
        replication_source: c.replication_source_identifier().map(String::from),
        replicas: c.read_replica_identifiers().to_vec(),
        global_cluster_id: c.global_cluster_identifier().map(String::from),
        // Filled in once the global databases are read.
        global_cluster_members: Field::Absent,
    };
    let arn = c.db_cluster_arn().map(String::from).unwrap_or_else(|| scope.arn("rds", &format!("cluster:{id}")));
    let tags = tags(c.tag_list().iter().map(|t| (t.key(), t.value())));
    Some(Described { props, id, arn, tags })
}

/// Records a listed kind, or its failed listing.
fn record<P: KindProperties + Into<Properties>>(
    scope: &Scope,
    listed: Result<Vec<Described<P>>, UnknownReason>,
    finish: impl Fn(P) -> P,
) {
    match listed {
        Ok(list) => {
            for d in list {
                scope.add(scope.resource(d.id, d.arn, None, Field::Known(d.tags), finish(d.props)));
            }
            scope.listed(P::KIND, Ok(()))
        }
        Err(reason) => scope.listed(P::KIND, Err(reason)),
    }
}

/// Records parameter groups: every listed group, plus any group in use that the listing missed (or could not
/// give), so that an instance's group is never lost. Tags are not read: no check needs them.
fn record_groups<P: KindProperties + Into<Properties>>(
    scope: &Scope,
    listed: Result<Vec<GroupRow>, UnknownReason>,
    mut parameters: BTreeMap<String, TlsParameters>,
    arn_kind: &str,
    build: impl Fn(Option<String>, Option<String>, TlsParameters) -> P,
) {
    let (rows, outcome) = match listed {
        Ok(rows) => (rows, Ok(())),
        Err(reason) => (Vec::new(), Err(reason)),
    };
    let not_read = || {
        Field::Unknown(UnknownReason::new(
            Cause::NotCollected,
            "rds:DescribeDBParameters",
            "parameters are read only for parameter groups in use",
        ))
    };
    let tags_not_read = || Field::Unknown(UnknownReason::not_collected("rds:ListTagsForResource"));
    for row in rows {
        let tls = parameters.remove(&row.name).unwrap_or_else(not_read);
        let arn = row.arn.unwrap_or_else(|| scope.arn("rds", &format!("{arn_kind}:{}", row.name)));
        scope.add(scope.resource(row.name, arn, None, tags_not_read(), build(row.family, row.description, tls)));
    }
    for (name, tls) in parameters {
        let arn = scope.arn("rds", &format!("{arn_kind}:{name}"));
        scope.add(scope.resource(name, arn, None, tags_not_read(), build(None, None, tls)));
    }
    scope.listed(P::KIND, outcome);
}

/// Reads the TLS parameters of each named group (all pages: a group has a few hundred parameters).
async fn read_parameters(
    scope: &Scope,
    rds: &aws_sdk_rds::Client,
    names: BTreeSet<String>,
    cluster: bool,
) -> BTreeMap<String, TlsParameters> {
    futures::stream::iter(names.into_iter().map(|name| async move {
        let pages = if cluster {
            let request = rds.describe_db_cluster_parameters().db_cluster_parameter_group_name(&name);
            scope
                .pages("DescribeDBClusterParameters", request.into_paginator().send())
                .await
                .map(|pages| pages.iter().flat_map(|p| p.parameters().to_vec()).collect::<Vec<_>>())
        } else {
            let request = rds.describe_db_parameters().db_parameter_group_name(&name);
            scope
                .pages("DescribeDBParameters", request.into_paginator().send())
                .await
                .map(|pages| pages.iter().flat_map(|p| p.parameters().to_vec()).collect::<Vec<_>>())
        };
        let tls = match pages {
            Ok(parameters) => Field::Known(
                parameters
                    .iter()
                    .filter_map(|p| {
                        let key = p.parameter_name().filter(|n| TLS_PARAMETERS.contains(n))?;
                        Some((key.to_string(), p.parameter_value().map(String::from)))
                    })
                    .collect(),
            ),
            Err(reason) => Field::Unknown(reason),
        };
        (name, tls)
    }))
    .buffer_unordered(GROUP_CONCURRENCY)
    .collect()
    .await
}

/// The member cluster ARNs of every Aurora global database, by global cluster id.
async fn global_clusters(scope: &Scope, rds: &aws_sdk_rds::Client) -> Field<BTreeMap<String, Vec<String>>> {
    match scope.pages("DescribeGlobalClusters", rds.describe_global_clusters().into_paginator().send()).await {
        Ok(pages) => Field::Known(
            pages
                .iter()
                .flat_map(|p| p.global_clusters())
                .filter_map(|g| {
                    let members =
                        g.global_cluster_members().iter().filter_map(|m| m.db_cluster_arn().map(String::from));
                    Some((g.global_cluster_identifier()?.to_string(), members.collect()))
                })
                .collect(),
        ),
        Err(reason) => Field::Unknown(reason),
    }
}
