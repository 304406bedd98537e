use super::super::prelude::*;

check! {
    /// ## What it does
    /// Judges S3 buckets that have replication configured (buckets without replication get no finding). Each
    /// enabled rule must replicate to a bucket that exists, is in another region than the source, and has
    /// versioning enabled. The bucket fails when a rule's destination does not exist (S3 answers
    /// `NoSuchBucket`), is in the source's own region, or is an unversioned bucket of the account, and when every
    /// rule is disabled. What the audit cannot see is UNKNOWN, never a failure: a destination owned by another
    /// account (its versioning is not readable here), a destination in a region that was not audited, a
    /// destination whose location or versioning could not be read, or an incomplete bucket list.
    ///
    /// ## Why is this bad?
    /// Replication is a disaster recovery control that is easy to believe in and rarely looked at. A rule whose
    /// destination was deleted or lost versioning stops replicating (S3 marks objects `FAILED`), and a
    /// destination in the same region does not survive a regional outage, so the copy the recovery plan counts
    /// on is missing exactly when it is needed.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api create-bucket --bucket replica-bucket --region eu-west-1 \
    ///   --create-bucket-configuration LocationConstraint=eu-west-1
    /// aws s3api put-bucket-versioning --bucket replica-bucket --versioning-configuration Status=Enabled
    /// aws s3api put-bucket-replication --bucket source-bucket --replication-configuration file://replication.json
    /// ```
    /// CDK: `new s3.Bucket(this, 'Src', { versioned: true, replicationRules: [{ destination: replicaBucket,
    /// priority: 1 }] })` with the replica in a stack of another region; CloudFormation:
    /// `ReplicationConfiguration` on `AWS::S3::Bucket`, pointing at a versioned bucket of another region.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
    pub S3BucketReplicationValid {
        id: "s3_bucket_replication_valid",
        title: "S3 replication targets an existing, versioned bucket in another region",
        severity: Severity::Medium,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for S3BucketReplicationValid {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.replication.known() {
                Ok(Some(replication)) => judge(cx.inventory, resource, replication),
                Ok(None) => continue,
                Err(reason) => Verdict::Unknown(reason.clone()),
            };
            out.verdict(resource, verdict);
        }
    }
}

/// What one rule's destination amounts to.
enum Outcome {
    Good(String),
    Bad(String),
    Unknown(UnknownReason),
}

fn judge(inv: &Inventory, source: &Resource, replication: &Replication) -> Verdict {
    let enabled: Vec<&ReplicationRule> = replication.rules.iter().filter(|r| r.enabled).collect();
    if enabled.is_empty() {
        return Verdict::Fail("replication is configured but every rule is disabled".into());
    }
    let (mut good, mut bad, mut unknown) = (Vec::new(), Vec::new(), None);
    for rule in enabled {
        match destination(inv, source, rule) {
            Outcome::Good(m) => good.push(m),
            Outcome::Bad(m) => bad.push(m),
            Outcome::Unknown(reason) => unknown = unknown.or(Some(reason)),
        }
    }
    if !bad.is_empty() {
        Verdict::Fail(bad.join("; "))
    } else if let Some(reason) = unknown {
        Verdict::Unknown(reason)
    } else {
        Verdict::Pass(format!("replicates to {}", good.join(", ")))
    }
}

fn destination(inv: &Inventory, source: &Resource, rule: &ReplicationRule) -> Outcome {
    let name = rule.destination_name();
    let dest = match rule.destination.known() {
        Ok(Some(dest)) => dest,
        Ok(None) => return Outcome::Bad(format!("destination bucket {name} does not exist")),
        Err(reason) => return Outcome::Unknown(reason.clone()),
    };
    if dest.region == source.region {
        return Outcome::Bad(format!(
            "destination bucket {name} is in the source's own region ({}): no copy survives a regional outage",
            dest.region
        ));
    }
    if !dest.owned {
        let owner = match rule.destination_account.as_deref() {
            Some(account) if account != source.account_id => format!("account {account}"),
            _ => "another account".to_string(),
        };
        return Outcome::Unknown(UnknownReason::new(
            Cause::NotCollected,
            "s3:GetBucketVersioning",
            format!("destination bucket {name} ({}) belongs to {owner}; its versioning is not audited", dest.region),
        ));
    }
    let kind = ResourceKind::S3Bucket;
    let Some((_, target)) = inv.find::<S3Bucket>(&dest.region, name) else {
        // The account's bucket is in a region this run did not audit, or its listing there is incomplete.
        return Outcome::Unknown(match inv.listing(kind, &dest.region).complete(kind, &dest.region) {
            Err(reason) => reason,
            Ok(()) => UnknownReason::new(
                Cause::Dependency,
                "s3:ListBuckets",
                format!("destination bucket {name} was listed but not read"),
            ),
        });
    };
    match target.versioning.known() {
        Ok(Some(v)) if v.enabled() => Outcome::Good(format!("{name} ({})", dest.region)),
        Ok(_) => Outcome::Bad(format!("destination bucket {name} ({}) does not have versioning enabled", dest.region)),
        Err(reason) => Outcome::Unknown(reason.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    const OTHER: &str = "us-east-1";

    fn versioning(status: Option<&str>) -> Field<Versioning> {
        Field::Known(Versioning { status: status.map(String::from), mfa_delete: None })
    }

    fn rule(dest: &str, destination: Field<ReplicationDestination>) -> ReplicationRule {
        ReplicationRule {
            id: Some("r1".into()),
            enabled: true,
            destination_bucket: format!("arn:aws:s3:::{dest}"),
            destination_account: None,
            destination,
        }
    }

    fn at(region: &str, owned: bool) -> Field<ReplicationDestination> {
        Field::Known(ReplicationDestination { region: region.into(), owned })
    }

    fn replicating(rules: Vec<ReplicationRule>) -> S3Bucket {
        S3Bucket {
            versioning: versioning(Some("Enabled")),
            replication: Field::Known(Replication { role: "arn:aws:iam::1:role/r".into(), rules }),
            ..Default::default()
        }
    }

    fn bucket_in(id: &str, region: &str, props: S3Bucket) -> Resource {
        let mut r = resource(id, props);
        r.region = region.into();
        r
    }

    fn message<'a>(findings: &'a [crate::finding::Finding], id: &str) -> &'a str {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.as_str()).unwrap_or_default()
    }

    /// An inventory audited in both regions, with a versioned and an unversioned replica in `OTHER`.
    fn fixture() -> Inventory {
        let mut inv = inventory();
        inv.regions.push(OTHER.into());
        inv.listings.push(Listing { kind: ResourceKind::S3Bucket, region: OTHER.into(), error: None });
        inv.resources.push(bucket_in(
            "replica",
            OTHER,
            S3Bucket { versioning: versioning(Some("Enabled")), replication: Field::Absent, ..Default::default() },
        ));
        inv.resources.push(bucket_in(
            "plain",
            OTHER,
            S3Bucket { versioning: versioning(None), replication: Field::Absent, ..Default::default() },
        ));
        inv.resources.push(bucket_in(
            "local",
            REGION,
            S3Bucket { versioning: versioning(Some("Enabled")), replication: Field::Absent, ..Default::default() },
        ));
        inv
    }

    #[test]
    fn pass_and_fail() {
        let mut inv = fixture();
        inv.resources.push(resource("good", replicating(vec![rule("replica", at(OTHER, true))])));
        inv.resources.push(resource("missing", replicating(vec![rule("gone", Field::Absent)])));
        inv.resources.push(resource("same-region", replicating(vec![rule("local", at(REGION, true))])));
        inv.resources.push(resource("unversioned", replicating(vec![rule("plain", at(OTHER, true))])));
        let mut off = rule("replica", at(OTHER, true));
        off.enabled = false;
        inv.resources.push(resource("disabled", replicating(vec![off])));
        let findings = run(&S3BucketReplicationValid, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("disabled".into(), Status::Fail),
                ("good".into(), Status::Pass),
                ("missing".into(), Status::Fail),
                ("same-region".into(), Status::Fail),
                ("unversioned".into(), Status::Fail),
            ]
        );
        assert_eq!(message(&findings, "good"), "replicates to replica (us-east-1)");
        assert_eq!(message(&findings, "missing"), "destination bucket gone does not exist");
        assert!(message(&findings, "same-region").contains("source's own region (eu-west-1)"));
        assert_eq!(
            message(&findings, "unversioned"),
            "destination bucket plain (us-east-1) does not have versioning enabled"
        );
    }

    #[test]
    fn what_the_audit_cannot_see_is_unknown() {
        let mut inv = fixture();
        // Another account's bucket.
        let mut foreign = rule("partner", at(OTHER, false));
        foreign.destination_account = Some("999988887777".into());
        inv.resources.push(resource("foreign", replicating(vec![foreign])));
        // The account's bucket in a region this run did not audit.
        inv.resources.push(resource("far", replicating(vec![rule("tokyo-replica", at("ap-northeast-1", true))])));
        // The destination's location could not be read.
        inv.resources
            .push(resource("unlocated", replicating(vec![rule("x", Field::Unknown(denied("s3:GetBucketLocation")))])));
        // The replication configuration itself could not be read.
        inv.resources.push(resource(
            "denied",
            S3Bucket { replication: Field::Unknown(denied("s3:GetReplicationConfiguration")), ..Default::default() },
        ));
        // A bad rule next to an unknown one still fails.
        inv.resources.push(resource(
            "mixed",
            replicating(vec![rule("gone", Field::Absent), rule("x", Field::Unknown(denied("s3:GetBucketLocation")))]),
        ));
        let findings = run(&S3BucketReplicationValid, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("far".into(), Status::Unknown),
                ("foreign".into(), Status::Unknown),
                ("mixed".into(), Status::Fail),
                ("unlocated".into(), Status::Unknown),
            ]
        );
        assert!(
            message(&findings, "foreign").contains("belongs to account 999988887777"),
            "{}",
            message(&findings, "foreign")
        );
        assert!(message(&findings, "far").contains("ap-northeast-1"), "{}", message(&findings, "far"));
    }

    #[test]
    fn incomplete_listing_of_the_destination_region_is_unknown() {
        let mut inv = fixture();
        inv.resources.retain(|r| r.id != "replica");
        fail_listing(&mut inv, ResourceKind::S3Bucket, OTHER, denied("s3:ListBuckets"));
        inv.resources.push(resource("src", replicating(vec![rule("replica", at(OTHER, true))])));
        let findings = run(&S3BucketReplicationValid, &inv);
        let src = findings.iter().find(|f| f.resource.id == "src").map(|f| f.status);
        assert_eq!(src, Some(Status::Unknown));
    }

    #[test]
    fn destination_names_come_from_arns() {
        assert_eq!(rule("b", Field::Absent).destination_name(), "b");
        let bare = ReplicationRule { destination_bucket: "b2".into(), ..rule("x", Field::Absent) };
        assert_eq!(bare.destination_name(), "b2");
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        assert_eq!(statuses(&run(&S3BucketReplicationValid, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
