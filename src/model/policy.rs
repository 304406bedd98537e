//! IAM policy documents (identity policies, bucket policies, key policies), kept as the JSON AWS returned and
//! read through a normalizing view: AWS allows a string or a list almost everywhere.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A policy document exactly as AWS returned it (already URL-decoded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolicyDocument(pub Value);

/// One statement, normalized.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement<'a> {
    pub sid: Option<&'a str>,
    pub allow: bool,
    pub principal: Principal<'a>,
    pub actions: Vec<&'a str>,
    /// `NotAction` entries; a statement with `NotAction` grants everything except these.
    pub not_actions: Vec<&'a str>,
    pub resources: Vec<&'a str>,
    pub not_resources: Vec<&'a str>,
    pub condition: Option<&'a Value>,
}

/// The `Principal` element of a resource policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal<'a> {
    /// No `Principal` element (identity policies).
    None,
    /// `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers.
    Everyone,
    /// Explicit principals by type (`AWS`, `Service`, `Federated`, `CanonicalUser`).
    Named(Vec<(&'a str, &'a str)>),
}

impl PolicyDocument {
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text).map(PolicyDocument)
    }

    /// The statements, normalized. Entries that are not objects are skipped: AWS rejects such documents, so
    /// they cannot grant anything.
    pub fn statements(&self) -> Vec<Statement<'_>> {
        let list: Vec<&Value> = match self.0.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(single @ Value::Object(_)) => vec![single],
            _ => Vec::new(),
        };
        list.into_iter()
            .filter(|s| s.is_object())
            .map(|s| Statement {
                sid: s.get("Sid").and_then(Value::as_str),
                allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
                principal: principal(s.get("Principal")),
                actions: strings(s.get("Action")),
                not_actions: strings(s.get("NotAction")),
                resources: strings(s.get("Resource")),
                not_resources: strings(s.get("NotResource")),
                condition: s.get("Condition").filter(|c| c.as_object().is_some_and(|o| !o.is_empty())),
            })
            .collect()
    }
}

impl Statement<'_> {
    /// True when the statement's actions cover `action` (`s3:GetObject`), honouring `*` wildcards and
    /// `NotAction`. Action names are case-insensitive in IAM.
    pub fn covers_action(&self, action: &str) -> bool {
        if !self.not_actions.is_empty() {
            return !self.not_actions.iter().any(|p| wildcard_match(p, action));
        }
        self.actions.iter().any(|p| wildcard_match(p, action))
    }

    /// True when the statement applies to every resource (`Resource: "*"`).
    pub fn all_resources(&self) -> bool {
        self.not_resources.is_empty() && self.resources.contains(&"*")
    }

    /// An `Allow` for everyone (`"Principal": "*"` or `{"AWS": "*"}`) that no condition ties to known callers or
    /// networks: what resource policies (buckets, functions, topics) must not contain.
    pub fn allows_everyone_unrestricted(&self) -> bool {
        self.allows_public(&[])
    }

    /// Like [`Self::allows_everyone_unrestricted`], with `extra_keys`: service-specific condition keys that
    /// restrict callers too (`kms:CallerAccount`).
    pub fn allows_public(&self, extra_keys: &[&str]) -> bool {
        self.allow && self.principal == Principal::Everyone && !restricts_callers(self.condition, extra_keys)
    }

    /// Whether the condition pins one of `keys` to fixed values.
    pub fn restricted_by(&self, keys: &[&str]) -> bool {
        condition_pins(self.condition, keys)
    }
}

/// Global condition keys that tie an `Allow` for everyone to known callers or networks.
pub const RESTRICTING_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:userid",
    "aws:PrincipalArn",
];

/// A condition value that does not pin anything: a bare wildcard, a pattern, a policy variable or an
/// any-address range. A list matches anything when one of its entries does.
fn matches_anything(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('*') || s.contains('?') || s.contains("${") || s == "0.0.0.0/0" || s == "::/0",
        Value::Array(items) => items.iter().any(matches_anything),
        _ => false,
    }
}

/// Whether the condition limits a statement to known callers or networks: a [`RESTRICTING_KEYS`] (or
/// `extra_keys`) key pinned to fixed values.
pub fn restricts_callers(condition: Option<&Value>, extra_keys: &[&str]) -> bool {
    condition_pins(condition, RESTRICTING_KEYS) || condition_pins(condition, extra_keys)
}

/// Whether the condition pins one of `keys` to fixed values. Negated and `IfExists` operators match requests
/// that lack the key (anonymous ones included), `ForAllValues:` matches an empty set and `Null` tests presence
/// only, so none of them restricts; wildcards and policy variables match more than one caller.
fn condition_pins(condition: Option<&Value>, keys: &[&str]) -> bool {
    let Some(operators) = condition.and_then(Value::as_object) else {
        return false;
    };
    operators.iter().any(|(operator, conditions)| {
        let op = operator.to_ascii_lowercase();
        let positive =
            !op.contains("not") && !op.ends_with("ifexists") && !op.starts_with("forallvalues:") && op != "null";
        positive
            && conditions.as_object().is_some_and(|conditions| {
                conditions
                    .iter()
                    .any(|(key, value)| keys.iter().any(|k| k.eq_ignore_ascii_case(key)) && !matches_anything(value))
            })
    })
}

fn principal(value: Option<&Value>) -> Principal<'_> {
    match value {
        None => Principal::None,
        Some(Value::String(s)) if s == "*" => Principal::Everyone,
        Some(Value::Object(map)) => {
            let mut named = Vec::new();
            for (kind, ids) in map {
                for id in strings(Some(ids)) {
                    if kind == "AWS" && id == "*" {
                        return Principal::Everyone;
                    }
                    named.push((kind.as_str(), id));
                }
            }
            Principal::Named(named)
        }
        Some(_) => Principal::Named(Vec::new()),
    }
}

fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// IAM-style wildcard match: `*` any run of characters, `?` one character, case-insensitive.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalizes_single_statement_and_string_fields() {
        let doc = PolicyDocument(json!({
            "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}
        }));
        let st = doc.statements();
        assert_eq!(st.len(), 1);
        assert!(st[0].allow && st[0].covers_action("iam:CreateUser") && st[0].all_resources());
        assert_eq!(st[0].principal, Principal::None);
    }

    #[test]
    fn principal_forms() {
        let doc = PolicyDocument(json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}, "Action": "s3:*"},
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject"}
        ]}));
        let st = doc.statements();
        assert_eq!(st[0].principal, Principal::Everyone);
        assert_eq!(st[1].principal, Principal::Everyone);
        assert_eq!(st[2].principal, Principal::Named(vec![("Service", "cloudtrail.amazonaws.com")]));
    }

    #[test]
    fn not_action_covers_everything_else() {
        let doc = PolicyDocument(json!({"Statement": [
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
        ]}));
        let st = doc.statements();
        assert!(st[0].covers_action("s3:GetObject"));
        assert!(!st[0].covers_action("iam:CreateUser"));
    }

    #[test]
    fn everyone_unless_a_condition_pins_the_caller() {
        let doc = PolicyDocument(json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish"},
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish",
             "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish",
             "Condition": {"StringNotEquals": {"aws:SourceAccount": "123456789012"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish",
             "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:s3:::*"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish",
             "Condition": {"StringEquals": {"aws:PrincipalAccount": "${aws:username}"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish",
             "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}},
            {"Effect": "Deny", "Principal": "*", "Action": "sns:Publish"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sns:Publish"}
        ]}));
        let public: Vec<bool> = doc.statements().iter().map(Statement::allows_everyone_unrestricted).collect();
        assert_eq!(public, [true, false, true, true, true, true, false, false]);
    }

    #[test]
    fn public_statements_and_restricting_conditions() {
        let doc = PolicyDocument(json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt"},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-123"}}},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Condition": {"StringLike": {"aws:PrincipalAccount": "*"}}},
            {"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"}
        ]}));
        let st = doc.statements();
        let public: Vec<bool> = st.iter().map(|s| s.allows_public(&[])).collect();
        assert_eq!(public, [true, false, true, true, true, false, false]);
        // A service-specific key restricts only where the caller names it.
        assert!(!st[2].allows_public(&["kms:CallerAccount"]));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("s3:Get*", "s3:GetObject"));
        assert!(wildcard_match("S3:GET*", "s3:getobject"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("ec2:Describe?pcs", "ec2:DescribeVpcs"));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
        assert!(!wildcard_match("s3:GetObject", "s3:GetObjectAcl"));
    }
}
