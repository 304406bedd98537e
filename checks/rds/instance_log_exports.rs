use super::super::prelude::*;
use super::Settings;

check! {
    /// ## What it does
    /// Flags RDS DB instances that do not export the logs AWS Security Hub expects to CloudWatch Logs, per
    /// engine: Oracle `alert`, `audit`, `trace`, `listener`; PostgreSQL `postgresql`, `upgrade`; MySQL, MariaDB
    /// and Aurora MySQL `audit`, `error`, `general`, `slowquery`; SQL Server `error`, `agent`; Aurora PostgreSQL
    /// `postgresql`. Other engines (Db2, RDS Custom) must export at least one log. For a member of a DB cluster
    /// the cluster's exports are read.
    ///
    /// ## Why is this bad?
    /// Database logs record logins, failed authentications, errors and (with the audit log) who changed what.
    /// Kept only on the instance they rotate away within days and vanish with it; in CloudWatch Logs they are
    /// retained, searchable, and can raise alarms.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --apply-immediately \
    ///   --cloudwatch-logs-export-configuration '{"EnableLogTypes":["postgresql","upgrade"]}'
    /// ```
    /// The MySQL and MariaDB `audit` log also needs the `MARIADB_AUDIT_PLUGIN` option in the option group, and
    /// `general`/`slowquery` need `general_log`/`slow_query_log` set in the parameter group. CDK: `new
    /// rds.DatabaseInstance(this, 'Db', { cloudwatchLogsExports: ['postgresql', 'upgrade'], … })`;
    /// CloudFormation: `EnableCloudwatchLogsExports` on `AWS::RDS::DBInstance` or `AWS::RDS::DBCluster`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-9
    pub RdsInstanceLogExports {
        id: "rds_instance_log_exports",
        title: "RDS DB instances publish their logs to CloudWatch Logs",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance, ResourceKind::RdsDbCluster],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.9")],
    }
}

/// The log types expected per engine (Security Hub RDS.9); empty: at least one, whichever.
fn required_logs(engine: &str) -> &'static [&'static str] {
    match engine {
        e if e.starts_with("oracle") || e == "custom-oracle-ee" => &["alert", "audit", "trace", "listener"],
        "postgres" => &["postgresql", "upgrade"],
        "aurora-postgresql" => &["postgresql"],
        "mysql" | "mariadb" | "aurora-mysql" | "aurora" => &["audit", "error", "general", "slowquery"],
        e if e.starts_with("sqlserver") => &["error", "agent"],
        _ => &[],
    }
}

impl Check for RdsInstanceLogExports {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, db) in cx.inventory.iter::<DbInstance>() {
            let verdict = Settings::of(cx.inventory, resource, db)
                .and_then(|s| {
                    s.get(
                        "EnabledCloudwatchLogsExports",
                        |i| Some(i.log_exports.clone()),
                        |c| Some(c.log_exports.clone()),
                    )
                })
                .map_or_else(Verdict::Unknown, |(exported, via)| judge(&db.engine, &exported, &via));
            out.verdict(resource, verdict);
        }
    }
}

fn judge(engine: &str, exported: &[String], via: &str) -> Verdict {
    let listed = if exported.is_empty() { "none".to_string() } else { exported.join(", ") };
    let required = required_logs(engine);
    if required.is_empty() {
        return if exported.is_empty() {
            Verdict::Fail(format!("no logs are exported to CloudWatch Logs{via}"))
        } else {
            Verdict::Pass(format!("exports {listed} to CloudWatch Logs{via}"))
        };
    }
    let missing: Vec<&str> = required.iter().copied().filter(|r| !exported.iter().any(|e| e == r)).collect();
    if missing.is_empty() {
        Verdict::Pass(format!("exports {listed} to CloudWatch Logs{via}"))
    } else {
        Verdict::Fail(format!("does not export {} to CloudWatch Logs (exported: {listed}){via}", missing.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cluster, db, member};
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail_unknown_per_engine_and_cluster_members() {
        let mut inv = inventory();
        inv.resources.push(resource("pg", db()));
        inv.resources.push(resource("pg-partial", DbInstance { log_exports: vec!["postgresql".into()], ..db() }));
        let mysql = DbInstance { engine: "mysql".into(), log_exports: vec!["error".into()], ..db() };
        inv.resources.push(resource("mysql", mysql));
        let db2 = DbInstance { engine: "db2-se".into(), log_exports: vec!["diag.log".into()], ..db() };
        inv.resources.push(resource("db2", db2));
        inv.resources.push(resource("aurora", cluster()));
        inv.resources.push(resource("member", member()));
        inv.resources.push(resource("orphan", DbInstance { cluster_id: Some("gone".into()), ..member() }));
        let findings = run(&RdsInstanceLogExports, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("db2".into(), Status::Pass),
                ("member".into(), Status::Pass),
                ("mysql".into(), Status::Fail),
                ("orphan".into(), Status::Unknown),
                ("pg".into(), Status::Pass),
                ("pg-partial".into(), Status::Fail),
            ]
        );
        let mysql = findings.iter().find(|f| f.resource.id == "mysql").map(|f| f.message.as_str());
        assert_eq!(mysql, Some("does not export audit, general, slowquery to CloudWatch Logs (exported: error)"));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceLogExports, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
