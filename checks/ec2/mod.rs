use crate::check::DynCheck;

pub mod admin_port;
pub mod ebs_default_encryption;
pub mod ebs_volume_encrypted;
pub mod ebs_volume_gp3;
pub mod instance_detailed_monitoring;
pub mod instance_imdsv2_required;
pub mod instance_no_public_ip;
pub mod instance_profile_attached;
pub mod launch_template_ebs_encrypted;
pub mod launch_template_imdsv2_required;
pub mod launch_template_unused;
pub mod nacl_admin_ports_open;
pub mod sg_all_ports_open;
pub mod sg_default_restricts_all;
pub mod sg_egress_unrestricted;
pub mod sg_rdp_restricted;
pub mod sg_ssh_restricted;

pub static CHECKS: &[&dyn DynCheck] = &[
    &sg_ssh_restricted::Ec2SgSshRestricted,
    &sg_rdp_restricted::Ec2SgRdpRestricted,
    &sg_default_restricts_all::Ec2SgDefaultRestrictsAll,
    &instance_imdsv2_required::Ec2InstanceImdsv2Required,
    &instance_no_public_ip::Ec2InstanceNoPublicIp,
    &ebs_volume_encrypted::Ec2EbsVolumeEncrypted,
    &ebs_default_encryption::Ec2EbsDefaultEncryption,
    &launch_template_unused::Ec2LaunchTemplateUnused,
    &launch_template_imdsv2_required::Ec2LaunchTemplateImdsv2Required,
    &launch_template_ebs_encrypted::Ec2LaunchTemplateEbsEncrypted,
    &sg_all_ports_open::Ec2SgAllPortsOpen,
    &sg_egress_unrestricted::Ec2SgEgressUnrestricted,
    &nacl_admin_ports_open::Ec2NaclAdminPortsOpen,
    &instance_profile_attached::Ec2InstanceProfileAttached,
    &instance_detailed_monitoring::Ec2InstanceDetailedMonitoring,
    &ebs_volume_gp3::Ec2EbsVolumeGp3,
];
