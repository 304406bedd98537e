use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags customer-managed KMS keys that have no alias. Keys scheduled for deletion and AWS-managed keys get no
    /// finding.
    ///
    /// ## Why is this bad?
    /// A key known only by its UUID cannot be recognized by a person: in key policies, CloudTrail events, cost
    /// reports and incident response nobody can tell what it protects or who owns it, so unused keys are kept (and
    /// paid for) forever and a key still in use may be scheduled for deletion by mistake. Aliases also let
    /// applications refer to a key by a stable name.
    ///
    /// ## Remediation
    /// ```sh
    /// aws kms create-alias --alias-name alias/APP-PURPOSE --target-key-id KEY_ID
    /// ```
    /// CDK: `new kms.Key(this, 'K', { alias: 'alias/app-data' })` (or `key.addAlias(...)`); CloudFormation:
    /// `AWS::KMS::Alias` with `AliasName: alias/app-data` and `TargetKeyId: !Ref Key`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html
    pub KmsCmkHasAlias {
        id: "kms_cmk_has_alias",
        title: "Customer-managed KMS keys have an alias",
        severity: Severity::Low,
        service: "kms",
        kinds: &[ResourceKind::KmsKey],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

/// Keys on their way out need no name.
fn pending_deletion(key: &KmsKey) -> bool {
    matches!(key.key_state.as_deref(), Some("PendingDeletion" | "PendingReplicaDeletion"))
}

impl Check for KmsCmkHasAlias {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, key) in cx.inventory.iter::<KmsKey>() {
            if !key.is_customer_managed() || pending_deletion(key) {
                continue;
            }
            let verdict = match key.aliases.known() {
                Ok(Some(aliases)) if !aliases.is_empty() => Verdict::Pass(format!("aliases: {}", aliases.join(", "))),
                Ok(_) => Verdict::Fail("the key has no alias".into()),
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

    fn key(aliases: Field<Vec<String>>) -> KmsKey {
        KmsKey {
            key_manager: Some("CUSTOMER".into()),
            key_state: Some("Enabled".into()),
            aliases,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource("named", key(Field::Known(vec!["alias/app-data".into()]))));
        inv.resources.push(resource("unnamed", key(Field::Known(vec![]))));
        inv.resources.push(resource("denied", key(Field::Unknown(denied("kms:ListAliases")))));
        // Not judged: no finding.
        inv.resources
            .push(resource("aws-managed", KmsKey { key_manager: Some("AWS".into()), ..key(Field::Known(vec![])) }));
        inv.resources.push(resource(
            "deleting",
            KmsKey { key_state: Some("PendingDeletion".into()), ..key(Field::Known(vec![])) },
        ));
        let findings = run(&KmsCmkHasAlias, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("denied".into(), Status::Unknown), ("named".into(), Status::Pass), ("unnamed".into(), Status::Fail)]
        );
        let named = findings.iter().find(|f| f.resource.id == "named").map(|f| f.message.as_str());
        assert_eq!(named, Some("aliases: alias/app-data"));
    }

    #[test]
    fn failed_key_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::KmsKey, REGION, denied("kms:ListKeys"));
        let findings = run(&KmsCmkHasAlias, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
