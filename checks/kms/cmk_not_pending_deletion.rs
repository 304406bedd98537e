use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags customer-managed KMS keys that are scheduled for deletion (key state `PendingDeletion`, or
    /// `PendingReplicaDeletion` for a multi-Region replica). AWS-managed keys get no finding: AWS manages their
    /// lifetime.
    ///
    /// ## Why is this bad?
    /// When the waiting period ends the key material is destroyed for good, and every piece of data encrypted
    /// under the key (S3 objects, EBS snapshots, database backups, secrets) becomes unreadable. During the waiting
    /// period the deletion can still be cancelled; a deletion scheduled by mistake, by a clean-up script or by an
    /// attacker has to be noticed before then.
    ///
    /// ## Remediation
    /// If the deletion is not intended, cancel it and re-enable the key:
    /// ```sh
    /// aws kms cancel-key-deletion --key-id KEY_ID
    /// aws kms enable-key --key-id KEY_ID
    /// ```
    /// CDK: keep `removalPolicy: RemovalPolicy.RETAIN` (the default for `kms.Key`) so that removing the key from a
    /// stack does not schedule its deletion; CloudFormation: `DeletionPolicy: Retain` on `AWS::KMS::Key`, and set
    /// `PendingWindowInDays: 30` to keep the longest waiting period. If the deletion is intended, first confirm
    /// from CloudTrail (`kms:Decrypt` events) that nothing still uses the key.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-3
    pub KmsCmkNotPendingDeletion {
        id: "kms_cmk_not_pending_deletion",
        title: "Customer-managed KMS keys are not scheduled for deletion",
        severity: Severity::Medium,
        service: "kms",
        kinds: &[ResourceKind::KmsKey],
        scope: CheckScope::Resource,
        compliance: &[fsbp("KMS.3")],
    }
}

impl Check for KmsCmkNotPendingDeletion {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, key) in cx.inventory.iter::<KmsKey>() {
            if !key.is_customer_managed() {
                continue;
            }
            let verdict = match key.key_state.as_deref() {
                Some(state @ ("PendingDeletion" | "PendingReplicaDeletion")) => {
                    Verdict::Fail(match key.deletion_date {
                        Some(date) => format!("the key is {state}: it will be deleted on {}", date.format("%Y-%m-%d")),
                        None => format!("the key is {state}"),
                    })
                }
                Some(state) => Verdict::Pass(format!("the key is not scheduled for deletion (state {state})")),
                None => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "kms:DescribeKey",
                    "the key metadata has no key state",
                )),
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
    use chrono::{TimeZone, Utc};

    fn key(state: Option<&str>) -> KmsKey {
        KmsKey { key_manager: Some("CUSTOMER".into()), key_state: state.map(String::from), ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource("enabled", key(Some("Enabled"))));
        inv.resources.push(resource("disabled", key(Some("Disabled"))));
        inv.resources.push(resource(
            "deleting",
            KmsKey {
                deletion_date: Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).single(),
                ..key(Some("PendingDeletion"))
            },
        ));
        inv.resources.push(resource("replica", key(Some("PendingReplicaDeletion"))));
        inv.resources.push(resource("no-state", key(None)));
        // AWS-managed: no finding.
        inv.resources
            .push(resource("aws-managed", KmsKey { key_manager: Some("AWS".into()), ..key(Some("PendingDeletion")) }));
        let findings = run(&KmsCmkNotPendingDeletion, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("deleting".into(), Status::Fail),
                ("disabled".into(), Status::Pass),
                ("enabled".into(), Status::Pass),
                ("no-state".into(), Status::Unknown),
                ("replica".into(), Status::Fail),
            ]
        );
        let msg = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(msg("deleting").as_deref(), Some("the key is PendingDeletion: it will be deleted on 2026-11-20"));
        assert_eq!(msg("replica").as_deref(), Some("the key is PendingReplicaDeletion"));
        let unknown = findings.iter().find(|f| f.resource.id == "no-state");
        assert_eq!(unknown.and_then(|f| f.unknown_reason.as_ref()).map(|r| r.cause), Some(Cause::Malformed));
    }

    #[test]
    fn failed_key_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::KmsKey, REGION, denied("kms:ListKeys"));
        let findings = run(&KmsCmkNotPendingDeletion, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
