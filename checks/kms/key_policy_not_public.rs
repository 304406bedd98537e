use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags customer-managed KMS keys whose key policy has an `Allow` statement for everyone
    /// (`"Principal": "*"` or `{"AWS": "*"}`) that no condition restricts. A condition restricts when it pins
    /// the caller or the network to fixed values with a positive operator: `kms:CallerAccount`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`,
    /// `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceIp` and the like, with no wildcard value (the same reading as
    /// `s3_bucket_not_public`). AWS-managed keys are not judged: their policies are AWS's. A key policy that
    /// could not be read is UNKNOWN.
    ///
    /// ## Why is this bad?
    /// A key policy is the root of access to a KMS key: an `Allow` for everyone lets any AWS account use the key
    /// within the allowed actions, to decrypt data encrypted under it, to encrypt data you then pay to keep, or
    /// (with `kms:*`) to change the policy or schedule the key's deletion.
    ///
    /// ## Remediation
    /// Replace the `*` principal with the account or roles that need the key, or add a condition such as
    /// `"StringEquals": {"kms:CallerAccount": "111122223333"}`:
    /// ```sh
    /// aws kms get-key-policy --key-id KEY_ID --policy-name default --query Policy --output text > policy.json
    /// aws kms put-key-policy --key-id KEY_ID --policy-name default --policy file://policy.json
    /// ```
    /// CDK: `new kms.Key(this, 'K', { policy })` with principals such as `new iam.AccountRootPrincipal()`;
    /// CloudFormation: `KeyPolicy` on `AWS::KMS::Key` naming principals instead of `*`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
    /// - https://docs.aws.amazon.com/config/latest/developerguide/kms-key-policy-no-public-access.html
    pub KmsKeyPolicyNotPublic {
        id: "kms_key_policy_not_public",
        title: "KMS key policies do not allow everyone",
        severity: Severity::Critical,
        service: "kms",
        kinds: &[ResourceKind::KmsKey],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

/// KMS condition keys that restrict who may call, on top of the global ones in `model::policy::RESTRICTING_KEYS`.
const KMS_RESTRICTING_KEYS: &[&str] = &["kms:CallerAccount"];

impl Check for KmsKeyPolicyNotPublic {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, key) in cx.inventory.iter::<KmsKey>() {
            if !key.is_customer_managed() {
                continue;
            }
            let verdict = match key.policy.known() {
                Ok(Some(policy)) => {
                    let public: Vec<String> = policy
                        .statements()
                        .iter()
                        .filter(|st| st.allows_public(KMS_RESTRICTING_KEYS))
                        .map(|st| {
                            let actions = if st.actions.is_empty() {
                                "every action but some".to_string()
                            } else {
                                st.actions.join(", ")
                            };
                            match st.sid {
                                Some(sid) => format!("statement {sid:?} allows everyone {actions}"),
                                None => format!("a statement allows everyone {actions}"),
                            }
                        })
                        .collect();
                    if public.is_empty() {
                        Verdict::Pass("the key policy allows no one outside its named principals".into())
                    } else {
                        Verdict::Fail(format!("the key policy is public: {}", public.join("; ")))
                    }
                }
                Ok(None) => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "kms:GetKeyPolicy",
                    "KMS returned no policy for the key",
                )),
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
    use serde_json::{Value, json};

    const ROOT: &str = "arn:aws:iam::123456789012:root";

    fn key(policy: Field<PolicyDocument>) -> KmsKey {
        KmsKey { key_manager: Some("CUSTOMER".into()), key_state: Some("Enabled".into()), policy, ..Default::default() }
    }

    fn policy(extra: Vec<Value>) -> Field<PolicyDocument> {
        let mut statements = vec![json!({"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": ROOT},
                                         "Action": "kms:*", "Resource": "*"})];
        statements.extend(extra);
        Field::Known(PolicyDocument(json!({"Version": "2012-10-17", "Statement": statements})))
    }

    fn everyone(condition: Option<Value>) -> Value {
        let mut st = json!({"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "*"},
                            "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"});
        if let (Some(c), Some(obj)) = (condition, st.as_object_mut()) {
            obj.insert("Condition".into(), c);
        }
        st
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("k-private", key(policy(vec![]))));
        inv.resources.push(resource("k-public", key(policy(vec![everyone(None)]))));
        let account = json!({"StringEquals": {"kms:CallerAccount": "123456789012"}});
        inv.resources.push(resource("k-account", key(policy(vec![everyone(Some(account))]))));
        let org = json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}});
        inv.resources.push(resource("k-org", key(policy(vec![everyone(Some(org))]))));
        let any_account = json!({"StringLike": {"kms:CallerAccount": "*"}});
        inv.resources.push(resource("k-any", key(policy(vec![everyone(Some(any_account))]))));
        let via_only = json!({"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}});
        inv.resources.push(resource("k-via", key(policy(vec![everyone(Some(via_only))]))));
        let deny = json!({"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"});
        inv.resources.push(resource("k-deny", key(policy(vec![deny]))));
        inv.resources.push(resource("k-denied", key(Field::Unknown(denied("kms:GetKeyPolicy")))));
        // AWS-managed keys are not judged.
        inv.resources
            .push(resource("k-aws", KmsKey { key_manager: Some("AWS".into()), ..key(policy(vec![everyone(None)])) }));
        let findings = run(&KmsKeyPolicyNotPublic, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("k-account".into(), Status::Pass),
                ("k-any".into(), Status::Fail),
                ("k-denied".into(), Status::Unknown),
                ("k-deny".into(), Status::Pass),
                ("k-org".into(), Status::Pass),
                ("k-private".into(), Status::Pass),
                ("k-public".into(), Status::Fail),
                ("k-via".into(), Status::Fail),
            ]
        );
        let public = findings.iter().find(|f| f.resource.id == "k-public").map(|f| f.message.as_str());
        assert_eq!(
            public,
            Some("the key policy is public: statement \"Use\" allows everyone kms:Decrypt, kms:GenerateDataKey")
        );
    }

    #[test]
    fn failed_key_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::KmsKey, REGION, denied("kms:ListKeys"));
        assert_eq!(statuses(&run(&KmsKeyPolicyNotPublic, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
