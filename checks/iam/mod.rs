use crate::check::DynCheck;

pub mod password_policy_strong;
pub mod policy_no_admin_star;

pub static CHECKS: &[&dyn DynCheck] =
    &[&policy_no_admin_star::IamPolicyNoAdminStar, &password_policy_strong::IamPasswordPolicyStrong];
