use super::super::prelude::*;
use super::shared::credentials;

check! {
    /// ## What it does
    /// Flags IAM users that have a console password but no MFA device, from the credential report
    /// (`password_enabled` and `mfa_active`). Users without a console password pass: MFA on the console is what
    /// this check is about.
    ///
    /// ## Why is this bad?
    /// A console password alone falls to phishing, reuse from another breach, or guessing. MFA makes a stolen
    /// password useless on its own. IAM users with console access are usually people, and often administrators.
    ///
    /// ## Remediation
    /// Have the user assign an MFA device (**Security credentials → Assign MFA device**), or better, move people
    /// to IAM Identity Center and remove the IAM user's password. Administrators can enforce it with a policy that
    /// denies everything but MFA setup while `aws:MultiFactorAuthPresent` is false. To remove a password that is
    /// not needed:
    /// ```sh
    /// aws iam delete-login-profile --user-name alice
    /// ```
    /// CDK/CloudFormation: avoid `LoginProfile` on `AWS::IAM::User` (`password` on `iam.User`); MFA devices
    /// cannot be assigned from templates.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-5
    pub IamUserConsoleMfa {
        id: "iam_user_console_mfa",
        title: "IAM users with a console password have MFA enabled",
        severity: Severity::High,
        service: "iam",
        kinds: &[ResourceKind::IamUser],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.5"), cis("1.9")],
    }
}

fn judge(user: &IamUser) -> Verdict {
    match credentials(user) {
        Ok(c) if !c.password_enabled => Verdict::Pass("the user has no console password".into()),
        Ok(c) if c.mfa_active => Verdict::Pass("the user has a console password and an MFA device".into()),
        Ok(_) => Verdict::Fail("the user has a console password but no MFA device".into()),
        Err(reason) => Verdict::Unknown(reason),
    }
}

impl Check for IamUserConsoleMfa {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, user) in cx.inventory.iter::<IamUser>() {
            out.verdict(resource, judge(user));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn user(password_enabled: bool, mfa_active: bool) -> IamUser {
        IamUser {
            credentials: Field::Known(Credentials { password_enabled, mfa_active, ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("api-only", user(false, false)));
        inv.resources.push(resource("careful", user(true, true)));
        inv.resources.push(resource("alice", user(true, false)));
        inv.resources.push(resource(
            "unread",
            IamUser { credentials: Field::Unknown(denied("iam:GetCredentialReport")), ..Default::default() },
        ));
        inv.resources.push(resource("no-row", IamUser { credentials: Field::Absent, ..Default::default() }));
        let findings = run(&IamUserConsoleMfa, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("alice".into(), Status::Fail),
                ("api-only".into(), Status::Pass),
                ("careful".into(), Status::Pass),
                ("no-row".into(), Status::Unknown),
                ("unread".into(), Status::Unknown),
            ]
        );
        let unread = findings.iter().find(|f| f.resource.id == "unread").map(|f| f.message.as_str());
        assert!(unread.is_some_and(|m| m.contains("iam:GetCredentialReport")));
    }

    #[test]
    fn failed_user_listing_is_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamUser, GLOBAL, denied("iam:GetAccountAuthorizationDetails"));
        assert_eq!(statuses(&run(&IamUserConsoleMfa, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
