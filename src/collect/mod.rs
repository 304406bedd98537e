//! Live collection: the only part of awsaudit that talks to AWS. Every service × region runs concurrently;
//! what cannot be read is recorded, never guessed.

mod autoscaling;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod ec2;
mod elbv2;
mod iam;
mod kms;
mod lambda;
mod logs;
mod rds;
mod route53;
mod s3;
mod s3_clients;
pub mod scope;
pub mod session;
mod sns;

use crate::check::DynCheck;
use crate::model::{Cause, CollectionError, Inventory, SERVICES, UnknownReason};
use anyhow::Context as _;
use scope::{Batch, Scope};
use session::{Session, SessionOptions, client};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;
use tokio::task::JoinSet;

pub struct CollectOptions {
    pub profile: Option<String>,
    pub home_region: Option<String>,
    pub regions: RegionChoice,
    pub services: Vec<String>,
    pub endpoint_url: Option<String>,
    pub concurrency: usize,
    pub max_attempts: u32,
    pub progress: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RegionChoice {
    /// Every region enabled for the account (`ec2:DescribeRegions`).
    AllEnabled,
    Listed(Vec<String>),
}

impl RegionChoice {
    pub fn parse(values: &[String]) -> anyhow::Result<Self> {
        let values: Vec<String> =
            values.iter().map(|v| v.trim().to_ascii_lowercase()).filter(|v| !v.is_empty()).collect();
        if values.is_empty() || values.iter().any(|v| v == "all") {
            if values.len() > 1 {
                anyhow::bail!("--regions: `all` cannot be combined with region names");
            }
            return Ok(RegionChoice::AllEnabled);
        }
        for v in &values {
            if !looks_like_region(v) {
                anyhow::bail!("--regions: {v:?} is not a region name (expected e.g. eu-west-1)");
            }
        }
        let mut unique = Vec::new();
        for v in values {
            if !unique.contains(&v) {
                unique.push(v);
            }
        }
        Ok(RegionChoice::Listed(unique))
    }
}

fn looks_like_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The services to collect: the ones named, else the ones the selected checks read.
pub fn services_for(checks: &[&'static dyn DynCheck], named: &[String]) -> Vec<String> {
    if !named.is_empty() {
        return named.to_vec();
    }
    let needed: BTreeSet<&str> = checks.iter().flat_map(|c| c.meta().kinds.iter().map(|k| k.service())).collect();
    SERVICES.iter().filter(|s| needed.contains(*s)).map(|s| s.to_string()).collect()
}

pub async fn collect(options: CollectOptions) -> anyhow::Result<Inventory> {
    let started = Instant::now();
    let session = Arc::new(
        Session::new(&SessionOptions {
            profile: options.profile.clone(),
            home_region: options.home_region.clone(),
            endpoint_url: options.endpoint_url.clone(),
            concurrency: options.concurrency,
            max_attempts: options.max_attempts,
        })
        .await,
    );
    let home = session.home_region.clone();

    let sts = client!(&session, aws_sdk_sts, "sts", &home);
    let identity = sts.get_caller_identity().send().await.map_err(|e| {
        let reason = scope::classify("sts:GetCallerIdentity", &e);
        anyhow::anyhow!(
            "cannot identify the AWS account: {reason}. Check the credentials (AWS_PROFILE, --profile, \
             environment variables, SSO login) and the endpoint"
        )
    })?;
    let account_id = identity.account().context("GetCallerIdentity returned no account id")?.to_string();
    let caller_arn = identity.arn().map(String::from);
    let partition = caller_arn
        .as_deref()
        .and_then(|arn| arn.split(':').nth(1))
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string();

    let regions: Vec<String> = match &options.regions {
        RegionChoice::Listed(list) => list.clone(),
        RegionChoice::AllEnabled => enabled_regions(&session, &home).await?,
    };
    tracing::info!(account = %account_id, regions = regions.len(), "collecting");

    let regions_shared: Arc<[String]> = regions.clone().into();
    let mut tasks: JoinSet<(String, String, Batch)> = JoinSet::new();
    for service in &options.services {
        let service: &'static str = match SERVICES.iter().find(|s| **s == service.as_str()) {
            Some(s) => s,
            None => anyhow::bail!("unknown service {service:?}"),
        };
        match service {
            "s3" => {
                let global_scope = Scope::new(session.clone(), service, &home, &account_id, &partition);
                let regions = regions_shared.clone();
                tasks.spawn(async move {
                    s3::collect(global_scope.clone(), regions).await;
                    ("s3".into(), "global".into(), global_scope.take())
                });
            }
            // Global services: read once, through the home region's endpoint.
            "iam" | "route53" | "cloudfront" => {
                let global_scope = Scope::new(session.clone(), service, &home, &account_id, &partition);
                tasks.spawn(async move {
                    match service {
                        "iam" => iam::collect(global_scope.clone()).await,
                        "route53" => route53::collect(global_scope.clone()).await,
                        _ => cloudfront::collect(global_scope.clone()).await,
                    }
                    (service.to_string(), "global".into(), global_scope.take())
                });
            }
            regional => {
                for region in regions.iter() {
                    // A scope (and so a result batch) of its own per region.
                    let own = Scope::new(session.clone(), regional, region, &account_id, &partition);
                    let region = region.clone();
                    let audited = regions_shared.clone();
                    tasks.spawn(async move {
                        match regional {
                            "ec2" => ec2::collect(own.clone()).await,
                            "autoscaling" => autoscaling::collect(own.clone()).await,
                            "cloudtrail" => cloudtrail::collect(own.clone(), audited).await,
                            "config" => config::collect(own.clone()).await,
                            "kms" => kms::collect(own.clone()).await,
                            "rds" => rds::collect(own.clone(), audited).await,
                            "elbv2" => elbv2::collect(own.clone()).await,
                            "lambda" => lambda::collect(own.clone()).await,
                            "sns" => sns::collect(own.clone()).await,
                            "logs" => logs::collect(own.clone()).await,
                            "cloudwatch" => cloudwatch::collect(own.clone()).await,
                            _ => {}
                        }
                        (regional.to_string(), region, own.take())
                    });
                }
            }
        }
    }

    // Progress on stderr for a person at a terminal; nothing at all for cron, CI or a pipe.
    let progress = if options.progress {
        let bar = indicatif::ProgressBar::new(tasks.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} collecting {pos}/{len} service×region [{elapsed}] {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    let mut inventory = Inventory::new(account_id, partition, chrono::Utc::now());
    inventory.caller_arn = caller_arn;
    inventory.regions = regions;
    inventory.services = options.services.clone();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((service, region, batch)) => {
                progress.inc(1);
                progress.set_message(format!("{service} {region} done"));
                inventory.resources.extend(batch.resources);
                inventory.listings.extend(batch.listings);
                inventory.errors.extend(batch.errors);
            }
            // A collector bug must not take the audit down; its lists stay "not collected", so its checks
            // report UNKNOWN.
            Err(e) => inventory.errors.push(CollectionError {
                service: "awsaudit".into(),
                region: "unknown".into(),
                resource: None,
                reason: UnknownReason::new(Cause::ServiceError, "collector task", e.to_string()),
            }),
        }
    }
    progress.finish_and_clear();
    inventory.resources.sort_by(|a, b| (a.kind(), &a.region, &a.id).cmp(&(b.kind(), &b.region, &b.id)));
    inventory.listings.sort_by(|a, b| (a.kind, &a.region).cmp(&(b.kind, &b.region)));
    inventory.errors.sort_by(|a, b| {
        (&a.service, &a.region, &a.resource, &a.reason.operation).cmp(&(
            &b.service,
            &b.region,
            &b.resource,
            &b.reason.operation,
        ))
    });
    let calls = session.calls.snapshot();
    inventory.stats.api_calls = calls.requests.clone();
    inventory.stats.retried = calls
        .requests
        .iter()
        .filter_map(|(service, sent)| {
            let ops = calls.operations.get(service).copied().unwrap_or(0);
            (*sent > ops).then(|| (service.clone(), sent - ops))
        })
        .collect();
    inventory.stats.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(inventory)
}

async fn enabled_regions(session: &Arc<Session>, home: &str) -> anyhow::Result<Vec<String>> {
    let ec2 = client!(session, aws_sdk_ec2, "ec2", home);
    let out = ec2.describe_regions().all_regions(false).send().await.map_err(|e| {
        let reason = scope::classify("ec2:DescribeRegions", &e);
        anyhow::anyhow!("cannot list the account's enabled regions: {reason}; name them with --regions")
    })?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| r.opt_in_status().is_none_or(|s| s != "not-opted-in"))
        .filter_map(|r| r.region_name().map(String::from))
        .collect();
    regions.sort();
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_choice() {
        assert_eq!(RegionChoice::parse(&["all".into()]).ok(), Some(RegionChoice::AllEnabled));
        assert_eq!(
            RegionChoice::parse(&["eu-west-1".into(), "us-gov-west-1".into(), "eu-west-1".into()]).ok(),
            Some(RegionChoice::Listed(vec!["eu-west-1".into(), "us-gov-west-1".into()]))
        );
        assert!(RegionChoice::parse(&["europe".into()]).is_err());
        assert!(RegionChoice::parse(&["all".into(), "eu-west-1".into()]).is_err());
    }
}
