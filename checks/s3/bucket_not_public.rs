use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags S3 buckets that grant access to the public:
    /// - an ACL grant to `AllUsers` (anyone) or `AuthenticatedUsers` (any AWS account), unless ACLs are disabled
    ///   (Object Ownership `BucketOwnerEnforced`) or `IgnorePublicAcls` is on;
    /// - a bucket policy that AWS evaluates as public (`GetBucketPolicyStatus`), unless `RestrictPublicBuckets` is
    ///   on. When AWS's evaluation could not be read, the policy is read here instead: an `Allow` statement for
    ///   everyone (`"Principal": "*"`) is public unless a condition pins the caller or the network
    ///   (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceVpc`, `aws:SourceVpce`,
    ///   `aws:SourceIp`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:userid`,
    ///   `aws:PrincipalArn`) with a positive operator (not `…Not…`, `…IfExists`, `ForAllValues:` or `Null`) and a
    ///   fixed value (no wildcard, pattern or policy variable).
    ///
    /// Block Public Access settings count whether they are set on the bucket or on the account.
    ///
    /// ## Why is this bad?
    /// A public bucket is readable (or writable) by anyone on the internet: the most common cause of large data
    /// leaks on AWS, and a way for others to serve content or run up costs from your account.
    ///
    /// ## Remediation
    /// Remove the public ACL grants and policy statements, then turn Block Public Access on:
    /// ```sh
    /// aws s3api put-bucket-ownership-controls --bucket BUCKET \
    ///   --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
    /// aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, objectOwnership:
    /// s3.ObjectOwnership.BUCKET_OWNER_ENFORCED })`; CloudFormation: `PublicAccessBlockConfiguration` with all four
    /// settings `true` and `OwnershipControls: { Rules: [{ ObjectOwnership: BucketOwnerEnforced }] }`. Serve public
    /// content through CloudFront with origin access control instead of a public bucket.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-3
    pub S3BucketNotPublic {
        id: "s3_bucket_not_public",
        title: "S3 buckets do not grant public access",
        severity: Severity::Critical,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket, ResourceKind::S3AccountPublicAccessBlock],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.2"), fsbp("S3.3")],
    }
}

/// The account-level Block Public Access of the bucket's account; a complete listing without the pseudo-resource
/// means none is configured.
fn account_setting(inventory: &Inventory, account_id: &str) -> Field<PublicAccessBlock> {
    let kind = ResourceKind::S3AccountPublicAccessBlock;
    match inventory.iter::<S3AccountPublicAccessBlock>().find(|(r, _)| r.account_id == account_id) {
        Some((_, setting)) => setting.config.clone(),
        None => match inventory.listing(kind, GLOBAL).complete(kind, GLOBAL) {
            Ok(()) => Field::Absent,
            Err(reason) => Field::Unknown(reason),
        },
    }
}

/// Whether one Block Public Access setting is in force, from the bucket or from the account.
fn setting_on(
    bucket: &Field<PublicAccessBlock>,
    account: &Field<PublicAccessBlock>,
    pick: fn(&PublicAccessBlock) -> bool,
) -> Result<bool, UnknownReason> {
    fn on(f: &Field<PublicAccessBlock>, pick: fn(&PublicAccessBlock) -> bool) -> Result<bool, &UnknownReason> {
        f.known().map(|p| p.is_some_and(pick))
    }
    match (on(bucket, pick), on(account, pick)) {
        (Ok(true), _) | (_, Ok(true)) => Ok(true),
        (Ok(false), Ok(false)) => Ok(false),
        (Err(reason), _) | (_, Err(reason)) => Err(reason.clone()),
    }
}

/// Public grants (or statements) count only if the setting that neutralizes them is known to be off.
fn unless_neutralized(
    found: Result<Vec<String>, UnknownReason>,
    neutralized: Result<bool, UnknownReason>,
) -> Result<Vec<String>, UnknownReason> {
    match (found, neutralized) {
        (_, Ok(true)) => Ok(Vec::new()),
        (Ok(found), _) if found.is_empty() => Ok(found),
        (Ok(found), Ok(false)) => Ok(found),
        (Ok(_), Err(reason)) | (Err(reason), _) => Err(reason),
    }
}

fn public_grants(bucket: &S3Bucket) -> Result<Vec<String>, UnknownReason> {
    // With BucketOwnerEnforced, S3 ignores ACLs entirely.
    if matches!(&bucket.ownership, Field::Known(o) if o == "BucketOwnerEnforced") {
        return Ok(Vec::new());
    }
    match bucket.acl.known() {
        Ok(Some(acl)) => Ok(acl
            .grants
            .iter()
            .filter_map(|g| {
                let group = match g.grantee_uri.as_deref() {
                    Some(ALL_USERS_URI) => "AllUsers",
                    Some(AUTHENTICATED_USERS_URI) => "AuthenticatedUsers",
                    _ => return None,
                };
                Some(format!("the ACL grants {} to {group}", g.permission))
            })
            .collect()),
        Ok(None) => Ok(Vec::new()),
        Err(reason) => Err(reason.clone()),
    }
}

fn public_policy(bucket: &S3Bucket) -> Result<Vec<String>, UnknownReason> {
    // AWS's own evaluation knows every condition key; read the document only when it is not available.
    if let Ok(Some(public)) = bucket.policy_is_public.known() {
        return Ok(if *public { vec!["AWS evaluates the bucket policy as public".to_string()] } else { Vec::new() });
    }
    match bucket.policy.known() {
        Ok(Some(policy)) => Ok(policy
            .statements()
            .iter()
            .filter(|st| st.allows_everyone_unrestricted())
            .map(|st| match st.sid {
                Some(sid) => format!("policy statement {sid:?} allows everyone {}", st.actions.join(", ")),
                None => format!("a policy statement allows everyone {}", st.actions.join(", ")),
            })
            .collect()),
        Ok(None) => Ok(Vec::new()),
        Err(reason) => Err(reason.clone()),
    }
}

/// How exposed a bucket is, as `s3_bucket_not_public` judges it; `cloudtrail_bucket_not_public` reuses it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Exposure {
    /// What makes the bucket public (ACL grants, policy statements).
    Public(Vec<String>),
    /// IgnorePublicAcls and RestrictPublicBuckets are on, so nothing else matters.
    Blocked,
    /// Neither the ACL nor the policy grants public access.
    Private,
}

impl Exposure {
    /// The verdict for the bucket itself.
    pub(crate) fn verdict(self) -> Verdict {
        match self {
            Exposure::Public(found) => Verdict::Fail(format!("the bucket is public: {}", found.join("; "))),
            Exposure::Blocked => Verdict::Pass(
                "IgnorePublicAcls and RestrictPublicBuckets (bucket or account level) keep the bucket private".into(),
            ),
            Exposure::Private => Verdict::Pass("neither the ACL nor the bucket policy grants public access".into()),
        }
    }
}

/// Whether the bucket is public. A public grant found settles it even when another part could not be read.
pub(crate) fn exposure(
    inventory: &Inventory,
    resource: &Resource,
    bucket: &S3Bucket,
) -> Result<Exposure, UnknownReason> {
    let account = account_setting(inventory, &resource.account_id);
    let pab = &bucket.public_access_block;
    let ignore_acls = setting_on(pab, &account, |p| p.ignore_public_acls);
    let restrict = setting_on(pab, &account, |p| p.restrict_public_buckets);
    let blocked = matches!((&ignore_acls, &restrict), (Ok(true), Ok(true)));
    let acl = unless_neutralized(public_grants(bucket), ignore_acls);
    let policy = unless_neutralized(public_policy(bucket), restrict);
    let mut public: Vec<String> = Vec::new();
    let mut unknown = None;
    for part in [acl, policy] {
        match part {
            Ok(found) => public.extend(found),
            Err(reason) => unknown = unknown.or(Some(reason)),
        }
    }
    if !public.is_empty() {
        Ok(Exposure::Public(public))
    } else if let Some(reason) = unknown {
        Err(reason)
    } else if blocked {
        Ok(Exposure::Blocked)
    } else {
        Ok(Exposure::Private)
    }
}

impl Check for S3BucketNotPublic {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = exposure(cx.inventory, resource, bucket).map_or_else(Verdict::Unknown, Exposure::verdict);
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::{Value, json};

    const ALL_ON: PublicAccessBlock = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    fn grant(uri: &str) -> Field<Acl> {
        Field::Known(Acl {
            owner_id: Some("owner".into()),
            grants: vec![Grant {
                grantee_type: "Group".into(),
                grantee_id: None,
                grantee_uri: Some(uri.into()),
                permission: "READ".into(),
            }],
        })
    }

    fn policy(condition: Option<Value>) -> Field<PolicyDocument> {
        let mut st = json!({"Sid": "Web", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::b/*"});
        if let (Some(c), Some(obj)) = (condition, st.as_object_mut()) {
            obj.insert("Condition".into(), c);
        }
        Field::Known(PolicyDocument(json!({"Version": "2012-10-17", "Statement": [st]})))
    }

    fn judge(inv: &mut Inventory, buckets: Vec<(&str, S3Bucket)>) -> Vec<(String, Status)> {
        for (id, b) in buckets {
            inv.resources.push(resource(id, b));
        }
        statuses(&run(&S3BucketNotPublic, inv))
    }

    #[test]
    fn acls() {
        let s = |id: &str, st| (id.to_string(), st);
        let found = judge(
            &mut inventory(),
            vec![
                ("private", private_bucket()),
                ("all-users", S3Bucket { acl: grant(ALL_USERS_URI), ..private_bucket() }),
                ("authenticated", S3Bucket { acl: grant(AUTHENTICATED_USERS_URI), ..private_bucket() }),
                (
                    "blocked",
                    S3Bucket {
                        acl: grant(ALL_USERS_URI),
                        public_access_block: Field::Known(ALL_ON),
                        ..private_bucket()
                    },
                ),
                (
                    "enforced",
                    S3Bucket {
                        acl: grant(ALL_USERS_URI),
                        ownership: Field::Known("BucketOwnerEnforced".into()),
                        ..private_bucket()
                    },
                ),
                ("acl-denied", S3Bucket { acl: Field::Unknown(denied("s3:GetBucketAcl")), ..private_bucket() }),
                // Block Public Access fully on settles it without the ACL.
                (
                    "acl-denied-blocked",
                    S3Bucket {
                        acl: Field::Unknown(denied("s3:GetBucketAcl")),
                        public_access_block: Field::Known(ALL_ON),
                        ..private_bucket()
                    },
                ),
                // A public grant that IgnorePublicAcls may or may not neutralize.
                (
                    "pab-denied",
                    S3Bucket {
                        acl: grant(ALL_USERS_URI),
                        public_access_block: Field::Unknown(denied("s3:GetBucketPublicAccessBlock")),
                        ..private_bucket()
                    },
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                s("acl-denied", Status::Unknown),
                s("acl-denied-blocked", Status::Pass),
                s("all-users", Status::Fail),
                s("authenticated", Status::Fail),
                s("blocked", Status::Pass),
                s("enforced", Status::Pass),
                s("pab-denied", Status::Unknown),
                s("private", Status::Pass),
            ]
        );
    }

    #[test]
    fn policies() {
        let s = |id: &str, st| (id.to_string(), st);
        let unknown_status = || Field::Unknown(denied("s3:GetBucketPolicyStatus"));
        let vpce = json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}});
        let not_vpce = json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b"}});
        let any_ip = json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}});
        let found = judge(
            &mut inventory(),
            vec![
                (
                    "aws-public",
                    S3Bucket { policy: policy(None), policy_is_public: Field::Known(true), ..private_bucket() },
                ),
                // AWS's evaluation wins over the document reading.
                (
                    "aws-private",
                    S3Bucket { policy: policy(None), policy_is_public: Field::Known(false), ..private_bucket() },
                ),
                (
                    "doc-public",
                    S3Bucket { policy: policy(None), policy_is_public: unknown_status(), ..private_bucket() },
                ),
                (
                    "doc-vpce",
                    S3Bucket { policy: policy(Some(vpce)), policy_is_public: unknown_status(), ..private_bucket() },
                ),
                (
                    "doc-not-vpce",
                    S3Bucket { policy: policy(Some(not_vpce)), policy_is_public: unknown_status(), ..private_bucket() },
                ),
                (
                    "doc-any-ip",
                    S3Bucket { policy: policy(Some(any_ip)), policy_is_public: unknown_status(), ..private_bucket() },
                ),
                (
                    "restricted",
                    S3Bucket {
                        policy: policy(None),
                        policy_is_public: Field::Known(true),
                        public_access_block: Field::Known(PublicAccessBlock {
                            restrict_public_buckets: true,
                            ..Default::default()
                        }),
                        ..private_bucket()
                    },
                ),
                (
                    "policy-denied",
                    S3Bucket {
                        policy: Field::Unknown(denied("s3:GetBucketPolicy")),
                        policy_is_public: unknown_status(),
                        ..private_bucket()
                    },
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                s("aws-private", Status::Pass),
                s("aws-public", Status::Fail),
                s("doc-any-ip", Status::Fail),
                s("doc-not-vpce", Status::Fail),
                s("doc-public", Status::Fail),
                s("doc-vpce", Status::Pass),
                s("policy-denied", Status::Unknown),
                s("restricted", Status::Pass),
            ]
        );
    }

    #[test]
    fn account_level_block_public_access_counts() {
        let mut inv = inventory();
        inv.resources.push(resource(ACCOUNT, S3AccountPublicAccessBlock { config: Field::Known(ALL_ON) }));
        let found = judge(&mut inv, vec![("b", S3Bucket { acl: grant(ALL_USERS_URI), ..private_bucket() })]);
        assert_eq!(found, vec![("b".into(), Status::Pass)]);

        // The account setting could not be read: a public grant may or may not be ignored.
        let mut inv = inventory();
        fail_listing(
            &mut inv,
            ResourceKind::S3AccountPublicAccessBlock,
            GLOBAL,
            denied("s3control:GetPublicAccessBlock"),
        );
        let findings = {
            inv.resources.push(resource("b", S3Bucket { acl: grant(ALL_USERS_URI), ..private_bucket() }));
            run(&S3BucketNotPublic, &inv)
        };
        assert_eq!(statuses(&findings), vec![("b".into(), Status::Unknown)]);
        assert!(findings[0].message.contains("s3control:GetPublicAccessBlock"), "{}", findings[0].message);
    }

    #[test]
    fn fail_message_names_the_grant() {
        let mut inv = inventory();
        inv.resources.push(resource("b", S3Bucket { acl: grant(ALL_USERS_URI), ..private_bucket() }));
        let findings = run(&S3BucketNotPublic, &inv);
        assert_eq!(findings[0].message, "the bucket is public: the ACL grants READ to AllUsers");
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketNotPublic, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
