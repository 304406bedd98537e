use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags SNS topics whose access policy has an `Allow` for everyone (`"Principal": "*"` or `{"AWS": "*"}`)
    /// that no condition pins to fixed values of `aws:SourceOwner`, `aws:SourceAccount`, `aws:SourceArn`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceVpc(e)`, `aws:SourceIp` or
    /// `aws:userid` (with a positive operator: not `…Not…`, `…IfExists`, `ForAllValues:` or `Null`; no wildcard or
    /// policy variable). The default topic policy, which allows everyone but only with
    /// `AWS:SourceOwner` = the topic's account, passes.
    ///
    /// ## Why is this bad?
    /// Anyone with AWS credentials could publish to a public topic (injecting messages that subscribers act on,
    /// or running up SMS and email costs), subscribe their own endpoint to receive every message, or change and
    /// delete the topic.
    ///
    /// ## Remediation
    /// Replace the statement with one that names the principals or sources that need access:
    /// ```sh
    /// aws sns get-topic-attributes --topic-arn TOPIC_ARN --query Attributes.Policy
    /// aws sns set-topic-attributes --topic-arn TOPIC_ARN --attribute-name Policy --attribute-value file://policy.json
    /// ```
    /// CDK: `topic.addToResourcePolicy(new iam.PolicyStatement({ principals: [new
    /// iam.ServicePrincipal('events.amazonaws.com')], actions: ['sns:Publish'], resources: [topic.topicArn],
    /// conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } } }))`; CloudFormation: `AWS::SNS::TopicPolicy`
    /// with specific principals and conditions.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/sns-topic-no-public-access.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html#sns-4
    pub SnsTopicNotPublic {
        id: "sns_topic_not_public",
        title: "SNS topic policies do not allow public access",
        severity: Severity::Critical,
        service: "sns",
        kinds: &[ResourceKind::SnsTopic],
        scope: CheckScope::Resource,
        compliance: &[fsbp("SNS.4")],
    }
}

impl Check for SnsTopicNotPublic {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, topic) in cx.inventory.iter::<SnsTopic>() {
            let verdict = match topic.policy.known() {
                Err(reason) => Verdict::Unknown(reason.clone()),
                Ok(None) => Verdict::Pass("the topic has no access policy: only its owner can use it".into()),
                Ok(Some(policy)) => {
                    let public: Vec<String> = policy
                        .statements()
                        .iter()
                        .filter(|st| st.allows_everyone_unrestricted())
                        .map(|st| match st.sid {
                            Some(sid) => format!("statement {sid:?} allows everyone {}", st.actions.join(", ")),
                            None => format!("a statement allows everyone {}", st.actions.join(", ")),
                        })
                        .collect();
                    if public.is_empty() {
                        Verdict::Pass("no statement allows everyone without a restricting condition".into())
                    } else {
                        Verdict::Fail(format!("the topic policy is public: {}", public.join("; ")))
                    }
                }
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
    use serde_json::{Value, json};

    fn policy(condition: Option<Value>) -> Field<PolicyDocument> {
        let mut st = json!({"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
                            "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": "arn:aws:sns:eu-west-1:1:t"});
        if let (Some(c), Some(obj)) = (condition, st.as_object_mut()) {
            obj.insert("Condition".into(), c);
        }
        Field::Known(PolicyDocument(json!({"Version": "2008-10-17", "Statement": [st]})))
    }

    #[test]
    fn pass_fail_unknown() {
        let owner = json!({"StringEquals": {"AWS:SourceOwner": "123456789012"}});
        let any_owner = json!({"StringLike": {"AWS:SourceOwner": "*"}});
        let mut inv = inventory();
        let topics = [
            ("default-policy", policy(Some(owner))),
            ("public", policy(None)),
            ("wildcard-owner", policy(Some(any_owner))),
            ("no-policy", Field::Absent),
            ("denied", Field::Unknown(denied("sns:GetTopicAttributes"))),
        ];
        for (id, p) in topics {
            inv.resources.push(resource(id, SnsTopic { policy: p, ..Default::default() }));
        }
        let findings = run(&SnsTopicNotPublic, &inv);
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![
                s("default-policy", Status::Pass),
                s("denied", Status::Unknown),
                s("no-policy", Status::Pass),
                s("public", Status::Fail),
                s("wildcard-owner", Status::Fail),
            ]
        );
        let public = findings.iter().find(|f| f.resource.id == "public").map(|f| f.message.as_str());
        assert_eq!(
            public,
            Some(
                "the topic policy is public: statement \"__default_statement_ID\" allows everyone SNS:Publish, SNS:Subscribe"
            )
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::SnsTopic, REGION, denied("sns:ListTopics"));
        assert_eq!(statuses(&run(&SnsTopicNotPublic, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
