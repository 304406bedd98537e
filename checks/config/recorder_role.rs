use super::super::prelude::*;

check! {
    /// ## What it does
    /// Checks the IAM role of every AWS Config configuration recorder: it passes when the role is AWS Config's
    /// service-linked role (`aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`) or a role with the
    /// AWS managed policy `service-role/AWS_ConfigRole` attached, and fails otherwise (for instance a role that
    /// still uses the deprecated `service-role/AWSConfigRole`, or hand-written permissions). The role is looked
    /// up in the IAM inventory: a role in another account, or one whose IAM listing could not be read, is
    /// UNKNOWN; a role missing from a complete listing does not exist, which is a FAIL.
    ///
    /// ## Why is this bad?
    /// AWS Config records only what its role may describe. AWS keeps the service-linked role and `AWS_ConfigRole`
    /// up to date as Config learns new resource types; a hand-made or deprecated policy is frozen at the day it
    /// was written, so new resource types silently go unrecorded (the recorder reports no error, the history just
    /// has holes), and rules evaluating them have nothing to evaluate.
    ///
    /// ## Remediation
    /// Use the service-linked role (or attach `AWS_ConfigRole` to the recorder's role and detach the old policy):
    /// ```sh
    /// aws iam create-service-linked-role --aws-service-name config.amazonaws.com
    /// aws configservice put-configuration-recorder --configuration-recorder \
    ///   name=default,roleARN=arn:aws:iam::ACCOUNT_ID:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig
    /// ```
    /// CloudFormation: `RoleARN` of `AWS::Config::ConfigurationRecorder` set to the service-linked role (created
    /// with `AWS::IAM::ServiceLinkedRole`, `AWSServiceName: config.amazonaws.com`), or a role whose
    /// `ManagedPolicyArns` include `arn:aws:iam::aws:policy/service-role/AWS_ConfigRole`; CDK:
    /// `iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/security-iam-awsmanpol.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html
    pub ConfigRecorderRole {
        id: "config_recorder_role",
        title: "AWS Config recorders use the service-linked role or AWS_ConfigRole",
        severity: Severity::Low,
        service: "config",
        kinds: &[ResourceKind::ConfigRecorder, ResourceKind::IamRole],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

const SERVICE_LINKED_ROLE: &str = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
const POLICY_NAME: &str = "AWS_ConfigRole";

/// `(account, resource)` of an IAM ARN (`arn:PARTITION:iam::ACCOUNT:RESOURCE`).
fn iam_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_), Some("iam"), Some(""), Some(account), Some(resource)) => Some((account, resource)),
        _ => None,
    }
}

/// Whether a policy ARN is the AWS managed `AWS_ConfigRole` (in any partition).
fn is_config_role_policy(arn: &str) -> bool {
    iam_arn(arn).is_some_and(|(account, resource)| {
        account == "aws" && resource.strip_prefix("policy/").and_then(|p| p.rsplit('/').next()) == Some(POLICY_NAME)
    })
}

fn judge(inventory: &Inventory, recorder: &ConfigRecorder) -> Verdict {
    let Some(role_arn) = recorder.role_arn.as_deref().filter(|a| !a.is_empty()) else {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "config:DescribeConfigurationRecorders",
            "the recorder has no role ARN",
        ));
    };
    let Some((account, resource)) = iam_arn(role_arn) else {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "config:DescribeConfigurationRecorders",
            format!("the recorder's role {role_arn:?} is not an IAM role ARN"),
        ));
    };
    if resource == SERVICE_LINKED_ROLE {
        return Verdict::Pass("the recorder uses the AWS Config service-linked role".into());
    }
    if account != inventory.account_id {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Dependency,
            "iam:GetAccountAuthorizationDetails",
            format!("the recorder's role {role_arn} is in account {account}, whose roles were not audited"),
        ));
    }
    // IAM ARNs compare case-insensitively on the role name; the ARN as a whole is close enough here.
    let role = inventory.iter::<IamRole>().find(|(r, _)| r.arn.eq_ignore_ascii_case(role_arn));
    match role {
        Some((r, role)) if role.attached_policies.iter().any(|p| is_config_role_policy(&p.arn)) => {
            Verdict::Pass(format!("the recorder's role {} has {POLICY_NAME} attached", r.display_name()))
        }
        Some((r, role)) => {
            let attached: Vec<&str> = role.attached_policies.iter().map(|p| p.name.as_str()).collect();
            let has = if attached.is_empty() {
                "no managed policy".to_string()
            } else {
                format!("only {}", attached.join(", "))
            };
            Verdict::Fail(format!(
                "the recorder's role {} is not the service-linked role and lacks {POLICY_NAME} (it has {has})",
                r.display_name()
            ))
        }
        None => match inventory.listing(ResourceKind::IamRole, GLOBAL).complete(ResourceKind::IamRole, GLOBAL) {
            Ok(()) => Verdict::Fail(format!("the recorder's role {role_arn} does not exist")),
            Err(reason) => Verdict::Unknown(reason),
        },
    }
}

impl Check for ConfigRecorderRole {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, recorder) in cx.inventory.iter::<ConfigRecorder>() {
            out.verdict(resource, judge(cx.inventory, recorder));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn recorder(role_arn: Option<&str>) -> ConfigRecorder {
        ConfigRecorder { role_arn: role_arn.map(String::from), ..Default::default() }
    }

    fn role(name: &str, policies: &[&str]) -> Resource {
        let mut r = resource(
            name,
            IamRole {
                attached_policies: policies
                    .iter()
                    .map(|arn| AttachedPolicy {
                        name: arn.rsplit('/').next().unwrap_or_default().into(),
                        arn: arn.to_string(),
                    })
                    .collect(),
                ..Default::default()
            },
        );
        r.arn = format!("arn:aws:iam::{ACCOUNT}:role/{name}");
        r.name = Some(name.to_string());
        r
    }

    fn role_arn(name: &str) -> String {
        format!("arn:aws:iam::{ACCOUNT}:role/{name}")
    }

    fn message(findings: &[crate::finding::Finding], id: &str) -> String {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default()
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(role("config", &["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"]));
        inv.resources.push(role("config-legacy", &["arn:aws:iam::aws:policy/service-role/AWSConfigRole"]));
        inv.resources.push(role("config-custom", &[]));
        let slr = format!("arn:aws:iam::{ACCOUNT}:{SERVICE_LINKED_ROLE}");
        inv.resources.push(resource("slr", recorder(Some(&slr))));
        inv.resources.push(resource("managed", recorder(Some(&role_arn("config")))));
        inv.resources.push(resource("legacy", recorder(Some(&role_arn("config-legacy")))));
        inv.resources.push(resource("custom", recorder(Some(&role_arn("config-custom")))));
        inv.resources.push(resource("gone", recorder(Some(&role_arn("deleted")))));
        let findings = run(&ConfigRecorderRole, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("custom".into(), Status::Fail),
                ("gone".into(), Status::Fail),
                ("legacy".into(), Status::Fail),
                ("managed".into(), Status::Pass),
                ("slr".into(), Status::Pass),
            ]
        );
        assert_eq!(
            message(&findings, "legacy"),
            "the recorder's role config-legacy is not the service-linked role and lacks AWS_ConfigRole (it has only \
             AWSConfigRole)"
        );
        assert!(message(&findings, "custom").ends_with("(it has no managed policy)"));
        assert!(message(&findings, "gone").ends_with("deleted does not exist"));
    }

    #[test]
    fn unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("other-account", recorder(Some("arn:aws:iam::999999999999:role/config"))));
        inv.resources.push(resource("no-role", recorder(None)));
        inv.resources.push(resource("garbled", recorder(Some("config-role"))));
        let findings = run(&ConfigRecorderRole, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("garbled".into(), Status::Unknown),
                ("no-role".into(), Status::Unknown),
                ("other-account".into(), Status::Unknown),
            ]
        );

        // Roles not listed: a role missing from the inventory proves nothing.
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamRole, GLOBAL, denied("iam:GetAccountAuthorizationDetails"));
        inv.resources.push(resource("rec", recorder(Some(&role_arn("config")))));
        let findings = run(&ConfigRecorderRole, &inv);
        assert_eq!(statuses(&findings), vec![("rec".into(), Status::Unknown)]);
        assert!(findings[0].message.contains("iam:GetAccountAuthorizationDetails"));

        // The recorders could not be listed.
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::ConfigRecorder, REGION, denied("config:DescribeConfigurationRecorders"));
        assert_eq!(statuses(&run(&ConfigRecorderRole, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
