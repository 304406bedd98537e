use super::super::prelude::*;
use super::missing;
use std::collections::BTreeMap;

check! {
    /// ## What it does
    /// Flags RDS DB instances whose parameter group does not make the engine refuse unencrypted connections:
    /// `rds.force_ssl = 1` for PostgreSQL, Aurora PostgreSQL and SQL Server, `require_secure_transport = 1`
    /// (or `ON`) for MySQL, MariaDB and Aurora MySQL. For a member of a DB cluster the cluster parameter group
    /// is read. A group whose new value waits for a reboot (`pending-reboot`) does not count yet. A parameter
    /// left unset takes the engine default, which requires TLS only for RDS for PostgreSQL 15 and later.
    /// Oracle (TLS is an option group setting) and Db2 get no finding.
    ///
    /// ## Why is this bad?
    /// RDS offers TLS on every engine but, unless forced, accepts plaintext too: one client with an old driver
    /// or a missing `sslmode` sends passwords and query results in the clear across the network, where anyone
    /// on the path can read or alter them.
    ///
    /// ## Remediation
    /// Use a custom parameter group (default groups cannot be changed):
    /// ```sh
    /// aws rds modify-db-parameter-group --db-parameter-group-name app-postgres16 \
    ///   --parameters ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=pending-reboot
    /// aws rds modify-db-parameter-group --db-parameter-group-name app-mysql80 \
    ///   --parameters ParameterName=require_secure_transport,ParameterValue=1,ApplyMethod=immediate
    /// ```
    /// CDK: `new rds.ParameterGroup(this, 'Params', { engine, parameters: { 'rds.force_ssl': '1' } })`;
    /// CloudFormation: `AWS::RDS::DBParameterGroup` (or `AWS::RDS::DBClusterParameterGroup`) with the parameter
    /// in `Parameters`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-38
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-39
    pub RdsInstanceTransportEncrypted {
        id: "rds_instance_transport_encrypted",
        title: "RDS DB instances require TLS for connections",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[
            ResourceKind::RdsDbInstance,
            ResourceKind::RdsDbCluster,
            ResourceKind::RdsDbParameterGroup,
            ResourceKind::RdsDbClusterParameterGroup,
        ],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.38"), fsbp("RDS.39"), fsbp("RDS.41"), fsbp("RDS.44")],
    }
}

/// The parameter that forces TLS for an engine; `None` for engines that do it otherwise.
fn tls_parameter(engine: &str) -> Option<&'static str> {
    match engine {
        "postgres" | "aurora-postgresql" => Some("rds.force_ssl"),
        e if e.starts_with("sqlserver") => Some("rds.force_ssl"),
        "mysql" | "mariadb" | "aurora-mysql" | "aurora" => Some("require_secure_transport"),
        _ => None,
    }
}

fn requires_tls(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "1" | "on" | "true")
}

/// RDS for PostgreSQL 15 and later default `rds.force_ssl` to 1.
fn tls_by_default(db: &DbInstance) -> bool {
    db.engine == "postgres"
        && db.engine_version.as_deref().and_then(|v| v.split('.').next()?.parse::<u32>().ok()).is_some_and(|m| m >= 15)
}

/// One parameter group's part of the verdict.
fn judge_group(
    db: &DbInstance,
    parameter: &str,
    group: &str,
    kind: &str,
    values: &BTreeMap<String, Option<String>>,
    apply_status: Option<&str>,
) -> Verdict {
    match values.get(parameter).cloned().flatten() {
        Some(value) if requires_tls(&value) => match apply_status {
            Some(status @ ("pending-reboot" | "applying")) => {
                Verdict::Fail(format!("{parameter} = {value} in {kind} {group} is not active yet (status {status})"))
            }
            _ => Verdict::Pass(format!("{parameter} = {value} in {kind} {group}")),
        },
        Some(value) => Verdict::Fail(format!("{parameter} = {value} in {kind} {group}: TLS is optional")),
        None if tls_by_default(db) => {
            Verdict::Pass(format!("{parameter} is not set in {kind} {group}; PostgreSQL 15 and later default it to 1"))
        }
        None => Verdict::Fail(format!(
            "{parameter} is not set in {kind} {group}, and the engine default does not require TLS"
        )),
    }
}

impl Check for RdsInstanceTransportEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let inv = cx.inventory;
        for (resource, db) in inv.iter::<DbInstance>() {
            let Some(parameter) = tls_parameter(&db.engine) else { continue };
            let region = resource.region.as_str();
            let verdict = if let Some(cluster_id) = db.cluster_id.as_deref() {
                cluster_verdict(inv, region, db, parameter, cluster_id)
            } else if db.parameter_groups.is_empty() {
                Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "rds:DescribeDBInstances",
                    "no DB parameter group reported",
                ))
            } else {
                let verdicts = db.parameter_groups.iter().map(|attached| {
                    let name = attached.name.as_str();
                    let Some((_, group)) = inv.find::<DbParameterGroup>(region, name) else {
                        return Verdict::Unknown(missing::<DbParameterGroup>(inv, region, "DB parameter group", name));
                    };
                    match group.tls_parameters.known() {
                        Ok(values) => {
                            let empty = BTreeMap::new();
                            let values = values.unwrap_or(&empty);
                            judge_group(
                                db,
                                parameter,
                                name,
                                "parameter group",
                                values,
                                attached.apply_status.as_deref(),
                            )
                        }
                        Err(reason) => Verdict::Unknown(reason.clone()),
                    }
                });
                combine(verdicts.collect())
            };
            out.verdict(resource, verdict);
        }
    }
}

fn cluster_verdict(inv: &Inventory, region: &str, db: &DbInstance, parameter: &str, cluster_id: &str) -> Verdict {
    let Some((_, cluster)) = inv.find::<DbCluster>(region, cluster_id) else {
        return Verdict::Unknown(missing::<DbCluster>(inv, region, "DB cluster", cluster_id));
    };
    let Some(name) = cluster.parameter_group.as_deref() else {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "rds:DescribeDBClusters",
            format!("no DB cluster parameter group reported for cluster {cluster_id}"),
        ));
    };
    let Some((_, group)) = inv.find::<DbClusterParameterGroup>(region, name) else {
        return Verdict::Unknown(missing::<DbClusterParameterGroup>(inv, region, "DB cluster parameter group", name));
    };
    match group.tls_parameters.known() {
        Ok(values) => {
            let empty = BTreeMap::new();
            let kind = format!("cluster parameter group (of cluster {cluster_id})");
            judge_group(db, parameter, name, &kind, values.unwrap_or(&empty), None)
        }
        Err(reason) => Verdict::Unknown(reason.clone()),
    }
}

/// Every attached group must force TLS: any failure fails, else any unknown is unknown.
fn combine(verdicts: Vec<Verdict>) -> Verdict {
    let mut passes = Vec::new();
    let mut unknown = None;
    for verdict in verdicts {
        match verdict {
            Verdict::Fail(_) => return verdict,
            Verdict::Unknown(reason) => unknown = unknown.or(Some(reason)),
            Verdict::Pass(message) => passes.push(message),
        }
    }
    match unknown {
        Some(reason) => Verdict::Unknown(reason),
        None => Verdict::Pass(passes.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cluster, db, member};
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn group(values: &[(&str, Option<&str>)]) -> DbParameterGroup {
        DbParameterGroup {
            family: Some("postgres16".into()),
            description: None,
            tls_parameters: Field::Known(values.iter().map(|(k, v)| (k.to_string(), v.map(String::from))).collect()),
        }
    }

    fn attached(name: &str, status: &str) -> Vec<ParameterGroupAttachment> {
        vec![ParameterGroupAttachment { name: name.into(), apply_status: Some(status.into()) }]
    }

    #[test]
    fn instances_pass_fail_and_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("secure-pg", group(&[("rds.force_ssl", Some("1"))])));
        inv.resources.push(resource("plain-pg", group(&[("rds.force_ssl", Some("0"))])));
        inv.resources.push(resource("unset-pg", group(&[("rds.force_ssl", None)])));
        inv.resources.push(resource("mysql-on", group(&[("require_secure_transport", Some("ON"))])));
        let unread =
            DbParameterGroup { tls_parameters: Field::Unknown(denied("rds:DescribeDBParameters")), ..group(&[]) };
        inv.resources.push(resource("unread", unread));

        inv.resources.push(resource("forced", db()));
        inv.resources
            .push(resource("optional", DbInstance { parameter_groups: attached("plain-pg", "in-sync"), ..db() }));
        inv.resources.push(resource(
            "rebooting",
            DbInstance { parameter_groups: attached("secure-pg", "pending-reboot"), ..db() },
        ));
        let pg14 = DbInstance {
            engine_version: Some("14.12".into()),
            parameter_groups: attached("unset-pg", "in-sync"),
            ..db()
        };
        inv.resources.push(resource("pg14-default", pg14));
        inv.resources
            .push(resource("pg16-default", DbInstance { parameter_groups: attached("unset-pg", "in-sync"), ..db() }));
        let mysql = DbInstance { engine: "mysql".into(), parameter_groups: attached("mysql-on", "in-sync"), ..db() };
        inv.resources.push(resource("mysql", mysql));
        let mysql_unset =
            DbInstance { engine: "mysql".into(), parameter_groups: attached("unset-pg", "in-sync"), ..db() };
        inv.resources.push(resource("mysql-unset", mysql_unset));
        inv.resources.push(resource("denied", DbInstance { parameter_groups: attached("unread", "in-sync"), ..db() }));
        inv.resources.push(resource("vanished", DbInstance { parameter_groups: attached("gone", "in-sync"), ..db() }));
        // Oracle enforces TLS through its option group: not judged.
        inv.resources.push(resource("oracle", DbInstance { engine: "oracle-ee".into(), ..db() }));
        let findings = run(&RdsInstanceTransportEncrypted, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("forced".into(), Status::Pass),
                ("mysql".into(), Status::Pass),
                ("mysql-unset".into(), Status::Fail),
                ("optional".into(), Status::Fail),
                ("pg14-default".into(), Status::Fail),
                ("pg16-default".into(), Status::Pass),
                ("rebooting".into(), Status::Fail),
                ("vanished".into(), Status::Unknown),
            ]
        );
        let message = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(message("optional"), Some("rds.force_ssl = 0 in parameter group plain-pg: TLS is optional".into()));
    }

    #[test]
    fn cluster_members_read_the_cluster_parameter_group() {
        let mut inv = inventory();
        let cluster_group = |value: &str| DbClusterParameterGroup {
            family: Some("aurora-postgresql16".into()),
            description: None,
            tls_parameters: Field::Known([("rds.force_ssl".to_string(), Some(value.to_string()))].into()),
        };
        inv.resources.push(resource("secure-cluster-pg", cluster_group("1")));
        inv.resources.push(resource("plain-cluster-pg", cluster_group("0")));
        inv.resources.push(resource("aurora", cluster()));
        inv.resources
            .push(resource("plain", DbCluster { parameter_group: Some("plain-cluster-pg".into()), ..cluster() }));
        inv.resources.push(resource("member", member()));
        inv.resources.push(resource("plain-member", DbInstance { cluster_id: Some("plain".into()), ..member() }));
        fail_listing(&mut inv, ResourceKind::RdsDbCluster, "us-east-1", denied("rds:DescribeDBClusters"));
        let findings = run(&RdsInstanceTransportEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![("member".into(), Status::Pass), ("plain-member".into(), Status::Fail)]);
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceTransportEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
