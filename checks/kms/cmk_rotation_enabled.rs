use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags customer-managed KMS keys without automatic key rotation. Only keys that can rotate automatically
    /// are judged: symmetric encryption keys (`SYMMETRIC_DEFAULT`) with AWS-generated material (origin
    /// `AWS_KMS`), not pending deletion. AWS-managed, asymmetric, HMAC, imported-material and custom key store
    /// keys get no finding.
    ///
    /// ## Why is this bad?
    /// Rotation limits how much data one key version protects and how long a leaked or cryptanalysed key version
    /// stays useful. Automatic rotation is transparent: old versions stay available to decrypt, so nothing
    /// breaks, and many standards (PCI DSS, CIS) require a yearly rotation.
    ///
    /// ## Remediation
    /// ```sh
    /// aws kms enable-key-rotation --key-id KEY_ID --rotation-period-in-days 365
    /// ```
    /// CDK: `new kms.Key(this, 'K', { enableKeyRotation: true })`; CloudFormation: `AWS::KMS::Key` with
    /// `EnableKeyRotation: true` (and optionally `RotationPeriodInDays`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4
    pub KmsCmkRotationEnabled {
        id: "kms_cmk_rotation_enabled",
        title: "Customer-managed KMS keys have automatic rotation enabled",
        severity: Severity::Medium,
        service: "kms",
        kinds: &[ResourceKind::KmsKey],
        scope: CheckScope::Resource,
        compliance: &[fsbp("KMS.4"), cis("3.6")],
    }
}

/// Keys scheduled for deletion cannot have rotation changed, and will be gone.
fn pending_deletion(key: &KmsKey) -> bool {
    matches!(key.key_state.as_deref(), Some("PendingDeletion" | "PendingReplicaDeletion"))
}

impl Check for KmsCmkRotationEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, key) in cx.inventory.iter::<KmsKey>() {
            if !key.is_customer_managed() || !key.supports_rotation() || pending_deletion(key) {
                continue;
            }
            let verdict = match key.rotation.known() {
                Ok(Some(rotation)) if rotation.enabled => Verdict::Pass(match rotation.period_days {
                    Some(days) => {
                        format!("automatic key rotation is enabled, every {days} days")
                    }
                    None => "automatic key rotation is enabled".into(),
                }),
                Ok(Some(_)) => Verdict::Fail("automatic key rotation is disabled".into()),
                // The collector leaves rotation absent for keys it does not apply to.
                Ok(None) => continue,
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

    fn key(rotation: Field<KeyRotation>) -> KmsKey {
        KmsKey {
            key_manager: Some("CUSTOMER".into()),
            key_state: Some("Enabled".into()),
            key_spec: Some("SYMMETRIC_DEFAULT".into()),
            origin: Some("AWS_KMS".into()),
            rotation,
            ..Default::default()
        }
    }

    fn rotating(enabled: bool) -> Field<KeyRotation> {
        Field::Known(KeyRotation { enabled, period_days: enabled.then_some(365) })
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource("on", key(rotating(true))));
        inv.resources.push(resource("off", key(rotating(false))));
        inv.resources.push(resource("denied", key(Field::Unknown(denied("kms:GetKeyRotationStatus")))));
        // Not applicable: no finding.
        inv.resources.push(resource("aws-managed", KmsKey { key_manager: Some("AWS".into()), ..key(rotating(true)) }));
        inv.resources.push(resource("rsa", KmsKey { key_spec: Some("RSA_2048".into()), ..key(Field::Absent) }));
        inv.resources.push(resource("imported", KmsKey { origin: Some("EXTERNAL".into()), ..key(Field::Absent) }));
        inv.resources
            .push(resource("deleting", KmsKey { key_state: Some("PendingDeletion".into()), ..key(rotating(false)) }));
        let findings = run(&KmsCmkRotationEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("denied".into(), Status::Unknown), ("off".into(), Status::Fail), ("on".into(), Status::Pass)]
        );
        let on = findings.iter().find(|f| f.resource.id == "on").map(|f| f.message.as_str());
        assert_eq!(on, Some("automatic key rotation is enabled, every 365 days"));
    }

    #[test]
    fn failed_key_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::KmsKey, REGION, denied("kms:ListKeys"));
        let findings = run(&KmsCmkRotationEnabled, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
