use super::super::prelude::*;
use super::shared::judge_policies;
use crate::model::policy::Statement;

check! {
    /// ## What it does
    /// Flags IAM policies with an `Allow` statement that grants every action of a service (`"Action": "ssm:*"`,
    /// `"s3:*"` …) on all resources (`"Resource": "*"`). It judges every customer-managed policy, attached or
    /// not, and the inline policies of every role, user and group (the finding is on the role, user or group).
    /// Prefixed wildcards such as `ec2:Describe*` are fine; `"*"`/`"*:*"` and `NotAction` grants are full
    /// administrator access, which `iam_policy_no_admin_star` reports.
    ///
    /// Security Hub's IAM.21 judges customer-managed policies only, and flags `service:*` whatever the resource;
    /// this check also reads inline policies, and flags `service:*` only on all resources (a `service:*` scoped to
    /// one bucket or table is a deliberate, bounded grant).
    ///
    /// ## Why is this bad?
    /// `service:*` grants the service's destructive and administrative actions along with the ones the workload
    /// needs: `ssm:*` includes running commands on every managed instance and reading every SecureString
    /// parameter, `iam:*` is a path to full administrator access, `kms:*` includes scheduling key deletion. Such
    /// grants usually come from getting a deployment to work, and stay.
    ///
    /// ## Remediation
    /// List the actions the workload calls (IAM Access Analyzer can generate a policy from CloudTrail activity, and
    /// last-accessed information shows what is used), then publish a new default version or replace the inline
    /// policy:
    /// ```sh
    /// aws iam create-policy-version --policy-arn POLICY_ARN --policy-document file://scoped.json --set-as-default
    /// aws iam put-role-policy --role-name ROLE --policy-name POLICY --policy-document file://scoped.json
    /// ```
    /// CDK: `actions: ['ssm:GetParameter', 'ssm:GetParametersByPath']` with `resources: [param.parameterArn]`
    /// instead of `actions: ['ssm:*'], resources: ['*']`, or a grant method (`param.grantRead(role)`);
    /// CloudFormation: the same in the `PolicyDocument` of `AWS::IAM::ManagedPolicy` or the `Policies` of
    /// `AWS::IAM::Role`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21
    /// - https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-full-access.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub IamPolicyNoServiceWildcard {
        id: "iam_policy_no_service_wildcard",
        title: "IAM policies do not allow all actions of a service (\"service:*\") on all resources",
        severity: Severity::Medium,
        service: "iam",
        kinds: &[
            ResourceKind::IamManagedPolicy,
            ResourceKind::IamRole,
            ResourceKind::IamUser,
            ResourceKind::IamGroup,
        ],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.21")],
    }
}

/// `ssm:*` (any case): a service prefix and nothing but `*` after the colon. `*:*` is not a service wildcard.
fn is_service_wildcard(action: &str) -> bool {
    match action.split_once(':') {
        Some((service, "*")) => !service.is_empty() && !service.contains('*') && !service.contains('?'),
        _ => false,
    }
}

/// The service wildcards a statement grants on all resources, if any.
fn service_wildcards<'a>(st: &Statement<'a>) -> Vec<&'a str> {
    if !st.allow || !st.all_resources() {
        return Vec::new();
    }
    st.actions.iter().copied().filter(|a| is_service_wildcard(a)).collect()
}

fn grants(document: &PolicyDocument) -> Vec<String> {
    document
        .statements()
        .iter()
        .filter_map(|st| {
            let wildcards = service_wildcards(st);
            if wildcards.is_empty() {
                return None;
            }
            let what = format!("allows {} on all resources", wildcards.join(", "));
            Some(match st.sid {
                Some(sid) => format!("statement {sid:?} {what}"),
                None => format!("a statement {what}"),
            })
        })
        .collect()
}

impl Check for IamPolicyNoServiceWildcard {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        judge_policies(cx.inventory, grants, "\"service:*\" on all resources", out);
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

    fn managed(document: Field<PolicyDocument>) -> IamManagedPolicy {
        IamManagedPolicy { document, attachment_count: 1, ..Default::default() }
    }

    fn inline(name: &str, document: Field<PolicyDocument>) -> InlinePolicy {
        InlinePolicy { name: name.into(), document }
    }

    fn message(findings: &[crate::finding::Finding], id: &str) -> String {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default()
    }

    #[test]
    fn wildcard_actions() {
        assert!(is_service_wildcard("ssm:*"));
        assert!(is_service_wildcard("S3:*"));
        assert!(!is_service_wildcard("*:*"));
        assert!(!is_service_wildcard("*"));
        assert!(!is_service_wildcard("ec2:Describe*"));
        assert!(!is_service_wildcard(":*"));
        assert!(!is_service_wildcard("s3*:*"));
    }

    #[test]
    fn managed_policies() {
        let mut inv = inventory();
        inv.resources.push(resource(
            "ssm-all",
            managed(doc(
                json!([{"Sid": "Ops", "Effect": "Allow", "Action": ["ssm:*", "ec2:Describe*"], "Resource": "*"}]),
            )),
        ));
        inv.resources.push(resource(
            "scoped",
            managed(doc(json!([
                {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"},
                {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
                // Full admin is the other check's finding.
                {"Effect": "Allow", "Action": "*:*", "Resource": "*"}
            ]))),
        ));
        inv.resources.push(resource("empty", managed(Field::Absent)));
        inv.resources.push(resource("denied", managed(Field::Unknown(denied("iam:GetPolicyVersion")))));
        let findings = run(&IamPolicyNoServiceWildcard, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("empty".into(), Status::Pass),
                ("scoped".into(), Status::Pass),
                ("ssm-all".into(), Status::Fail),
            ]
        );
        assert_eq!(
            message(&findings, "ssm-all"),
            "statement \"Ops\" allows ssm:* on all resources; it is attached to 1 identity"
        );
    }

    #[test]
    fn inline_policies_of_roles_users_and_groups() {
        let mut inv = inventory();
        let kms = doc(json!({"Effect": "Allow", "Action": ["kms:*", "iam:*"], "Resource": ["*"]}));
        let read = doc(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}));
        inv.resources.push(resource(
            "role-kms",
            IamRole { inline_policies: vec![inline("keys", kms.clone())], ..Default::default() },
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
        // A wildcard grant is a FAIL even when another policy cannot be read.
        inv.resources.push(resource(
            "user-kms",
            IamUser {
                inline_policies: vec![inline("x", Field::Unknown(denied("iam:GetUserPolicy"))), inline("keys", kms)],
                ..Default::default()
            },
        ));
        let findings = run(&IamPolicyNoServiceWildcard, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("group-denied".into(), Status::Unknown),
                ("role-kms".into(), Status::Fail),
                ("role-none".into(), Status::Pass),
                ("user-kms".into(), Status::Fail),
                ("user-read".into(), Status::Pass),
            ]
        );
        assert_eq!(
            message(&findings, "role-kms"),
            "inline policy keys: a statement allows kms:*, iam:* on all resources"
        );
    }

    #[test]
    fn failed_listings_are_unknown_once() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamGroup, GLOBAL, denied("iam:ListGroups"));
        let findings = run(&IamPolicyNoServiceWildcard, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert!(findings[0].message.contains("iam:ListGroups"));

        fail_listing(&mut inv, ResourceKind::IamManagedPolicy, GLOBAL, denied("iam:ListPolicies"));
        let findings = run(&IamPolicyNoServiceWildcard, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert!(findings[0].message.contains("iam:ListPolicies"));
    }
}
