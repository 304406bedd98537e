use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags CloudFront distributions with an S3 origin (REST endpoint) whose bucket is not one of this
    /// account's buckets. The bucket is looked up in the S3 inventory of the same audit: found in any region, the
    /// origin passes. Not found, it fails only when the bucket list of the bucket's region (named by the origin
    /// domain, e.g. `bucket.s3.eu-west-1.amazonaws.com`) is complete; when that list failed or was not collected,
    /// or when the domain names no region (`bucket.s3.amazonaws.com`) and the bucket is in none of the audited
    /// regions, the finding is UNKNOWN. S3 website endpoints are custom origins and are not judged.
    ///
    /// Buckets of other accounts: a bucket this account does not own fails, because from this account a
    /// deleted bucket and another account's bucket look alike, and a bucket re-created by someone else after
    /// deletion is exactly the takeover this check is about. Buckets that legitimately belong to another
    /// account (a shared assets account) are listed in the `external_buckets` parameter and pass.
    ///
    /// ## Why is this bad?
    /// S3 bucket names are global. When the origin bucket is deleted, anyone can create a bucket with the same
    /// name in their own account and CloudFront will serve their content under this distribution's domain and
    /// certificate: a subdomain takeover, usable for phishing or malware delivery.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api create-bucket --bucket BUCKET   # reclaim the name at once, then
    /// aws cloudfront get-distribution-config --id DIST_ID > dist.json
    /// # point the origin at an existing bucket (or remove it), then
    /// aws cloudfront update-distribution --id DIST_ID --if-match ETAG --distribution-config file://config.json
    /// ```
    /// In CDK and CloudFormation, reference the bucket resource (`origins.S3BucketOrigin.withOriginAccessControl(
    /// bucket)`, `!GetAtt Bucket.RegionalDomainName`) instead of a literal domain name, and give the bucket
    /// `DeletionPolicy: Retain` so it cannot disappear while the distribution points at it.
    ///
    /// ## Parameters
    /// - `external_buckets` (list of bucket names, default empty): buckets owned by other accounts that origins
    ///   may use. Each must be a valid bucket name (3 to 63 lowercase letters, digits, dots and hyphens).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/config/latest/developerguide/cloudfront-s3-origin-non-existent-bucket.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-12
    /// - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistS3AndCustomOrigins.html
    pub CloudFrontS3OriginExists {
        id: "cloudfront_s3_origin_exists",
        title: "CloudFront S3 origins point at buckets that exist in this account",
        severity: Severity::High,
        service: "cloudfront",
        kinds: &[ResourceKind::CloudFrontDistribution, ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudFront.12")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Buckets of other accounts that origins may point at.
    pub external_buckets: Vec<String>,
}

// Written out so the safe default is visible: no bucket of another account is trusted.
#[allow(clippy::derivable_impls)]
impl Default for Params {
    fn default() -> Self {
        Params { external_buckets: Vec::new() }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        for name in &self.external_buckets {
            let valid_chars =
                name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
            let valid_ends = name.starts_with(|c: char| c.is_ascii_alphanumeric())
                && name.ends_with(|c: char| c.is_ascii_alphanumeric());
            if !(3..=63).contains(&name.len()) || !valid_chars || !valid_ends {
                return Err(format!(
                    "external_buckets: {name:?} is not a bucket name (3 to 63 lowercase letters, digits, dots and \
                     hyphens, starting and ending with a letter or digit)"
                ));
            }
        }
        Ok(())
    }
}

/// What the inventory says about one origin's bucket.
enum Lookup {
    Exists(String),
    Missing(String),
    Unknown(UnknownReason),
}

fn lookup(inventory: &Inventory, params: &Params, origin: &CloudFrontOrigin) -> Lookup {
    let Some(S3OriginBucket { bucket, region }) = origin.s3_bucket() else {
        return Lookup::Unknown(UnknownReason::new(
            Cause::Malformed,
            "cloudfront:ListDistributions",
            format!("S3 origin {} has domain {}, which names no bucket", origin.id, origin.domain_name),
        ));
    };
    if let Some((found, _)) = inventory.iter::<S3Bucket>().find(|(r, _)| r.id == bucket) {
        return Lookup::Exists(format!("{} ({bucket} in {})", origin.id, found.region));
    }
    if params.external_buckets.contains(&bucket) {
        return Lookup::Exists(format!("{} ({bucket}, another account's, listed in external_buckets)", origin.id));
    }
    match region {
        // ListBuckets returns every bucket of the account: a complete list of the region settles it.
        Some(region) => {
            match inventory.listing(ResourceKind::S3Bucket, &region).complete(ResourceKind::S3Bucket, &region) {
                Ok(()) => {
                    Lookup::Missing(format!("{} ({bucket}, not among this account's buckets in {region})", origin.id))
                }
                Err(reason) => Lookup::Unknown(reason),
            }
        }
        None => {
            for audited in &inventory.regions {
                if let Err(reason) =
                    inventory.listing(ResourceKind::S3Bucket, audited).complete(ResourceKind::S3Bucket, audited)
                {
                    return Lookup::Unknown(reason);
                }
            }
            // Buckets of regions this audit did not cover are not in the inventory.
            Lookup::Unknown(UnknownReason::new(
                Cause::NotCollected,
                "s3:ListBuckets",
                format!(
                    "origin {} uses the regionless domain {} and bucket {bucket} is in none of the audited regions \
                     ({}): it may be in another region, in another account, or deleted",
                    origin.id,
                    origin.domain_name,
                    inventory.regions.join(", ")
                ),
            ))
        }
    }
}

impl Check for CloudFrontS3OriginExists {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, distribution) in cx.inventory.iter::<CloudFrontDistribution>() {
            let s3: Vec<&CloudFrontOrigin> = distribution.origins.iter().filter(|o| o.is_s3()).collect();
            if s3.is_empty() {
                continue;
            }
            let (mut existing, mut missing, mut unknown) = (Vec::new(), Vec::new(), None);
            for origin in s3 {
                match lookup(cx.inventory, params, origin) {
                    Lookup::Exists(text) => existing.push(text),
                    Lookup::Missing(text) => missing.push(text),
                    Lookup::Unknown(reason) => unknown = unknown.or(Some(reason)),
                }
            }
            let verdict = if !missing.is_empty() {
                Verdict::Fail(format!(
                    "S3 origins point at buckets this account does not own (deleted, or another account's: trust \
                     those in external_buckets): {}",
                    missing.join(", ")
                ))
            } else if let Some(reason) = unknown {
                Verdict::Unknown(reason)
            } else {
                Verdict::Pass(format!("S3 origin buckets exist: {}", existing.join(", ")))
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn origin(id: &str, domain: &str) -> CloudFrontOrigin {
        CloudFrontOrigin { id: id.into(), domain_name: domain.into(), s3_origin_config: true, ..Default::default() }
    }

    fn distribution(origins: Vec<CloudFrontOrigin>) -> CloudFrontDistribution {
        CloudFrontDistribution { origins, ..Default::default() }
    }

    fn with_bucket(name: &str) -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource(name, S3Bucket::default()));
        inv
    }

    #[test]
    fn pass_fail_and_skipped() {
        let mut inv = with_bucket("site");
        inv.resources.push(resource(
            "ok",
            distribution(vec![
                origin("a", "site.s3.eu-west-1.amazonaws.com"),
                // The regionless form finds the bucket wherever it is.
                origin("b", "site.s3.amazonaws.com"),
            ]),
        ));
        inv.resources
            .push(resource("ghost", distribution(vec![origin("a", &format!("ghost.s3.{REGION}.amazonaws.com"))])));
        inv.resources.push(resource(
            "custom",
            distribution(vec![CloudFrontOrigin { s3_origin_config: false, ..origin("w", "api.example.com") }]),
        ));
        let findings = run(&CloudFrontS3OriginExists, &inv);
        assert_eq!(statuses(&findings), vec![("ghost".into(), Status::Fail), ("ok".into(), Status::Pass)]);
        let ghost = findings.iter().find(|f| f.resource.id == "ghost").map(|f| f.message.clone());
        assert!(ghost.is_some_and(|m| m.ends_with("a (ghost, not among this account's buckets in eu-west-1)")));

        // A bucket of another account, listed as trusted, passes.
        let findings = run_with(&CloudFrontS3OriginExists, &inv, Some(json!({"external_buckets": ["ghost"]})));
        assert!(statuses(&findings).contains(&("ghost".into(), Status::Pass)));
    }

    #[test]
    fn missing_buckets_are_unknown_when_the_bucket_list_cannot_settle_it() {
        let mut inv = with_bucket("site");
        inv.resources.push(resource("other-region", distribution(vec![origin("a", "x.s3.us-west-2.amazonaws.com")])));
        inv.resources.push(resource("regionless", distribution(vec![origin("a", "x.s3.amazonaws.com")])));
        inv.resources.push(resource("unparsed", distribution(vec![origin("a", "odd.example.com")])));
        let findings = run(&CloudFrontS3OriginExists, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("other-region".into(), Status::Unknown),
                ("regionless".into(), Status::Unknown),
                ("unparsed".into(), Status::Unknown),
            ]
        );
        let cause = |id: &str| {
            findings.iter().find(|f| f.resource.id == id).and_then(|f| f.unknown_reason.as_ref()).map(|r| r.cause)
        };
        assert_eq!(cause("other-region"), Some(Cause::NotCollected));
        assert_eq!(cause("regionless"), Some(Cause::NotCollected));
        assert_eq!(cause("unparsed"), Some(Cause::Malformed));

        // A failed bucket list of the region is the reason, not a FAIL.
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        inv.resources.push(resource("d", distribution(vec![origin("a", &format!("x.s3.{REGION}.amazonaws.com"))])));
        let findings = run(&CloudFrontS3OriginExists, &inv);
        let reason = findings.iter().find(|f| f.resource.id == "d").and_then(|f| f.unknown_reason.clone());
        assert_eq!(reason.map(|r| r.operation), Some("s3:ListBuckets".to_string()));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_account() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudFrontDistribution, GLOBAL, denied("cloudfront:ListDistributions"));
        let findings = run(&CloudFrontS3OriginExists, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }

    #[test]
    fn validation_names_the_parameter() {
        for bad in ["ab", "Upper", "-start", "end.", "under_score"] {
            let err = CloudFrontS3OriginExists
                .validate_params(&json!({ "external_buckets": [bad] }))
                .map_err(|e| e.to_string())
                .unwrap_err();
            assert!(err.contains("external_buckets") && err.contains(bad), "{err}");
        }
        assert!(CloudFrontS3OriginExists.validate_params(&json!({"external_buckets": ["assets.example-1"]})).is_ok());
    }
}
