use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudFront distributions without standard access logging to S3 (`Logging.Enabled` in the
    /// distribution configuration, read with `GetDistributionConfig`). Logs delivered only through the newer
    /// CloudWatch Logs delivery ("standard logging v2") are not seen by this check.
    ///
    /// ## Why is this bad?
    /// Access logs are the only record of who requested what through the distribution: without them an abuse
    /// report, a credential-stuffing attempt or a data scrape cannot be investigated, and AWS WAF rules cannot
    /// be tuned from real traffic.
    ///
    /// ## Remediation
    /// ```sh
    /// aws cloudfront get-distribution-config --id DIST_ID > dist.json
    /// # in .DistributionConfig set "Logging": {"Enabled": true, "IncludeCookies": false,
    /// #   "Bucket": "LOG_BUCKET.s3.amazonaws.com", "Prefix": "cdn/"}, then
    /// aws cloudfront update-distribution --id DIST_ID --if-match ETAG --distribution-config file://config.json
    /// ```
    /// The log bucket must have ACLs enabled for the `awslogsdelivery` account. CloudFormation: `Logging: {
    /// Bucket: !GetAtt LogBucket.DomainName, Prefix: cdn/ }` in `DistributionConfig`; CDK: `enableLogging: true,
    /// logBucket: bucket` on the `Distribution`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-5
    pub CloudFrontLoggingEnabled {
        id: "cloudfront_logging",
        title: "CloudFront distributions have access logging enabled",
        severity: Severity::Medium,
        service: "cloudfront",
        kinds: &[ResourceKind::CloudFrontDistribution],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudFront.5")],
    }
}

impl Check for CloudFrontLoggingEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, distribution) in cx.inventory.iter::<CloudFrontDistribution>() {
            let verdict = match distribution.logging.known() {
                Ok(Some(logging)) => Verdict::Pass(format!(
                    "access logs are delivered to {}{}",
                    logging.bucket,
                    if logging.prefix.is_empty() { String::new() } else { format!(" under {}", logging.prefix) }
                )),
                Ok(None) => Verdict::Fail("access logging is off".into()),
                Err(reason) => Verdict::Unknown(reason.clone()),
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

    fn distribution(logging: Field<CloudFrontLogging>) -> CloudFrontDistribution {
        CloudFrontDistribution { logging, ..Default::default() }
    }

    #[test]
    fn pass_fail_and_unknown() {
        let mut inv = inventory();
        let logs =
            CloudFrontLogging { bucket: "logs.s3.amazonaws.com".into(), prefix: "cdn/".into(), ..Default::default() };
        inv.resources.push(resource("logged", distribution(Field::Known(logs))));
        inv.resources.push(resource("silent", distribution(Field::Absent)));
        inv.resources
            .push(resource("denied", distribution(Field::Unknown(denied("cloudfront:GetDistributionConfig")))));
        let findings = run(&CloudFrontLoggingEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("denied".into(), Status::Unknown), ("logged".into(), Status::Pass), ("silent".into(), Status::Fail)]
        );
        let pass = findings.iter().find(|f| f.resource.id == "logged").map(|f| f.message.as_str());
        assert_eq!(pass, Some("access logs are delivered to logs.s3.amazonaws.com under cdn/"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_account() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudFrontDistribution, GLOBAL, denied("cloudfront:ListDistributions"));
        let findings = run(&CloudFrontLoggingEnabled, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
