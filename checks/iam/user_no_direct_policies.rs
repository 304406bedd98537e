use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags IAM users that have permissions of their own: inline policies, or managed policies attached directly
    /// to the user. Users that get their permissions only through groups pass. The message lists the policies.
    ///
    /// ## Why is this bad?
    /// Permissions granted user by user are hard to review and easy to forget when someone changes team or
    /// leaves: each user becomes a special case. Granting permissions through groups (or, better, roles assumed
    /// through IAM Identity Center) keeps access tied to job functions, where it can be reviewed and revoked in
    /// one place.
    ///
    /// ## Remediation
    /// Put the user in a group that has the policies, then remove the direct ones:
    /// ```sh
    /// aws iam add-user-to-group --group-name developers --user-name alice
    /// aws iam detach-user-policy --user-name alice --policy-arn POLICY_ARN
    /// aws iam delete-user-policy --user-name alice --policy-name INLINE_POLICY
    /// ```
    /// CDK: `group.addManagedPolicy(...)` and `new iam.User(this, 'U', { groups: [group] })` instead of
    /// `user.addManagedPolicy(...)`/`user.addToPolicy(...)`; CloudFormation: set `ManagedPolicyArns`/`Policies` on
    /// `AWS::IAM::Group` and `Groups` on `AWS::IAM::User`, not `ManagedPolicyArns`/`Policies` on the user.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2
    pub IamUserNoDirectPolicies {
        id: "iam_user_no_direct_policies",
        title: "IAM users receive permissions only through groups",
        severity: Severity::Low,
        service: "iam",
        kinds: &[ResourceKind::IamUser],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.2"), cis("1.14")],
    }
}

fn judge(user: &IamUser) -> Verdict {
    let mut direct = Vec::new();
    if !user.inline_policies.is_empty() {
        let names: Vec<&str> = user.inline_policies.iter().map(|p| p.name.as_str()).collect();
        direct.push(format!("inline policies: {}", names.join(", ")));
    }
    if !user.attached_policies.is_empty() {
        let names: Vec<&str> = user.attached_policies.iter().map(|p| p.name.as_str()).collect();
        direct.push(format!("attached managed policies: {}", names.join(", ")));
    }
    if direct.is_empty() {
        Verdict::Pass("the user has no inline or directly attached policies".into())
    } else {
        Verdict::Fail(format!("the user has policies of its own ({})", direct.join("; ")))
    }
}

impl Check for IamUserNoDirectPolicies {
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

    fn inline(name: &str) -> InlinePolicy {
        InlinePolicy { name: name.into(), document: Field::Absent }
    }

    fn attached(name: &str) -> AttachedPolicy {
        AttachedPolicy { name: name.into(), arn: format!("arn:aws:iam::aws:policy/{name}") }
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("grouped", IamUser { groups: vec!["devs".into()], ..Default::default() }));
        inv.resources
            .push(resource("inline", IamUser { inline_policies: vec![inline("s3-read")], ..Default::default() }));
        inv.resources.push(resource(
            "both",
            IamUser {
                inline_policies: vec![inline("a"), inline("b")],
                attached_policies: vec![attached("ReadOnlyAccess")],
                ..Default::default()
            },
        ));
        let findings = run(&IamUserNoDirectPolicies, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("both".into(), Status::Fail), ("grouped".into(), Status::Pass), ("inline".into(), Status::Fail)]
        );
        let both = findings.iter().find(|f| f.resource.id == "both").map(|f| f.message.as_str());
        assert_eq!(
            both,
            Some("the user has policies of its own (inline policies: a, b; attached managed policies: ReadOnlyAccess)")
        );
    }

    #[test]
    fn failed_user_listing_is_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamUser, GLOBAL, denied("iam:ListUsers"));
        let findings = run(&IamUserNoDirectPolicies, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
