use super::super::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

check! {
    /// ## What it does
    /// Flags RDS DB instances running an engine major version older than the minimum set for their engine.
    /// Versions are compared number by number on as many parts as the minimum gives (`14` accepts `14.9` and
    /// `16.3`, `8.0` rejects `5.7.44`); Aurora MySQL's `8.0.mysql_aurora.3.05.2` counts as `8.0`. Engines with
    /// no minimum configured get no finding.
    ///
    /// ## Why is this bad?
    /// Old major versions stop receiving fixes: AWS moves them to paid Extended Support and later upgrades them
    /// automatically, at a time it chooses. Until then they miss security fixes, TLS and authentication
    /// improvements (SCRAM, `caching_sha2_password`) that newer versions have.
    ///
    /// ## Remediation
    /// Test the upgrade on a snapshot restore (or a blue/green deployment), then:
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --engine-version 16.4 \
    ///   --allow-major-version-upgrade --apply-immediately
    /// ```
    /// CDK: `engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 })`;
    /// CloudFormation: `EngineVersion` on `AWS::RDS::DBInstance` with `AllowMajorVersionUpgrade: true`.
    ///
    /// ## Parameters
    /// - one key per engine, the oldest allowed version (default `postgres = "14"`, `mysql = "8.0"`,
    ///   `mariadb = "10.6"`, `aurora-postgresql = "14"`, `aurora-mysql = "8.0"`). The defaults were the oldest
    ///   major versions in RDS standard support when written; raise them as AWS retires versions. Setting the
    ///   table replaces the defaults: engines not listed get no finding. Keys are RDS engine names
    ///   (`postgres`, `oracle-ee`, `sqlserver-se`, …); an unknown name or a version that is not dotted numbers
    ///   is rejected.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html
    pub RdsInstanceEngineVersion {
        id: "rds_instance_engine_version",
        title: "RDS DB instances run a supported engine major version",
        severity: Severity::Medium,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

/// RDS engine names (`CreateDBInstance --engine`).
const ENGINES: &[&str] = &[
    "aurora-mysql",
    "aurora-postgresql",
    "custom-oracle-ee",
    "custom-oracle-ee-cdb",
    "custom-oracle-se2",
    "custom-oracle-se2-cdb",
    "custom-sqlserver-dev",
    "custom-sqlserver-ee",
    "custom-sqlserver-se",
    "custom-sqlserver-web",
    "db2-ae",
    "db2-se",
    "mariadb",
    "mysql",
    "oracle-ee",
    "oracle-ee-cdb",
    "oracle-se2",
    "oracle-se2-cdb",
    "postgres",
    "sqlserver-dev-ee",
    "sqlserver-ee",
    "sqlserver-ex",
    "sqlserver-se",
    "sqlserver-web",
];

/// One key per engine, so the config reads `postgres = "15"` under the check's table. Unknown keys are not
/// lost to serde: they land in the map and `validate` rejects them by name.
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// Oldest allowed engine version, by engine name.
    #[serde(flatten)]
    pub minimum_versions: BTreeMap<String, String>,
}

impl Default for Params {
    fn default() -> Self {
        let pairs = [
            ("postgres", "14"),
            ("mysql", "8.0"),
            ("mariadb", "10.6"),
            ("aurora-postgresql", "14"),
            ("aurora-mysql", "8.0"),
        ];
        Params { minimum_versions: pairs.iter().map(|(e, v)| (e.to_string(), v.to_string())).collect() }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        for (engine, version) in &self.minimum_versions {
            if !ENGINES.contains(&engine.as_str()) {
                return Err(format!("{engine:?} is not an RDS engine name (expected one of {})", ENGINES.join(", ")));
            }
            let parts: Vec<&str> = version.split('.').collect();
            if parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) || parts.len() > 4 {
                return Err(format!(
                    "{engine}: {version:?} is not a version (dotted numbers such as \"14\" or \"8.0\")"
                ));
            }
        }
        Ok(())
    }
}

/// The leading numeric parts of a version (`8.0.mysql_aurora.3.05` → [8, 0]); `None` if it starts otherwise.
fn numbers(version: &str) -> Option<Vec<u64>> {
    let parts: Vec<u64> = version.split('.').map_while(|p| p.parse().ok()).collect();
    (!parts.is_empty()).then_some(parts)
}

impl Check for RdsInstanceEngineVersion {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, db) in cx.inventory.iter::<DbInstance>() {
            let Some(minimum) = params.minimum_versions.get(&db.engine) else { continue };
            let Some(wanted) = numbers(minimum) else { continue };
            let engine = &db.engine;
            let verdict = match db.engine_version.as_deref() {
                None => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "rds:DescribeDBInstances",
                    "no EngineVersion reported",
                )),
                Some(version) => match numbers(version) {
                    None => Verdict::Unknown(UnknownReason::new(
                        Cause::Malformed,
                        "rds:DescribeDBInstances",
                        format!("engine version {version:?} is not a version number"),
                    )),
                    Some(have) => {
                        // Compare on the minimum's parts only: "14" accepts any 14.x.
                        let have: Vec<u64> = (0..wanted.len()).map(|i| have.get(i).copied().unwrap_or(0)).collect();
                        if have >= wanted {
                            Verdict::Pass(format!("{engine} {version} (minimum {minimum})"))
                        } else {
                            Verdict::Fail(format!("{engine} {version} is older than the minimum {minimum}"))
                        }
                    }
                },
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::db;
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn version(engine: &str, version: Option<&str>) -> DbInstance {
        DbInstance { engine: engine.into(), engine_version: version.map(String::from), ..db() }
    }

    #[test]
    fn pass_fail_unknown_and_unconfigured_engines() {
        let mut inv = inventory();
        inv.resources.push(resource("pg16", version("postgres", Some("16.3"))));
        inv.resources.push(resource("pg14", version("postgres", Some("14.12"))));
        inv.resources.push(resource("pg13", version("postgres", Some("13.15"))));
        inv.resources.push(resource("mysql57", version("mysql", Some("5.7.44"))));
        inv.resources.push(resource("mysql80", version("mysql", Some("8.0.39"))));
        inv.resources.push(resource("aurora2", version("aurora-mysql", Some("5.7.mysql_aurora.2.11.2"))));
        inv.resources.push(resource("aurora3", version("aurora-mysql", Some("8.0.mysql_aurora.3.05.2"))));
        inv.resources.push(resource("unreported", version("postgres", None)));
        inv.resources.push(resource("garbled", version("postgres", Some("latest"))));
        // No minimum configured for Oracle: no finding.
        inv.resources.push(resource("oracle", version("oracle-ee", Some("12.1.0.2"))));
        let findings = run(&RdsInstanceEngineVersion, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("aurora2".into(), Status::Fail),
                ("aurora3".into(), Status::Pass),
                ("garbled".into(), Status::Unknown),
                ("mysql57".into(), Status::Fail),
                ("mysql80".into(), Status::Pass),
                ("pg13".into(), Status::Fail),
                ("pg14".into(), Status::Pass),
                ("pg16".into(), Status::Pass),
                ("unreported".into(), Status::Unknown),
            ]
        );
        let pg13 = findings.iter().find(|f| f.resource.id == "pg13").map(|f| f.message.as_str());
        assert_eq!(pg13, Some("postgres 13.15 is older than the minimum 14"));
    }

    #[test]
    fn minimums_are_parameters() {
        let mut inv = inventory();
        inv.resources.push(resource("pg16", version("postgres", Some("16.3"))));
        inv.resources.push(resource("oracle", version("oracle-ee", Some("19.0.0.0.ru-2024-01.rur-2024-01.r1"))));
        let params = json!({ "postgres": "16.4", "oracle-ee": "19" });
        let findings = run_with(&RdsInstanceEngineVersion, &inv, Some(params));
        assert_eq!(statuses(&findings), vec![("oracle".into(), Status::Pass), ("pg16".into(), Status::Fail)]);
    }

    #[test]
    fn validation_rejects_unknown_engines_and_bad_versions() {
        let params = |engine: &str, v: &str| Params { minimum_versions: [(engine.into(), v.into())].into() };
        let err = params("postgresql", "14").validate().unwrap_err();
        assert!(err.contains("\"postgresql\" is not an RDS engine name"), "{err}");
        for bad in ["", "14.", "v14", "-1", "fourteen"] {
            let err = params("postgres", bad).validate().unwrap_err();
            assert!(err.starts_with("postgres: ") && err.contains("is not a version"), "{err}");
        }
        // Through the engine, as a config file would give them.
        let err = RdsInstanceEngineVersion.validate_params(&json!({ "postgress": "14" })).unwrap_err();
        assert!(err.to_string().contains("postgress"), "{err}");
        assert_eq!(params("mysql", "8.0").validate(), Ok(()));
        assert_eq!(Params::default().validate(), Ok(()));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceEngineVersion, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
