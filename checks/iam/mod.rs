use crate::check::DynCheck;

pub mod password_policy_strong;
pub mod policy_no_admin_star;
pub mod user_no_direct_policies;

pub static CHECKS: &[&dyn DynCheck] = &[
    &policy_no_admin_star::IamPolicyNoAdminStar,
    &password_policy_strong::IamPasswordPolicyStrong,
    &user_no_direct_policies::IamUserNoDirectPolicies,
];
