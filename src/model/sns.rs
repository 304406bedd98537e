//! SNS topics and subscriptions.

use super::{Field, PolicyDocument};
use serde::{Deserialize, Serialize};

/// `AWS::SNS::Topic`. Every attribute comes from one `GetTopicAttributes` call; the subscriptions from the
/// region's `ListSubscriptions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SnsTopic {
    /// `KmsMasterKeyId`: a key id, ARN or alias; `Absent` when the topic is not encrypted with KMS.
    pub kms_master_key_id: Field<String>,
    /// The topic's access policy; `Absent` when it has none.
    pub policy: Field<PolicyDocument>,
    /// `SubscriptionsPending` / `SubscriptionsConfirmed`: counts AWS updates with a delay.
    pub subscriptions_pending: Field<u64>,
    pub subscriptions_confirmed: Field<u64>,
    pub subscriptions: Field<Vec<SnsSubscription>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SnsSubscription {
    /// `email`, `https`, `sqs`, `lambda`, `sms`, …
    pub protocol: String,
    /// What can be shown of the endpoint without leaking secrets or personal data: the scheme and host of a URL,
    /// the domain of an email address, the ARN of an AWS resource; `None` for phone numbers and unknown kinds.
    pub endpoint: Option<String>,
    /// The subscription ARN; `None` while the subscription is pending confirmation (AWS then lists the ARN as
    /// `PendingConfirmation`).
    pub arn: Option<String>,
    pub pending_confirmation: bool,
}

impl SnsSubscription {
    /// Keeps what is safe to show of an endpoint: a webhook URL may carry a token in its path or query, an email
    /// address or a phone number is personal data.
    pub fn redact_endpoint(protocol: &str, endpoint: &str) -> Option<String> {
        match protocol {
            "http" | "https" => {
                let (scheme, rest) = endpoint.split_once("://")?;
                let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
                // Drop `user:password@`.
                let host = authority.rsplit('@').next().unwrap_or_default();
                (!host.is_empty()).then(|| format!("{scheme}://{host}"))
            }
            "email" | "email-json" => endpoint.rsplit_once('@').map(|(_, domain)| format!("…@{domain}")),
            "sqs" | "lambda" | "firehose" | "application" if endpoint.starts_with("arn:") => Some(endpoint.to_string()),
            _ => None,
        }
    }

    /// How a person recognizes the subscription: `email …@example.com`.
    pub fn describe(&self) -> String {
        match &self.endpoint {
            Some(endpoint) => format!("{} {endpoint}", self.protocol),
            None => self.protocol.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_redacted() {
        let r = SnsSubscription::redact_endpoint;
        assert_eq!(
            r("https", "https://hooks.example.com/T0/B1/secret?token=x").as_deref(),
            Some("https://hooks.example.com")
        );
        assert_eq!(r("http", "http://user:pw@example.com:8080/x").as_deref(), Some("http://example.com:8080"));
        assert_eq!(r("https", "not a url"), None);
        assert_eq!(r("email", "ops@example.com").as_deref(), Some("…@example.com"));
        assert_eq!(r("sms", "+15555550100"), None);
        let queue = "arn:aws:sqs:eu-west-1:123456789012:q";
        assert_eq!(r("sqs", queue).as_deref(), Some(queue));
        assert_eq!(r("custom", "anything"), None);
    }
}
