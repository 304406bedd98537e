//! S3: buckets (listed once, detailed in each bucket's own region) and the account-level Block Public Access
//! setting (S3 Control).

use super::scope::{self, Scope};
use crate::model::{
    Acl, Cause, EncryptionRule, Field, Grant, LifecycleRule, LoggingTarget, PolicyDocument, Properties,
    PublicAccessBlock, Replication, ReplicationDestination, ReplicationRule, Resource, ResourceKind,
    S3AccountPublicAccessBlock, S3Bucket, UnknownReason, Versioning,
};
use aws_sdk_s3::Client;
use futures::stream::{self, StreamExt};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Buckets detailed at once (each with a dozen calls in flight; the session's semaphore bounds the total).
const BUCKET_CONCURRENCY: usize = 16;

pub async fn collect(scope: Scope, regions: Arc<[String]>) {
    tokio::join!(buckets(&scope, &regions), account_public_access_block(&scope));
}

/// A bucket from `ListBuckets`, with its region once known.
/// A listed bucket and whether its region could be read.
struct Listed {
    name: String,
    region: Result<String, UnknownReason>,
}

async fn buckets(scope: &Scope, regions: &[String]) {
    let home = scope.session.s3_client(&scope.region);
    // No page size: AWS returns every bucket in one page unless the account has more than 10,000, and emulators
    // that honour `MaxBuckets` do not all return a continuation token.
    let pages = scope.pages("ListBuckets", home.list_buckets().into_paginator().send()).await;
    let pages = match pages {
        Ok(pages) => pages,
        Err(reason) => {
            for region in regions {
                scope.in_region(region).listed(ResourceKind::S3Bucket, Err(reason.clone()));
            }
            return;
        }
    };

    // Each bucket's region: from `ListBuckets` itself when AWS includes it, else `GetBucketLocation`.
    let listed: Vec<(String, Option<chrono::DateTime<chrono::Utc>>, Option<String>)> = pages
        .iter()
        .flat_map(|page| page.buckets())
        .filter_map(|b| {
            let name = b.name()?.to_string();
            Some((name, scope::time(b.creation_date()), b.bucket_region().filter(|r| !r.is_empty()).map(String::from)))
        })
        .collect();
    // One pipeline per bucket: its region, then at once its details, so no bucket waits for the others'
    // locations. Clients are built up front, one per audited region.
    let clients: HashMap<String, Client> = regions.iter().map(|r| (r.clone(), scope.session.s3_client(r))).collect();
    let collected: Vec<(Listed, Option<Resource>)> = stream::iter(listed)
        .map(|(name, creation_date, region)| {
            let (home, clients) = (&home, &clients);
            async move {
                let region = match region {
                    Some(region) => Ok(region),
                    None => scope
                        .call("GetBucketLocation", Some(&name), home.get_bucket_location().bucket(&name).send())
                        .await
                        .map(|out| location_region(out.location_constraint().map(|c| c.as_str()))),
                };
                // Buckets outside the audited regions are out of scope.
                let mut resource = None;
                if let Some(client) = region.as_ref().ok().and_then(|r| clients.get(r)) {
                    let region = region.as_deref().unwrap_or_default();
                    resource = bucket(&scope.in_region(region), client, &name, creation_date).await;
                }
                (Listed { name, region }, resource)
            }
        })
        .buffer_unordered(BUCKET_CONCURRENCY)
        .collect()
        .await;
    let (listed, resources): (Vec<Listed>, Vec<Option<Resource>>) = collected.into_iter().unzip();
    let mut resources: Vec<Resource> = resources.into_iter().flatten().collect();
    resolve_replication_destinations(scope, &home, &listed, &mut resources).await;
    for resource in resources {
        scope.add(resource);
    }

    let unplaced: Vec<&str> = listed.iter().filter(|b| b.region.is_err()).map(|b| b.name.as_str()).collect();
    let outcome = if unplaced.is_empty() {
        Ok(())
    } else {
        Err(UnknownReason::new(
            Cause::Dependency,
            "s3:GetBucketLocation",
            format!("the region of bucket(s) {} could not be read", unplaced.join(", ")),
        ))
    };
    for region in regions {
        scope.in_region(region).listed(ResourceKind::S3Bucket, outcome.clone());
    }
}

fn location_region(constraint: Option<&str>) -> String {
    match constraint.map(str::trim) {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(region) => region.to_ascii_lowercase(),
    }
}

async fn bucket(
    scope: &Scope,
    s3: &Client,
    name: &str,
    creation_date: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<Resource> {
    let (
        encryption,
        versioning,
        logging,
        public_access_block,
        policy,
        policy_is_public,
        acl,
        ownership,
        lifecycle,
        replication,
        tags,
    ) = tokio::join!(
        scope.fetch(
            "GetBucketEncryption",
            name,
            &["ServerSideEncryptionConfigurationNotFoundError"],
            s3.get_bucket_encryption().bucket(name).send(),
            |out| match out.server_side_encryption_configuration() {
                Some(config) => Field::Known(
                    config
                        .rules()
                        .iter()
                        .filter_map(|rule| {
                            let default = rule.apply_server_side_encryption_by_default()?;
                            Some(EncryptionRule {
                                algorithm: default.sse_algorithm().as_str().to_string(),
                                kms_key_id: default.kms_master_key_id().map(String::from),
                                bucket_key_enabled: rule.bucket_key_enabled(),
                            })
                        })
                        .collect(),
                ),
                None => Field::Absent,
            },
        ),
        scope.fetch("GetBucketVersioning", name, &[], s3.get_bucket_versioning().bucket(name).send(), |out| {
            Field::Known(Versioning {
                status: out.status().map(|s| s.as_str().to_string()),
                mfa_delete: out.mfa_delete().map(|s| s.as_str().to_string()),
            })
        }),
        scope.fetch("GetBucketLogging", name, &[], s3.get_bucket_logging().bucket(name).send(), |out| {
            out.logging_enabled()
                .map(|l| LoggingTarget {
                    target_bucket: l.target_bucket().to_string(),
                    target_prefix: l.target_prefix().to_string(),
                })
                .into()
        }),
        scope.fetch(
            "GetPublicAccessBlock",
            name,
            &["NoSuchPublicAccessBlockConfiguration"],
            s3.get_public_access_block().bucket(name).send(),
            |out| {
                out.public_access_block_configuration()
                    .map(|c| PublicAccessBlock {
                        block_public_acls: c.block_public_acls().unwrap_or(false),
                        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                        block_public_policy: c.block_public_policy().unwrap_or(false),
                        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                    })
                    .into()
            },
        ),
        scope.fetch(
            "GetBucketPolicy",
            name,
            &["NoSuchBucketPolicy"],
            s3.get_bucket_policy().bucket(name).send(),
            |out| match out.policy() {
                Some(text) => parse_policy(scope, name, "s3:GetBucketPolicy", text),
                None => Field::Absent,
            },
        ),
        scope.fetch(
            "GetBucketPolicyStatus",
            name,
            &["NoSuchBucketPolicy"],
            s3.get_bucket_policy_status().bucket(name).send(),
            |out| out.policy_status().and_then(|s| s.is_public()).into(),
        ),
        scope.fetch("GetBucketAcl", name, &[], s3.get_bucket_acl().bucket(name).send(), |out| {
            Field::Known(Acl {
                owner_id: out.owner().and_then(|o| o.id()).map(String::from),
                grants: out
                    .grants()
                    .iter()
                    .filter_map(|g| {
                        let grantee = g.grantee()?;
                        Some(Grant {
                            grantee_type: grantee.r#type().as_str().to_string(),
                            grantee_id: grantee.id().or(grantee.email_address()).map(String::from),
                            grantee_uri: grantee.uri().map(String::from),
                            permission: g.permission().map(|p| p.as_str().to_string()).unwrap_or_default(),
                        })
                    })
                    .collect(),
            })
        }),
        scope.fetch(
            "GetBucketOwnershipControls",
            name,
            &["OwnershipControlsNotFoundError"],
            s3.get_bucket_ownership_controls().bucket(name).send(),
            |out| {
                out.ownership_controls()
                    .and_then(|c| c.rules().first())
                    .map(|r| r.object_ownership().as_str().to_string())
                    .into()
            },
        ),
        scope.fetch(
            "GetBucketLifecycleConfiguration",
            name,
            &["NoSuchLifecycleConfiguration"],
            s3.get_bucket_lifecycle_configuration().bucket(name).send(),
            |out| {
                Field::Known(
                    out.rules()
                        .iter()
                        .map(|r| LifecycleRule {
                            id: r.id().map(String::from),
                            enabled: r.status().as_str() == "Enabled",
                        })
                        .collect(),
                )
            },
        ),
        scope.fetch(
            "GetBucketReplication",
            name,
            &["ReplicationConfigurationNotFoundError"],
            s3.get_bucket_replication().bucket(name).send(),
            |out| {
                out.replication_configuration()
                    .map(|c| Replication {
                        role: c.role().to_string(),
                        rules: c
                            .rules()
                            .iter()
                            .map(|r| ReplicationRule {
                                id: r.id().map(String::from),
                                enabled: r.status().as_str() == "Enabled",
                                destination_bucket: r.destination().map(|d| d.bucket().to_string()).unwrap_or_default(),
                                destination_account: r.destination().and_then(|d| d.account()).map(String::from),
                                // Resolved once every bucket is listed.
                                destination: Field::Unknown(UnknownReason::not_collected("replication destination")),
                            })
                            .collect(),
                    })
                    .into()
            },
        ),
        scope.fetch("GetBucketTagging", name, &["NoSuchTagSet"], s3.get_bucket_tagging().bucket(name).send(), |out| {
            Field::Known(scope::tags(out.tag_set().iter().map(|t| (Some(t.key()), Some(t.value())))))
        }),
    );
    // No tag set is a known, empty set of tags.
    let tags = match tags {
        Field::Absent => Field::Known(BTreeMap::new()),
        other => other,
    };

    if [encryption.is_gone(), versioning.is_gone(), acl.is_gone(), tags.is_gone()].iter().all(|gone| *gone) {
        // Deleted between ListBuckets and now: nothing to audit.
        tracing::debug!(bucket = name, "bucket disappeared during collection");
        return None;
    }

    let properties = S3Bucket {
        creation_date,
        encryption,
        versioning,
        logging,
        public_access_block,
        policy,
        policy_is_public,
        acl,
        ownership,
        lifecycle,
        replication,
    };
    let arn = format!("arn:{}:s3:::{name}", scope.partition);
    Some(scope.resource(name, arn, Some(name.to_string()), tags, properties))
}

/// Finds where each replication rule's destination bucket is: in the account's own bucket list, or else through
/// `GetBucketLocation` (one call per outside bucket), which tells a bucket of another account (it answers) from
/// one that does not exist (`NoSuchBucket`).
async fn resolve_replication_destinations(scope: &Scope, home: &Client, listed: &[Listed], resources: &mut [Resource]) {
    let own: HashMap<&str, &Result<String, UnknownReason>> =
        listed.iter().map(|b| (b.name.as_str(), &b.region)).collect();
    let mut outside: Vec<String> = resources
        .iter()
        .filter_map(|r| match &r.properties {
            Properties::S3Bucket(b) => b.replication.known().ok().flatten(),
            _ => None,
        })
        .flat_map(|replication| replication.rules.iter().map(|rule| rule.destination_name().to_string()))
        .filter(|name| !name.is_empty() && !own.contains_key(name.as_str()))
        .collect();
    outside.sort();
    outside.dedup();
    let located: HashMap<String, Field<String>> = stream::iter(outside)
        .map(|name| async move {
            let region = scope
                .fetch(
                    "GetBucketLocation",
                    &name,
                    &["NoSuchBucket"],
                    home.get_bucket_location().bucket(&name).send(),
                    |out| Field::Known(location_region(out.location_constraint().map(|c| c.as_str()))),
                )
                .await;
            (name, region)
        })
        .buffer_unordered(BUCKET_CONCURRENCY)
        .collect()
        .await;
    for resource in resources.iter_mut() {
        let Properties::S3Bucket(bucket) = &mut resource.properties else { continue };
        let Field::Known(replication) = &mut bucket.replication else { continue };
        for rule in &mut replication.rules {
            let name = rule.destination_name();
            rule.destination = match (own.get(name), located.get(name)) {
                (Some(Ok(region)), _) => Field::Known(ReplicationDestination { region: region.clone(), owned: true }),
                (Some(Err(reason)), _) => Field::Unknown(reason.clone()),
                (None, Some(region)) => region.clone().map(|region| ReplicationDestination { region, owned: false }),
                (None, None) => Field::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "s3:GetBucketReplication",
                    format!("the replication rule names no destination bucket ({:?})", rule.destination_bucket),
                )),
            };
        }
    }
}

trait Gone {
    /// True when the call failed because the bucket no longer exists.
    fn is_gone(&self) -> bool;
}

impl<T> Gone for Field<T> {
    fn is_gone(&self) -> bool {
        matches!(self, Field::Unknown(r) if r.code.as_deref() == Some("NoSuchBucket"))
    }
}

/// A policy document; an unparseable one is unknown (recorded), never guessed at.
fn parse_policy(scope: &Scope, resource: &str, operation: &str, text: &str) -> Field<PolicyDocument> {
    match PolicyDocument::parse(text) {
        Ok(doc) => Field::Known(doc),
        Err(e) => {
            let reason = UnknownReason::new(Cause::Malformed, operation, format!("policy document is not JSON: {e}"));
            scope.record(Some(resource), reason.clone());
            Field::Unknown(reason)
        }
    }
}

async fn account_public_access_block(scope: &Scope) {
    // Errors name the S3 Control operation (`s3control:GetPublicAccessBlock`), not the bucket-level one.
    let mut scope = scope.clone();
    scope.service = "s3control";
    let scope = &scope;
    let control = scope.session.s3control_client(&scope.region);
    let account = scope.account_id.to_string();
    let config = scope
        .fetch(
            "GetPublicAccessBlock",
            &account,
            &["NoSuchPublicAccessBlockConfiguration"],
            control.get_public_access_block().account_id(&account).send(),
            |out| {
                out.public_access_block_configuration()
                    .map(|c| PublicAccessBlock {
                        block_public_acls: c.block_public_acls().unwrap_or(false),
                        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                        block_public_policy: c.block_public_policy().unwrap_or(false),
                        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                    })
                    .into()
            },
        )
        .await;
    let arn = format!("arn:{}:s3::{}:account-public-access-block", scope.partition, scope.account_id);
    scope.add(scope.resource(account.clone(), arn, None, Field::Absent, S3AccountPublicAccessBlock { config }));
    scope.listed(ResourceKind::S3AccountPublicAccessBlock, Ok(()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_region_from_location_constraint() {
        assert_eq!(location_region(None), "us-east-1");
        assert_eq!(location_region(Some("")), "us-east-1");
        assert_eq!(location_region(Some("EU")), "eu-west-1");
        assert_eq!(location_region(Some("eu-central-1")), "eu-central-1");
        assert_eq!(location_region(Some("ap-southeast-2")), "ap-southeast-2");
    }
}
