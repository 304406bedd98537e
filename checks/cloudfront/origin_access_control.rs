use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags CloudFront distributions with an S3 origin (an S3 REST endpoint, or any origin with an
    /// `S3OriginConfig`) that does not use an origin access control (OAC). An origin that uses the legacy origin
    /// access identity (OAI) fails too, unless the `allow_oai` parameter is set. S3 static website endpoints are
    /// custom origins and are not judged; distributions without S3 origins get no finding.
    ///
    /// ## Why is this bad?
    /// Without OAC the bucket must be readable by someone other than CloudFront, usually everyone: viewers can
    /// fetch objects straight from S3, bypassing the distribution's WAF rules, signed URLs, geo restrictions and
    /// logs. OAI, its predecessor, does not sign requests with SigV4, cannot read SSE-KMS objects and is not
    /// available in newer regions; AWS recommends migrating to OAC.
    ///
    /// ## Remediation
    /// ```sh
    /// aws cloudfront create-origin-access-control --origin-access-control-config \
    ///   Name=site,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3
    /// # set "OriginAccessControlId" on the S3 origin (and "OriginAccessIdentity": "") in the distribution
    /// # config, update the distribution, then allow the cloudfront.amazonaws.com principal in the bucket policy
    /// # with an AWS:SourceArn condition on the distribution ARN.
    /// ```
    /// CDK: `origins.S3BucketOrigin.withOriginAccessControl(bucket)`; CloudFormation: an
    /// `AWS::CloudFront::OriginAccessControl` and `OriginAccessControlId: !GetAtt OAC.Id` on the origin.
    ///
    /// ## Parameters
    /// - `allow_oai` (boolean, default `false`): accept the legacy origin access identity as access control.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-13
    pub CloudFrontOriginAccessControl {
        id: "cloudfront_origin_access_control",
        title: "CloudFront S3 origins use origin access control",
        severity: Severity::Medium,
        service: "cloudfront",
        kinds: &[ResourceKind::CloudFrontDistribution],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudFront.13")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Accept a legacy origin access identity in place of origin access control.
    pub allow_oai: bool,
}

// Written out so the safe default is visible: OAI does not pass.
#[allow(clippy::derivable_impls)]
impl Default for Params {
    fn default() -> Self {
        Params { allow_oai: false }
    }
}

impl CheckParams for Params {}

impl Check for CloudFrontOriginAccessControl {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, distribution) in cx.inventory.iter::<CloudFrontDistribution>() {
            let s3: Vec<&CloudFrontOrigin> = distribution.origins.iter().filter(|o| o.is_s3()).collect();
            if s3.is_empty() {
                continue;
            }
            let mut controlled = Vec::new();
            let mut open = Vec::new();
            for origin in &s3 {
                match (&origin.origin_access_control_id, &origin.origin_access_identity) {
                    (Some(oac), _) => controlled.push(format!("{} (OAC {oac})", origin.id)),
                    (None, Some(oai)) if params.allow_oai => controlled.push(format!("{} (OAI {oai})", origin.id)),
                    (None, Some(_)) => open.push(format!("{} (legacy origin access identity)", origin.id)),
                    (None, None) => open.push(format!("{} (no access control)", origin.id)),
                }
            }
            let verdict = if open.is_empty() {
                Verdict::Pass(format!("S3 origins use origin access control: {}", controlled.join(", ")))
            } else {
                Verdict::Fail(format!("S3 origins without origin access control: {}", open.join(", ")))
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
    use serde_json::json;

    fn origin(id: &str, domain: &str, oac: Option<&str>, oai: Option<&str>) -> CloudFrontOrigin {
        CloudFrontOrigin {
            id: id.into(),
            domain_name: domain.into(),
            s3_origin_config: oac.is_some() || oai.is_some(),
            origin_access_control_id: oac.map(String::from),
            origin_access_identity: oai.map(String::from),
        }
    }

    fn distribution(origins: Vec<CloudFrontOrigin>) -> CloudFrontDistribution {
        CloudFrontDistribution { origins, ..Default::default() }
    }

    const OAI: &str = "origin-access-identity/cloudfront/E2ABC";

    #[test]
    fn pass_fail_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource(
            "oac",
            distribution(vec![
                origin("site", "site.s3.eu-west-1.amazonaws.com", Some("E1OAC"), None),
                origin("api", "api.example.com", None, None),
            ]),
        ));
        inv.resources
            .push(resource("oai", distribution(vec![origin("site", "site.s3.amazonaws.com", None, Some(OAI))])));
        inv.resources.push(resource("open", distribution(vec![origin("site", "site.s3.amazonaws.com", None, None)])));
        // A website endpoint is a custom origin: OAC does not apply.
        inv.resources.push(resource(
            "website",
            distribution(vec![origin("www", "site.s3-website-us-east-1.amazonaws.com", None, None)]),
        ));
        let findings = run(&CloudFrontOriginAccessControl, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("oac".into(), Status::Pass), ("oai".into(), Status::Fail), ("open".into(), Status::Fail)]
        );
        let oai = findings.iter().find(|f| f.resource.id == "oai").map(|f| f.message.as_str());
        assert_eq!(oai, Some("S3 origins without origin access control: site (legacy origin access identity)"));

        let findings = run_with(&CloudFrontOriginAccessControl, &inv, Some(json!({"allow_oai": true})));
        assert!(statuses(&findings).contains(&("oai".into(), Status::Pass)));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_account() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudFrontDistribution, GLOBAL, denied("cloudfront:ListDistributions"));
        let findings = run(&CloudFrontOriginAccessControl, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
