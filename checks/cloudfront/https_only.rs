use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudFront distributions where the default cache behavior or any path-specific cache behavior has
    /// the viewer protocol policy `allow-all`, which serves content over plain HTTP. `https-only` and
    /// `redirect-to-https` pass. One finding per distribution, naming every offending behavior.
    ///
    /// ## Why is this bad?
    /// Over HTTP, anyone on the network path can read and modify what viewers receive: session cookies, tokens
    /// and pages can be stolen or have scripts injected. Redirecting to HTTPS costs nothing for browsers.
    ///
    /// ## Remediation
    /// ```sh
    /// aws cloudfront get-distribution-config --id DIST_ID > dist.json
    /// # set every "ViewerProtocolPolicy" to "redirect-to-https" in .DistributionConfig, then
    /// aws cloudfront update-distribution --id DIST_ID --if-match ETAG --distribution-config file://config.json
    /// ```
    /// CloudFormation: `ViewerProtocolPolicy: redirect-to-https` in `DefaultCacheBehavior` and every
    /// `CacheBehaviors` entry; CDK: `viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS` on
    /// each behavior.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-3
    pub CloudFrontHttpsOnly {
        id: "cloudfront_https_only",
        title: "CloudFront distributions require HTTPS between viewers and CloudFront",
        severity: Severity::Medium,
        service: "cloudfront",
        kinds: &[ResourceKind::CloudFrontDistribution],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudFront.3")],
    }
}

impl Check for CloudFrontHttpsOnly {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, distribution) in cx.inventory.iter::<CloudFrontDistribution>() {
            let mut plain = Vec::new();
            let mut unreadable = Vec::new();
            for behavior in distribution.behaviors() {
                match behavior.viewer_protocol_policy.as_str() {
                    "https-only" | "redirect-to-https" => {}
                    "allow-all" => plain.push(behavior.label()),
                    _ => unreadable.push(behavior.label()),
                }
            }
            let verdict = if !plain.is_empty() {
                Verdict::Fail(format!("viewer protocol policy allow-all (plain HTTP) on: {}", plain.join(", ")))
            } else if !unreadable.is_empty() {
                Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "cloudfront:ListDistributions",
                    format!("unrecognized viewer protocol policy on: {}", unreadable.join(", ")),
                ))
            } else {
                Verdict::Pass(format!(
                    "every cache behavior ({}) requires HTTPS or redirects to it",
                    1 + distribution.cache_behaviors.len()
                ))
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

    fn behavior(path: Option<&str>, policy: &str) -> CloudFrontCacheBehavior {
        CloudFrontCacheBehavior {
            path_pattern: path.map(String::from),
            target_origin_id: "o".into(),
            viewer_protocol_policy: policy.into(),
        }
    }

    fn distribution(default: &str, paths: &[(&str, &str)]) -> CloudFrontDistribution {
        CloudFrontDistribution {
            default_cache_behavior: behavior(None, default),
            cache_behaviors: paths.iter().map(|(p, v)| behavior(Some(p), v)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_and_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("https", distribution("redirect-to-https", &[("/api/*", "https-only")])));
        inv.resources.push(resource("default-http", distribution("allow-all", &[])));
        inv.resources.push(resource("path-http", distribution("https-only", &[("/img/*", "allow-all")])));
        inv.resources.push(resource("odd", distribution("https-only", &[("/x/*", "")])));
        let findings = run(&CloudFrontHttpsOnly, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("default-http".into(), Status::Fail),
                ("https".into(), Status::Pass),
                ("odd".into(), Status::Unknown),
                ("path-http".into(), Status::Fail),
            ]
        );
        let path = findings.iter().find(|f| f.resource.id == "path-http").map(|f| f.message.as_str());
        assert_eq!(path, Some("viewer protocol policy allow-all (plain HTTP) on: /img/*"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_account() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudFrontDistribution, GLOBAL, denied("cloudfront:ListDistributions"));
        let findings = run(&CloudFrontHttpsOnly, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
