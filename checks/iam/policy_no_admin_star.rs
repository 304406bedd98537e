use super::super::prelude::*;
use super::shared::judge_policies;
use crate::model::policy::Statement;

check! {
    /// ## What it does
    /// Flags IAM policies that allow every action on every resource: an `Allow` statement with `"Action": "*"`
    /// (or `"*:*"`) and `"Resource": "*"`, or with `NotAction` and `"Resource": "*"` (everything except a few
    /// actions). It judges every customer-managed policy, attached or not (the message says which), and the
    /// inline policies of every role, user and group (the finding is on the role, user or group).
    ///
    /// ## Why is this bad?
    /// Full administrator rights defeat least privilege: whoever holds them, or steals the credentials of whoever
    /// holds them, can read every secret, delete every resource, disable logging and create new backdoor
    /// identities. Grant the actions a workload needs; keep administrator access for a few break-glass roles that
    /// use the AWS-managed `AdministratorAccess` policy, where it is visible.
    ///
    /// ## Remediation
    /// Replace the statement with the actions and resources actually needed (IAM Access Analyzer can generate a
    /// policy from CloudTrail activity), then publish a new default version:
    /// ```sh
    /// aws iam create-policy-version --policy-arn POLICY_ARN --policy-document file://least-privilege.json --set-as-default
    /// aws iam delete-role-policy --role-name ROLE --policy-name INLINE_POLICY
    /// ```
    /// CDK: `new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })`
    /// instead of `actions: ['*'], resources: ['*']`; CloudFormation: the same in `PolicyDocument` of
    /// `AWS::IAM::ManagedPolicy` or the `Policies` of `AWS::IAM::Role`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_access-advisor.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1
    pub IamPolicyNoAdminStar {
        id: "iam_policy_no_admin_star",
        title: "IAM policies do not allow full \"*:*\" administrative privileges",
        severity: Severity::High,
        service: "iam",
        kinds: &[
            ResourceKind::IamManagedPolicy,
            ResourceKind::IamRole,
            ResourceKind::IamUser,
            ResourceKind::IamGroup,
        ],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.1"), cis("1.15")],
    }
}

/// Why the statement amounts to full administrator access, if it does.
fn admin_grant(st: &Statement<'_>) -> Option<String> {
    if !st.allow || !st.all_resources() {
        return None;
    }
    let what = if !st.not_actions.is_empty() {
        format!("allows every action except {} on all resources", st.not_actions.join(", "))
    } else if st.actions.iter().any(|a| *a == "*" || *a == "*:*") {
        "allows \"*\" on all resources".to_string()
    } else {
        return None;
    };
    Some(match st.sid {
        Some(sid) => format!("statement {sid:?} {what}"),
        None => format!("a statement {what}"),
    })
}

fn admin_grants(document: &PolicyDocument) -> Vec<String> {
    document.statements().iter().filter_map(admin_grant).collect()
}

impl Check for IamPolicyNoAdminStar {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        judge_policies(cx.inventory, admin_grants, "\"*\" on all resources", out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::{Value, json};

    fn doc(statement: Value) -> Field<PolicyDocument> {
        Field::Known(PolicyDocument(json!({"Version": "2012-10-17", "Statement": statement})))
    }

    fn admin() -> Field<PolicyDocument> {
        doc(json!([{"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}]))
    }

    fn managed(document: Field<PolicyDocument>, attachment_count: i32) -> IamManagedPolicy {
        IamManagedPolicy { document, attachment_count, ..Default::default() }
    }

    fn inline(name: &str, document: Field<PolicyDocument>) -> InlinePolicy {
        InlinePolicy { name: name.into(), document }
    }

    #[test]
    fn managed_policies() {
        let mut inv = inventory();
        inv.resources.push(resource("admin", managed(admin(), 2)));
        inv.resources
            .push(resource("star-star", managed(doc(json!({"Effect": "Allow", "Action": "*:*", "Resource": "*"})), 0)));
        inv.resources.push(resource(
            "not-action",
            managed(doc(json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})), 1),
        ));
        inv.resources.push(resource(
            "scoped",
            managed(
                doc(json!([
                    {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::data/*"},
                    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "*", "Resource": "*"}
                ])),
                1,
            ),
        ));
        inv.resources.push(resource("denied", managed(Field::Unknown(denied("iam:GetPolicyVersion")), 1)));
        let findings = run(&IamPolicyNoAdminStar, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("admin".into(), Status::Fail),
                ("denied".into(), Status::Unknown),
                ("not-action".into(), Status::Fail),
                ("scoped".into(), Status::Pass),
                ("star-star".into(), Status::Fail),
            ]
        );
        let msg =
            |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default();
        assert_eq!(msg("admin"), "statement \"Admin\" allows \"*\" on all resources; it is attached to 2 identities");
        assert!(msg("star-star").ends_with("it is not attached to any identity"));
        assert!(msg("not-action").contains("every action except iam:*, organizations:*"));
    }

    #[test]
    fn inline_policies_of_roles_users_and_groups() {
        let mut inv = inventory();
        let read = doc(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}));
        inv.resources.push(resource(
            "role-admin",
            IamRole { inline_policies: vec![inline("ops", admin())], ..Default::default() },
        ));
        inv.resources.push(resource("role-none", IamRole::default()));
        inv.resources.push(resource(
            "user-read",
            IamUser { inline_policies: vec![inline("read", read.clone())], ..Default::default() },
        ));
        inv.resources.push(resource(
            "group-denied",
            IamGroup {
                inline_policies: vec![inline("read", read), inline("x", Field::Unknown(denied("iam:GetGroupPolicy")))],
                ..Default::default()
            },
        ));
        // An admin grant is a FAIL even when another policy cannot be read.
        inv.resources.push(resource(
            "user-admin",
            IamUser {
                inline_policies: vec![inline("x", Field::Unknown(denied("iam:GetUserPolicy"))), inline("all", admin())],
                ..Default::default()
            },
        ));
        let findings = run(&IamPolicyNoAdminStar, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("group-denied".into(), Status::Unknown),
                ("role-admin".into(), Status::Fail),
                ("role-none".into(), Status::Pass),
                ("user-admin".into(), Status::Fail),
                ("user-read".into(), Status::Pass),
            ]
        );
        let role = findings.iter().find(|f| f.resource.id == "role-admin").map(|f| f.message.as_str());
        assert_eq!(role, Some("inline policy ops: statement \"Admin\" allows \"*\" on all resources"));
    }

    #[test]
    fn failed_listings_are_unknown_once() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamRole, GLOBAL, denied("iam:ListRoles"));
        fail_listing(&mut inv, ResourceKind::IamUser, GLOBAL, denied("iam:ListUsers"));
        let findings = run(&IamPolicyNoAdminStar, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert!(findings[0].message.contains("iam:ListRoles"), "{}", findings[0].message);

        fail_listing(&mut inv, ResourceKind::IamManagedPolicy, GLOBAL, denied("iam:ListPolicies"));
        let findings = run(&IamPolicyNoAdminStar, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert!(findings[0].message.contains("iam:ListPolicies"));
    }
}
