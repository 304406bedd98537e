use super::super::prelude::*;

check! {
    /// ## What it does
    /// Checks that the account's root user has multi-factor authentication. It reads `AccountMFAEnabled` from the
    /// account summary, and the `mfa_active` column of the credential report's `<root_account>` row when the
    /// summary could not be read.
    ///
    /// ## Why is this bad?
    /// The root user can do anything in the account, including closing it, changing its contact details and
    /// removing every other identity's access, and IAM policies cannot restrict it. Without MFA, a phished or
    /// reused password is enough to take the account over.
    ///
    /// ## Remediation
    /// Sign in as the root user, open **Security credentials**, and assign an MFA device (a FIDO2 security key or
    /// a hardware TOTP token; a virtual authenticator app at least). Keep the device, and a second one, somewhere
    /// the people who may need root can reach. Root MFA cannot be set from the CLI, CloudFormation or CDK. In an
    /// AWS Organization, centralized root access can remove member accounts' root credentials instead:
    /// ```sh
    /// aws iam enable-organizations-root-credentials-management
    /// ```
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-9
    pub IamRootMfaEnabled {
        id: "iam_root_mfa_enabled",
        title: "The root user has MFA enabled",
        severity: Severity::Critical,
        service: "iam",
        kinds: &[ResourceKind::IamRootUser],
        scope: CheckScope::Resource,
        compliance: &[cis("1.4")],
    }
}

fn verdict(enabled: bool, source: &str) -> Verdict {
    if enabled {
        Verdict::Pass(format!("the root user has MFA enabled ({source})"))
    } else {
        Verdict::Fail(format!("the root user has no MFA device ({source})"))
    }
}

fn judge(root: &IamRootUser) -> Verdict {
    if let Ok(Some(enabled)) = root.mfa_enabled.known() {
        return verdict(*enabled, "AccountMFAEnabled");
    }
    if let Ok(Some(credentials)) = root.credentials.known() {
        return verdict(credentials.mfa_active, "credential report");
    }
    // The summary's reason first: it is the primary source.
    match (root.mfa_enabled.known(), root.credentials.known()) {
        (Err(reason), _) | (_, Err(reason)) => Verdict::Unknown(reason.clone()),
        _ => Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "iam:GetAccountSummary",
            "neither the account summary nor the credential report says whether the root user has MFA",
        )),
    }
}

impl Check for IamRootMfaEnabled {
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

    fn root(mfa: Field<bool>, credentials: Field<Credentials>) -> IamRootUser {
        IamRootUser { mfa_enabled: mfa, access_keys_present: Field::Known(false), credentials }
    }

    fn judge_one(r: IamRootUser) -> (Status, String) {
        let mut inv = inventory();
        inv.resources.push(resource("root", r));
        let findings = run(&IamRootMfaEnabled, &inv);
        assert_eq!(findings.len(), 1);
        (findings[0].status, findings[0].message.clone())
    }

    fn report(mfa_active: bool) -> Field<Credentials> {
        Field::Known(Credentials { mfa_active, ..Default::default() })
    }

    #[test]
    fn pass() {
        assert_eq!(
            judge_one(root(Field::Known(true), Field::Unknown(denied("iam:GetCredentialReport")))),
            (Status::Pass, "the root user has MFA enabled (AccountMFAEnabled)".into())
        );
        assert_eq!(
            judge_one(root(Field::Unknown(denied("iam:GetAccountSummary")), report(true))),
            (Status::Pass, "the root user has MFA enabled (credential report)".into())
        );
    }

    #[test]
    fn fail() {
        assert_eq!(
            judge_one(root(Field::Known(false), report(true))),
            (Status::Fail, "the root user has no MFA device (AccountMFAEnabled)".into())
        );
        assert_eq!(judge_one(root(Field::Unknown(denied("iam:GetAccountSummary")), report(false))).0, Status::Fail);
    }

    #[test]
    fn unknown() {
        let (status, message) = judge_one(root(
            Field::Unknown(denied("iam:GetAccountSummary")),
            Field::Unknown(denied("iam:GetCredentialReport")),
        ));
        assert_eq!(status, Status::Unknown);
        assert!(message.contains("iam:GetAccountSummary"), "{message}");
        assert_eq!(judge_one(root(Field::Absent, Field::Absent)).0, Status::Unknown);

        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamRootUser, GLOBAL, denied("iam:GetAccountSummary"));
        assert_eq!(statuses(&run(&IamRootMfaEnabled, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
