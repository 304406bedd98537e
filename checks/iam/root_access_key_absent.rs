use super::super::prelude::*;

check! {
    /// ## What it does
    /// Checks that the account's root user has no access keys. It reads `AccountAccessKeysPresent` from the
    /// account summary and the `<root_account>` row of the credential report: either showing a key is a FAIL
    /// (the report also says which key is active and when it was last used); the check is UNKNOWN only when
    /// neither could be read.
    ///
    /// ## Why is this bad?
    /// Root access keys carry every permission in the account, cannot be restricted by IAM policies, and are
    /// long-lived secrets that end up in scripts, CI variables and laptops. Whoever finds one owns the account,
    /// including its billing and the ability to close it. Nothing needs them: every task that requires root is
    /// done in the console.
    ///
    /// ## Remediation
    /// Sign in as the root user, open **Security credentials**, and delete the access keys (make them inactive
    /// first if you need to find out what still uses them: CloudTrail shows calls made with them). In an AWS
    /// Organization, centralized root access lets the management account remove member accounts' root
    /// credentials altogether:
    /// ```sh
    /// aws organizations enable-aws-service-access --service-principal iam.amazonaws.com
    /// aws iam enable-organizations-root-credentials-management
    /// ```
    /// There is no CloudFormation/CDK resource for root credentials: they are never created from templates.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-4
    pub IamRootAccessKeyAbsent {
        id: "iam_root_access_key_absent",
        title: "The root user has no access keys",
        severity: Severity::Critical,
        service: "iam",
        kinds: &[ResourceKind::IamRootUser],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.4"), cis("1.3")],
    }
}

fn describe(key: &AccessKey) -> String {
    let state = if key.active { "active" } else { "inactive" };
    match key.last_used {
        Some(used) => format!("key {} ({state}, last used {})", key.slot, used.format("%Y-%m-%d")),
        None => format!("key {} ({state}, never used)", key.slot),
    }
}

fn judge(root: &IamRootUser) -> Verdict {
    let report_keys =
        root.credentials.known().map(|c| c.map(|c| c.access_keys.iter().map(describe).collect::<Vec<_>>()));
    match (root.access_keys_present.known(), report_keys) {
        // The report's row lists each key; prefer it in the message.
        (_, Ok(Some(keys))) if !keys.is_empty() => {
            Verdict::Fail(format!("the root user has access keys: {}", keys.join(", ")))
        }
        (Ok(Some(true)), _) => Verdict::Fail("the root user has access keys (AccountAccessKeysPresent = 1)".into()),
        (Ok(Some(false)), _) => Verdict::Pass("the root user has no access keys".into()),
        (_, Ok(Some(_))) => Verdict::Pass("the root user has no access keys (credential report)".into()),
        (Err(reason), _) => Verdict::Unknown(reason.clone()),
        (Ok(None), Err(reason)) => Verdict::Unknown(reason.clone()),
        (Ok(None), Ok(None)) => Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "iam:GetAccountSummary",
            "neither the account summary nor the credential report says whether the root user has access keys",
        )),
    }
}

impl Check for IamRootAccessKeyAbsent {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, root) in cx.inventory.iter::<IamRootUser>() {
            out.verdict(resource, judge(root));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use chrono::{TimeZone, Utc};

    fn root(present: Field<bool>, credentials: Field<Credentials>) -> IamRootUser {
        IamRootUser { mfa_enabled: Field::Known(true), access_keys_present: present, credentials }
    }

    fn judge_one(r: IamRootUser) -> (Status, String) {
        let mut inv = inventory();
        inv.resources.push(resource("root", r));
        let findings = run(&IamRootAccessKeyAbsent, &inv);
        assert_eq!(findings.len(), 1);
        (findings[0].status, findings[0].message.clone())
    }

    fn keyed() -> Credentials {
        let used = Utc.with_ymd_and_hms(2026, 10, 30, 0, 0, 0).single();
        Credentials {
            access_keys: vec![AccessKey { slot: 1, active: true, last_rotated: used, last_used: used }],
            ..Default::default()
        }
    }

    #[test]
    fn pass() {
        let report_unread = Field::Unknown(denied("iam:GetCredentialReport"));
        assert_eq!(judge_one(root(Field::Known(false), report_unread)).0, Status::Pass);
        assert_eq!(judge_one(root(Field::Known(false), Field::Known(Credentials::default()))).0, Status::Pass);
        // The summary could not be read, the report answers.
        let summary_unread = Field::Unknown(denied("iam:GetAccountSummary"));
        assert_eq!(judge_one(root(summary_unread, Field::Known(Credentials::default()))).0, Status::Pass);
    }

    #[test]
    fn fail() {
        assert_eq!(
            judge_one(root(Field::Known(true), Field::Unknown(denied("iam:GetCredentialReport")))),
            (Status::Fail, "the root user has access keys (AccountAccessKeysPresent = 1)".into())
        );
        // Either source showing a key is enough.
        assert_eq!(
            judge_one(root(Field::Unknown(denied("iam:GetAccountSummary")), Field::Known(keyed()))),
            (Status::Fail, "the root user has access keys: key 1 (active, last used 2026-10-30)".into())
        );
        assert_eq!(judge_one(root(Field::Known(false), Field::Known(keyed()))).0, Status::Fail);
    }

    #[test]
    fn unknown() {
        let (status, message) = judge_one(root(
            Field::Unknown(denied("iam:GetAccountSummary")),
            Field::Unknown(denied("iam:GetCredentialReport")),
        ));
        assert_eq!(status, Status::Unknown);
        assert!(message.contains("iam:GetAccountSummary"), "{message}");

        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamRootUser, GLOBAL, denied("iam:GetAccountSummary"));
        assert_eq!(statuses(&run(&IamRootAccessKeyAbsent, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
