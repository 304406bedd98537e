use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags SNS topics with subscriptions still pending confirmation (listed by AWS with the ARN
    /// `PendingConfirmation`): typically an email or HTTPS endpoint that never answered the confirmation message.
    /// One finding per topic; the message names each pending subscription by protocol and what can be shown of its
    /// endpoint (the host of a URL, the domain of an email address, never tokens or full addresses). When the
    /// subscription list could not be read, the topic's `SubscriptionsPending` count is used if it shows pending
    /// subscriptions.
    ///
    /// ## Why is this bad?
    /// A pending subscription receives nothing: the alarm or notification someone set up believing they would be
    /// told never reaches them. AWS deletes unconfirmed subscriptions after a few days, so the gap is silent.
    ///
    /// ## Remediation
    /// Confirm the subscription from the message AWS sent (or have the endpoint answer it), or delete it and
    /// subscribe again with an endpoint that confirms:
    /// ```sh
    /// aws sns list-subscriptions-by-topic --topic-arn TOPIC_ARN
    /// aws sns subscribe --topic-arn TOPIC_ARN --protocol email --notification-endpoint team@example.com
    /// ```
    /// In CDK and CloudFormation (`AWS::SNS::Subscription`), prefer endpoints that confirm automatically (SQS,
    /// Lambda) or add a deployment step that checks the subscription is confirmed.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html
    /// - https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
    pub SnsSubscriptionConfirmed {
        id: "sns_subscription_confirmed",
        title: "SNS topics have no subscriptions pending confirmation",
        severity: Severity::Low,
        service: "sns",
        kinds: &[ResourceKind::SnsTopic],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

fn judge(topic: &SnsTopic) -> Verdict {
    match topic.subscriptions.known() {
        Ok(list) => {
            let list = list.map(Vec::as_slice).unwrap_or_default();
            let pending: Vec<String> =
                list.iter().filter(|s| s.pending_confirmation).map(SnsSubscription::describe).collect();
            if !pending.is_empty() {
                Verdict::Fail(format!("subscriptions pending confirmation: {}", pending.join(", ")))
            } else if list.is_empty() {
                Verdict::Pass("the topic has no subscriptions".into())
            } else if list.len() == 1 {
                Verdict::Pass("its subscription is confirmed".into())
            } else {
                Verdict::Pass(format!("all {} subscriptions are confirmed", list.len()))
            }
        }
        // AWS's count lags behind, so it can only show that something is pending, never that nothing is.
        Err(reason) => match topic.subscriptions_pending.known() {
            Ok(Some(n)) if *n > 0 => Verdict::Fail(format!("{n} subscriptions pending confirmation")),
            _ => Verdict::Unknown(reason.clone()),
        },
    }
}

impl Check for SnsSubscriptionConfirmed {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, topic) in cx.inventory.iter::<SnsTopic>() {
            out.verdict(resource, judge(topic));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn subscription(protocol: &str, endpoint: &str, pending: bool) -> SnsSubscription {
        SnsSubscription {
            protocol: protocol.into(),
            endpoint: SnsSubscription::redact_endpoint(protocol, endpoint),
            arn: (!pending).then(|| "arn:aws:sns:eu-west-1:123456789012:t:1".to_string()),
            pending_confirmation: pending,
        }
    }

    fn topic(subscriptions: Field<Vec<SnsSubscription>>, pending: Field<u64>) -> SnsTopic {
        SnsTopic { subscriptions, subscriptions_pending: pending, ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown() {
        let listing_denied = || Field::Unknown(denied("sns:ListSubscriptions"));
        let mut inv = inventory();
        let topics = [
            (
                "confirmed",
                topic(Field::Known(vec![subscription("sqs", "arn:aws:sqs:eu-west-1:1:q", false)]), Field::Known(0)),
            ),
            ("empty", topic(Field::Known(Vec::new()), Field::Known(0))),
            (
                "pending",
                topic(
                    Field::Known(vec![
                        subscription("email", "ops@example.com", true),
                        subscription("https", "https://hooks.example.com/secret-token", true),
                        subscription("sqs", "arn:aws:sqs:eu-west-1:1:q", false),
                    ]),
                    Field::Known(0),
                ),
            ),
            ("count-only", topic(listing_denied(), Field::Known(2))),
            ("unknown", topic(listing_denied(), Field::Known(0))),
        ];
        for (id, t) in topics {
            inv.resources.push(resource(id, t));
        }
        let findings = run(&SnsSubscriptionConfirmed, &inv);
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![
                s("confirmed", Status::Pass),
                s("count-only", Status::Fail),
                s("empty", Status::Pass),
                s("pending", Status::Fail),
                s("unknown", Status::Unknown),
            ]
        );
        let pending = findings.iter().find(|f| f.resource.id == "pending").map(|f| f.message.as_str());
        assert_eq!(
            pending,
            Some("subscriptions pending confirmation: email …@example.com, https https://hooks.example.com")
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::SnsTopic, REGION, denied("sns:ListTopics"));
        assert_eq!(statuses(&run(&SnsSubscriptionConfirmed, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
