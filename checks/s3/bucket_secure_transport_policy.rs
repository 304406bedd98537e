use super::super::prelude::*;
use crate::model::policy::{Principal, Statement, wildcard_match};
use serde_json::Value;

check! {
    /// ## What it does
    /// Flags S3 buckets whose bucket policy does not deny requests made without TLS: it needs a `Deny` statement
    /// for everyone (`"Principal": "*"`) on all S3 actions (`s3:*` or `*`), covering the bucket and all its
    /// objects, with the condition `"Bool": {"aws:SecureTransport": "false"}` and no other condition. A bucket
    /// without a policy fails.
    ///
    /// ## Why is this bad?
    /// S3 still answers plain HTTP. Without the deny, a misconfigured client, SDK or proxy can send requests and
    /// object data in clear, where anyone on the network path can read or tamper with them.
    ///
    /// ## Remediation
    /// Add this statement to the bucket policy (keep the existing statements):
    /// ```json
    /// {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    ///  "Resource": ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"],
    ///  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    /// ```
    /// ```sh
    /// aws s3api put-bucket-policy --bucket BUCKET --policy file://policy.json
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { enforceSSL: true })`; CloudFormation: an `AWS::S3::BucketPolicy` with the
    /// statement above.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
    /// - https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5
    pub S3BucketSecureTransportPolicy {
        id: "s3_bucket_secure_transport_policy",
        title: "S3 bucket policies deny requests made without TLS",
        severity: Severity::Medium,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.5"), cis("2.1.1")],
    }
}

/// `false`, `"false"` (any case) or a list of such: the value `aws:SecureTransport` has on a plain HTTP request.
fn is_false(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::String(s) => s.eq_ignore_ascii_case("false"),
        Value::Array(items) => !items.is_empty() && items.iter().all(is_false),
        _ => false,
    }
}

/// Whether the condition is exactly "aws:SecureTransport is false": any other key would narrow the deny.
fn only_insecure_transport(condition: Option<&Value>) -> bool {
    let Some(operators) = condition.and_then(Value::as_object) else {
        return false;
    };
    !operators.is_empty()
        && operators.iter().all(|(operator, keys)| {
            (operator.eq_ignore_ascii_case("Bool") || operator.eq_ignore_ascii_case("BoolIfExists"))
                && keys.as_object().is_some_and(|keys| {
                    !keys.is_empty()
                        && keys
                            .iter()
                            .all(|(key, value)| key.eq_ignore_ascii_case("aws:SecureTransport") && is_false(value))
                })
        })
}

/// A deny of every S3 action to everyone when the request is not over TLS, whatever resources it names.
fn is_tls_deny(st: &Statement<'_>) -> bool {
    !st.allow
        && st.principal == Principal::Everyone
        && st.not_actions.is_empty()
        && st.actions.iter().any(|a| *a == "*" || a.eq_ignore_ascii_case("s3:*"))
        && only_insecure_transport(st.condition)
}

fn covers(st: &Statement<'_>, arn: &str) -> bool {
    st.not_resources.is_empty() && st.resources.iter().any(|p| wildcard_match(p, arn))
}

impl Check for S3BucketSecureTransportPolicy {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.policy.known() {
                Ok(Some(policy)) => {
                    let bucket_arn = format!("arn:{}:s3:::{}", cx.inventory.partition, resource.id);
                    // Matching the literal `bucket/*` checks that a pattern covers every object key.
                    let objects_arn = format!("{bucket_arn}/*");
                    let statements = policy.statements();
                    let denies: Vec<_> = statements.iter().filter(|st| is_tls_deny(st)).collect();
                    let full = denies.iter().any(|st| covers(st, &bucket_arn))
                        && denies.iter().any(|st| covers(st, &objects_arn));
                    if full {
                        Verdict::Pass("the bucket policy denies all S3 requests made without TLS".into())
                    } else if denies.is_empty() {
                        Verdict::Fail(
                            "the bucket policy has no statement denying s3:* to everyone when aws:SecureTransport is \
                             false"
                                .into(),
                        )
                    } else {
                        Verdict::Fail(
                            "the bucket policy denies requests without TLS for only part of the bucket and its \
                             objects"
                                .into(),
                        )
                    }
                }
                Ok(None) => Verdict::Fail("the bucket has no policy, so requests without TLS are not denied".into()),
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
    use serde_json::json;

    fn bucket(policy: Field<PolicyDocument>) -> S3Bucket {
        S3Bucket { policy, ..Default::default() }
    }

    fn deny(id: &str, principal: Value, action: Value, resource: Value, condition: Value) -> S3Bucket {
        bucket(Field::Known(PolicyDocument(json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "ReadForApp", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"},
             "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{id}/*")},
            {"Sid": "TLS", "Effect": "Deny", "Principal": principal, "Action": action, "Resource": resource,
             "Condition": condition}
        ]}))))
    }

    fn both(id: &str) -> Value {
        json!([format!("arn:aws:s3:::{id}"), format!("arn:aws:s3:::{id}/*")])
    }

    #[test]
    fn pass_fail_unknown() {
        let tls = json!({"Bool": {"aws:SecureTransport": "false"}});
        let mut inv = inventory();
        inv.resources.push(resource("strict", deny("strict", json!("*"), json!("s3:*"), both("strict"), tls.clone())));
        // Key case, a boolean value, `{"AWS": "*"}`, `Action: "*"` and a wildcard resource are all equivalent.
        inv.resources.push(resource(
            "variant",
            deny(
                "variant",
                json!({"AWS": "*"}),
                json!("*"),
                json!("arn:aws:s3:::variant*"),
                json!({"Bool": {"AWS:SECURETRANSPORT": false}}),
            ),
        ));
        inv.resources.push(resource(
            "objects-only",
            deny("objects-only", json!("*"), json!("s3:*"), json!("arn:aws:s3:::objects-only/*"), tls.clone()),
        ));
        inv.resources.push(resource(
            "get-only",
            deny("get-only", json!("*"), json!("s3:GetObject"), both("get-only"), tls.clone()),
        ));
        inv.resources.push(resource(
            "narrowed",
            deny(
                "narrowed",
                json!("*"),
                json!("s3:*"),
                both("narrowed"),
                json!({"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:SourceVpce": "vpce-1"}}),
            ),
        ));
        inv.resources.push(resource(
            "one-role",
            deny("one-role", json!({"AWS": "arn:aws:iam::1:root"}), json!("s3:*"), both("one-role"), tls),
        ));
        inv.resources.push(resource("no-policy", bucket(Field::Absent)));
        inv.resources.push(resource("denied", bucket(Field::Unknown(denied("s3:GetBucketPolicy")))));
        let findings = run(&S3BucketSecureTransportPolicy, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("get-only".into(), Status::Fail),
                ("narrowed".into(), Status::Fail),
                ("no-policy".into(), Status::Fail),
                ("objects-only".into(), Status::Fail),
                ("one-role".into(), Status::Fail),
                ("strict".into(), Status::Pass),
                ("variant".into(), Status::Pass),
            ]
        );
        let partial = findings.iter().find(|f| f.resource.id == "objects-only").map(|f| f.message.as_str());
        assert!(partial.is_some_and(|m| m.contains("only part")));
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketSecureTransportPolicy, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
