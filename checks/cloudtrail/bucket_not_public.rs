use super::super::prelude::*;
use crate::checks::s3::bucket_not_public::{Exposure, exposure};

check! {
    /// ## What it does
    /// Flags CloudTrail trails whose S3 bucket is public, judged exactly as `s3_bucket_not_public` judges any
    /// bucket: public ACL grants (unless ACLs are disabled or `IgnorePublicAcls` is on) and bucket policies that
    /// AWS evaluates as public (unless `RestrictPublicBuckets` is on), with Block Public Access counted from the
    /// bucket or the account. One finding per trail.
    ///
    /// A trail whose bucket is not in this audit's inventory (a central log archive in another account, a bucket
    /// in a region that was not audited, or one that no longer exists) is UNKNOWN: its settings were not read.
    ///
    /// ## Why is this bad?
    /// CloudTrail logs are a map of the account: every principal, every resource, every API call and the source
    /// addresses they came from. Published, they tell an attacker where the weak points are and which of their
    /// own actions were recorded; a bucket writable by others also lets them tamper with the evidence.
    ///
    /// ## Remediation
    /// Remove public grants and statements from the log bucket, then block public access on it:
    /// ```sh
    /// aws s3api put-bucket-ownership-controls --bucket TRAIL_BUCKET \
    ///   --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
    /// aws s3api put-public-access-block --bucket TRAIL_BUCKET --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    /// Keep only the `cloudtrail.amazonaws.com` statements (`s3:GetBucketAcl`, `s3:PutObject` with
    /// `aws:SourceArn`) in the bucket policy. CDK: `new s3.Bucket(this, 'TrailLogs', { blockPublicAccess:
    /// s3.BlockPublicAccess.BLOCK_ALL, objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED })` passed as
    /// `bucket` to `new cloudtrail.Trail(...)`; CloudFormation: the trail bucket's
    /// `PublicAccessBlockConfiguration` with all four settings `true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/cloudtrail-s3-bucket-public-access-prohibited.html
    pub CloudtrailBucketNotPublic {
        id: "cloudtrail_bucket_not_public",
        title: "CloudTrail trails deliver to a bucket that is not public",
        severity: Severity::Critical,
        service: "cloudtrail",
        kinds: &[ResourceKind::CloudTrailTrail, ResourceKind::S3Bucket, ResourceKind::S3AccountPublicAccessBlock],
        scope: CheckScope::Resource,
        // Security Hub's CloudTrail.6 maps only to CIS v1.2.0/v1.4.0, not to FSBP or CIS v5.0.
        compliance: &[],
    }
}

/// The trail's S3 bucket from the inventory, or why it cannot be judged.
pub(super) fn trail_bucket<'a>(
    inventory: &'a Inventory,
    resource: &Resource,
    trail: &Trail,
) -> Result<(&'a Resource, &'a S3Bucket), UnknownReason> {
    let Some(name) = trail.s3_bucket_name.as_deref().filter(|n| !n.is_empty()) else {
        return Err(UnknownReason::new(
            Cause::Malformed,
            "cloudtrail:DescribeTrails",
            format!("trail {} names no S3 bucket", resource.display_name()),
        ));
    };
    if let Some(found) = inventory.iter::<S3Bucket>().find(|(r, _)| r.id == name && r.account_id == resource.account_id)
    {
        return Ok(found);
    }
    // A bucket not seen means nothing unless every bucket listing was complete.
    let kind = ResourceKind::S3Bucket;
    let mut listed = false;
    for listing in inventory.listed_regions(kind) {
        listed = true;
        inventory.listing(kind, &listing.region).complete(kind, &listing.region)?;
    }
    if !listed {
        inventory.listing(kind, &trail.home_region).complete(kind, &trail.home_region)?;
    }
    Err(UnknownReason::new(
        Cause::NotCollected,
        format!("find S3 bucket {name}"),
        format!(
            "bucket {name} is not among the buckets this audit read: it belongs to another account (such as a \
             central log archive), lies in a region that was not audited, or no longer exists"
        ),
    ))
}

impl Check for CloudtrailBucketNotPublic {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, trail) in cx.inventory.iter::<Trail>() {
            let verdict = match trail_bucket(cx.inventory, resource, trail) {
                Ok((bucket_resource, bucket)) => {
                    let name = &bucket_resource.id;
                    match exposure(cx.inventory, bucket_resource, bucket) {
                        Ok(Exposure::Public(found)) => {
                            Verdict::Fail(format!("the trail's bucket {name} is public: {}", found.join("; ")))
                        }
                        Ok(Exposure::Blocked) => Verdict::Pass(format!(
                            "IgnorePublicAcls and RestrictPublicBuckets keep the trail's bucket {name} private"
                        )),
                        Ok(Exposure::Private) => Verdict::Pass(format!(
                            "neither the ACL nor the policy of the trail's bucket {name} grants public access"
                        )),
                        Err(reason) => Verdict::Unknown(reason),
                    }
                }
                Err(reason) => Verdict::Unknown(reason),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn trail(bucket: Option<&str>) -> Trail {
        Trail { home_region: REGION.into(), s3_bucket_name: bucket.map(String::from), ..Default::default() }
    }

    fn grant_all_users() -> Field<Acl> {
        Field::Known(Acl {
            owner_id: Some("owner".into()),
            grants: vec![Grant {
                grantee_type: "Group".into(),
                grantee_id: None,
                grantee_uri: Some(ALL_USERS_URI.into()),
                permission: "READ".into(),
            }],
        })
    }

    fn judge(inv: &Inventory) -> Vec<(String, Status, String)> {
        let mut v: Vec<_> =
            run(&CloudtrailBucketNotPublic, inv).into_iter().map(|f| (f.resource.id, f.status, f.message)).collect();
        v.sort();
        v
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("logs", private_bucket()));
        inv.resources.push(resource("site", S3Bucket { acl: grant_all_users(), ..private_bucket() }));
        inv.resources
            .push(resource("unread", S3Bucket { acl: Field::Unknown(denied("s3:GetBucketAcl")), ..private_bucket() }));
        inv.resources.push(resource("t-private", trail(Some("logs"))));
        inv.resources.push(resource("t-public", trail(Some("site"))));
        inv.resources.push(resource("t-unread", trail(Some("unread"))));
        let found = judge(&inv);
        let status: Vec<_> = found.iter().map(|(id, s, _)| (id.as_str(), *s)).collect();
        assert_eq!(
            status,
            vec![("t-private", Status::Pass), ("t-public", Status::Fail), ("t-unread", Status::Unknown)]
        );
        assert_eq!(found[1].2, "the trail's bucket site is public: the ACL grants READ to AllUsers");
        assert!(found[2].2.contains("s3:GetBucketAcl"), "{}", found[2].2);
    }

    #[test]
    fn a_bucket_outside_the_inventory_is_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("t-central", trail(Some("org-log-archive"))));
        inv.resources.push(resource("t-none", trail(None)));
        let found = judge(&inv);
        assert_eq!(found[0].1, Status::Unknown);
        assert!(found[0].2.contains("org-log-archive") && found[0].2.contains("another account"), "{}", found[0].2);
        assert_eq!(found[1].1, Status::Unknown);
        assert!(found[1].2.contains("names no S3 bucket"), "{}", found[1].2);

        // With the bucket listing failed, the listing's own reason is given.
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let found = judge(&inv);
        assert!(found[0].2.contains("s3:ListBuckets"), "{}", found[0].2);

        // S3 not collected at all.
        inv.listings.retain(|l| l.kind != ResourceKind::S3Bucket);
        let found = judge(&inv);
        assert!(found[0].2.contains("not collected"), "{}", found[0].2);
    }

    #[test]
    fn failed_trail_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        let findings = run(&CloudtrailBucketNotPublic, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
