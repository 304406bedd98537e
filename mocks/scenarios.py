#!/usr/bin/env python3
"""Builds test accounts in a running moto server through boto3 (the AWS SDK for Python).

    python mocks/scenarios.py --endpoint http://127.0.0.1:PORT compliant|misconfigured

Both scenarios span two regions (us-east-1 as the home region, eu-west-1). The end-to-end tests assert the
exact findings awsaudit reports for each; `mocks/demo.json` is the snapshot of the misconfigured account.
Workarounds for moto gaps are marked `moto:` and listed in mocks/README.md.
"""

import argparse
import json
import sys

import boto3

HOME, OTHER = "us-east-1", "eu-west-1"
REGIONS = (HOME, OTHER)
ACCOUNT = "123456789012"
TAGS = {"Environment": "prod", "Project": "shop"}
# The compliant multi-region trail's CloudWatch Logs group (parts/cloudwatch.py adds the CIS filters and alarms).
TRAIL_LOG_GROUP = "cloudtrail/management"


def tag_list(tags, key="Key", value="Value"):
    return [{key: k, value: v} for k, v in tags.items()]


class Account:
    def __init__(self, endpoint):
        self.endpoint = endpoint

    def client(self, service, region=HOME):
        client = boto3.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        if service == "s3control":
            # S3 Control prefixes the host with the account id, which does not resolve for a local endpoint.
            def strip_account_prefix(request, **_):
                request.url = request.url.replace(f"//{ACCOUNT}.", "//", 1)

            client.meta.events.register("before-sign.s3-control.*", strip_account_prefix)
        return client

    # --- shared building blocks -------------------------------------------------------------------------

    def remove_default_vpcs(self):
        """A hardened account has no default VPCs (CIS); moto creates one per region on first use."""
        for region in REGIONS:
            ec2 = self.client("ec2", region)
            for vpc in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]:
                vpc_id = vpc["VpcId"]
                for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]:
                    ec2.delete_subnet(SubnetId=subnet["SubnetId"])
                for igw in ec2.describe_internet_gateways(
                    Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
                )["InternetGateways"]:
                    ec2.detach_internet_gateway(InternetGatewayId=igw["InternetGatewayId"], VpcId=vpc_id)
                    ec2.delete_internet_gateway(InternetGatewayId=igw["InternetGatewayId"])
                # moto: the default VPC's network ACL stays listed after the VPC is deleted (AWS deletes it with
                # the VPC) and cannot be deleted itself; close it like a live one.
                self.deny_admin_ports(ec2, vpc_id)
                ec2.delete_vpc(VpcId=vpc_id)

    def complete_default_vpcs(self):
        """moto: default VPCs come without the internet gateway and the 0.0.0.0/0 route AWS gives them, which would
        make their subnets look private; add both."""
        for region in REGIONS:
            ec2 = self.client("ec2", region)
            for vpc in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]:
                igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
                ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc["VpcId"])
                main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}, {
                    "Name": "association.main", "Values": ["true"]}])["RouteTables"][0]["RouteTableId"]
                ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)

    def deny_admin_ports(self, ec2, vpc_id):
        """The default network ACL allows everything; deny SSH and RDP from anywhere ahead of that."""
        acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NetworkAcls"][0]
        for number, port in ((10, 22), (11, 3389)):
            ec2.create_network_acl_entry(
                NetworkAclId=acl["NetworkAclId"], RuleNumber=number, Protocol="6", RuleAction="deny",
                Egress=False, CidrBlock="0.0.0.0/0", PortRange={"From": port, "To": port})

    def close_default_security_group(self, ec2, vpc_id):
        sg = ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"][0]
        if sg["IpPermissions"]:
            ec2.revoke_security_group_ingress(GroupId=sg["GroupId"], IpPermissions=sg["IpPermissions"])
        if sg["IpPermissionsEgress"]:
            ec2.revoke_security_group_egress(GroupId=sg["GroupId"], IpPermissions=sg["IpPermissionsEgress"])

    def image_id(self, ec2):
        return ec2.describe_images()["Images"][0]["ImageId"]

    def bucket(self, name, region):
        s3 = self.client("s3", region)
        if region == HOME:
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        return s3

    def kms_key(self, region, alias, rotate, tags=TAGS):
        kms = self.client("kms", region)
        key = kms.create_key(Description=alias, Tags=tag_list(tags, "TagKey", "TagValue"))["KeyMetadata"]
        kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=key["KeyId"])
        if rotate:
            kms.enable_key_rotation(KeyId=key["KeyId"])
        return key

    def recorder(self, region, bucket, start=True, all_supported=True, role_arn=None):
        """A recorder using `role_arn`, by default AWS Config's service-linked role."""
        config = self.client("config", region)
        role_arn = role_arn or (
            f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig")
        group = {"allSupported": True, "includeGlobalResourceTypes": region == HOME}
        if not all_supported:
            group = {"allSupported": False, "includeGlobalResourceTypes": False, "resourceTypes": ["AWS::EC2::VPC"]}
        config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": "default",
                "roleARN": role_arn,
                "recordingGroup": group,
            }
        )
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
        if start:
            config.start_configuration_recorder(ConfigurationRecorderName="default")

    def config_role(self, name, managed_policy_arns=(), inline=None):
        """An IAM role AWS Config can assume (for recorders that do not use the service-linked role)."""
        iam = self.client("iam")
        arn = iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            Tags=tag_list(TAGS),
        )["Role"]["Arn"]
        for policy_arn in managed_policy_arns:
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
        if inline:
            iam.put_role_policy(RoleName=name, PolicyName="recording", PolicyDocument=json.dumps(inline))
        return arn

    def trail(self, name, bucket, multi_region, validation, kms_key_id=None, tags=TAGS, log_group=None):
        """A trail in the home region; with `log_group`, it also delivers to that CloudWatch Logs group (created
        here, kept a year, encrypted with `kms_key_id`), through a role CloudTrail can assume."""
        ct = self.client("cloudtrail", HOME)
        args = dict(
            Name=name,
            S3BucketName=bucket,
            IsMultiRegionTrail=multi_region,
            IncludeGlobalServiceEvents=True,
            EnableLogFileValidation=validation,
            TagsList=tag_list(tags),
        )
        if kms_key_id:
            args["KmsKeyId"] = kms_key_id
        if log_group:
            logs = self.client("logs", HOME)
            # moto: AssociateKmsKey is not implemented; the key is given at creation instead.
            group_args = dict(logGroupName=log_group, tags=tags)
            if kms_key_id:
                group_args["kmsKeyId"] = kms_key_id
            logs.create_log_group(**group_args)
            logs.put_retention_policy(logGroupName=log_group, retentionInDays=365)
            role = self.client("iam").create_role(
                RoleName=f"{name}-to-cloudwatch-logs",
                AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}),
                Tags=tag_list(tags),
            )["Role"]
            group_arn = f"arn:aws:logs:{HOME}:{ACCOUNT}:log-group:{log_group}"
            self.client("iam").put_role_policy(
                RoleName=role["RoleName"], PolicyName="deliver-to-log-group",
                PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": f"{group_arn}:log-stream:*"}]}),
            )
            args["CloudWatchLogsLogGroupArn"] = f"{group_arn}:*"
            args["CloudWatchLogsRoleArn"] = role["Arn"]
        ct.create_trail(**args)
        # moto: a new trail has no event selectors, where AWS reports the default (all management events).
        ct.put_event_selectors(
            TrailName=name, EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}]
        )
        ct.start_logging(Name=name)

    # --- scenarios ---------------------------------------------------------------------------------------

    def compliant(self):
        self.remove_default_vpcs()
        iam = self.client("iam")
        iam.update_account_password_policy(
            MinimumPasswordLength=16,
            RequireSymbols=True,
            RequireNumbers=True,
            RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=True,
            PasswordReusePrevention=24,
            MaxPasswordAge=90,
        )
        iam.create_role(
            RoleName="app",
            AssumeRolePolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
            ),
            Tags=tag_list(TAGS),
        )
        iam.put_role_policy(
            RoleName="app",
            PolicyName="read-data",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::compliant-data/*"}]}),
        )
        # People get permissions through groups, never directly (CIS 1.14).
        iam.create_group(GroupName="operators")
        iam.attach_group_policy(GroupName="operators", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        iam.create_user(UserName="operator", Tags=tag_list(TAGS))
        iam.add_user_to_group(GroupName="operators", UserName="operator")
        # moto: root MFA is console-only; the launcher reports it enabled once the device the console creates for
        # root exists.
        iam.create_virtual_mfa_device(VirtualMFADeviceName="root-account-mfa-device")
        iam.create_policy(
            PolicyName="describe-only",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}),
        )
        self.client("s3control").put_public_access_block(
            AccountId=ACCOUNT,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True,
                "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
            },
        )
        keys = {r: self.kms_key(r, f"data-{r}", rotate=True) for r in REGIONS}
        buckets = [(f"compliant-logs-{r}", r, f"compliant-logs-{r}") for r in REGIONS]
        buckets.append(("compliant-data", OTHER, f"compliant-logs-{OTHER}"))
        # The data bucket replicates to a versioned bucket in the home region.
        buckets.append(("compliant-data-replica", HOME, f"compliant-logs-{HOME}"))
        # moto: PutBucketLogging fails once the target bucket has a policy with `"Principal": "*"`, so every
        # bucket's logging is set up before any policy.
        for name, region, target in buckets:
            self.bucket(name, region)
        for name, region, target in buckets:
            self.enable_logging(self.client("s3", region), name, target)
        for name, region, _ in buckets:
            self.harden_bucket(self.client("s3", region), name, keys[region]["Arn"])
        self.replicate("compliant-data", OTHER, ["compliant-data-replica"])
        # Instances get a role through an instance profile.
        iam.create_instance_profile(InstanceProfileName="app", Tags=tag_list(TAGS))
        iam.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app")

        # The home region records with the service-linked role, the other with a role using AWS_ConfigRole.
        config_role = self.config_role(
            "config-recorder", managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"])
        for region in REGIONS:
            ec2 = self.client("ec2", region)
            ec2.enable_ebs_encryption_by_default()
            self.network(ec2, region, compliant=True, logs_bucket=f"compliant-logs-{region}")
            self.recorder(region, f"compliant-logs-{region}", role_arn=None if region == HOME else config_role)
        for region in REGIONS:
            self.auto_scaling_group(region, template="app")
        self.trail("management", f"compliant-logs-{HOME}", multi_region=True, validation=True,
                   kms_key_id=keys[HOME]["Arn"], log_group=TRAIL_LOG_GROUP)
        iam.generate_credential_report()

    def enable_logging(self, s3, name, target):
        # moto: logging needs the log-delivery group on the target's ACL.
        s3.put_bucket_acl(Bucket=target, GrantWrite='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
                          GrantReadACP='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"')
        s3.put_bucket_logging(Bucket=name, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": target, "TargetPrefix": f"{name}/"}})

    def auto_scaling_group(self, region, template=None):
        """A group with no instances (desired 0): moto's group-launched instances lack types and groups."""
        ec2, asg = self.client("ec2", region), self.client("autoscaling", region)
        subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": ["app-a", "app-b"]}])["Subnets"]]
        args = dict(AutoScalingGroupName="app", MinSize=0, MaxSize=2, DesiredCapacity=0,
                    VPCZoneIdentifier=",".join(subnets), Tags=[{"Key": k, "Value": v, "PropagateAtLaunch": True}
                                                              for k, v in TAGS.items()])
        if template:
            args["LaunchTemplate"] = {"LaunchTemplateName": template, "Version": "$Latest"}
        else:
            asg.create_launch_configuration(LaunchConfigurationName="legacy-app", ImageId=self.image_id(ec2),
                                            InstanceType="t3.micro")
            args["LaunchConfigurationName"] = "legacy-app"
        asg.create_auto_scaling_group(**args)

    def replicate(self, source, region, destinations):
        """Replication from `source` to each destination bucket name, one rule each, through a tagged role."""
        iam = self.client("iam")
        try:
            iam.create_role(RoleName="s3-replication", Tags=tag_list(TAGS), AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                    "Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        except iam.exceptions.EntityAlreadyExistsException:
            pass
        rules = [{"ID": f"to-{dest}", "Status": "Enabled", "Priority": i + 1, "Filter": {"Prefix": ""},
                  "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": f"arn:aws:s3:::{dest}"}}
                 for i, dest in enumerate(destinations)]
        self.client("s3", region).put_bucket_replication(Bucket=source, ReplicationConfiguration={
            "Role": f"arn:aws:iam::{ACCOUNT}:role/s3-replication", "Rules": rules})

    def harden_bucket(self, s3, name, key_arn):
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}, "BucketKeyEnabled": True}]},
        )
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True,
                "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
            },
        )
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
        s3.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        )
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [{
            "ID": "expire-noncurrent", "Status": "Enabled", "Filter": {"Prefix": ""},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]})
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(TAGS)})

    def network(self, ec2, region, compliant, logs_bucket, azs=("a", "b")):
        """A VPC with subnets in two AZs (`azs`), a bastion security group and an app instance launched from a
        launch template. The compliant network adds public subnets with a NAT gateway per AZ, one private route
        table per AZ, a network ACL denying SSH/RDP from anywhere and scoped egress. Returns the ids the
        misconfigured scenario breaks further."""
        vpc = ec2.create_vpc(
            CidrBlock="10.0.0.0/16",
            TagSpecifications=[{"ResourceType": "vpc", "Tags": tag_list({**TAGS, "Name": "main"})}],
        )["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": compliant})
        if compliant:
            ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                                 LogDestinationType="s3", LogDestination=f"arn:aws:s3:::{logs_bucket}")
            self.close_default_security_group(ec2, vpc)
        subnets = []
        for i, (az, name) in enumerate(zip(azs, ("a", "b"))):
            subnet = ec2.create_subnet(
                VpcId=vpc, CidrBlock=f"10.0.{i + 1}.0/24", AvailabilityZone=f"{region}{az}",
                TagSpecifications=[{"ResourceType": "subnet", "Tags": tag_list({**TAGS, "Name": f"app-{name}"})}],
            )["Subnet"]["SubnetId"]
            # moto: the first subnet of an AZ becomes "default for AZ" and maps public IPs, whatever its VPC.
            ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": False})
            subnets.append(subnet)
        bastion_sg = ec2.create_security_group(
            GroupName="bastion", Description="ssh from the bastion subnet", VpcId=vpc,
            TagSpecifications=[{"ResourceType": "security-group", "Tags": tag_list(TAGS)}],
        )["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=bastion_sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}])
        if compliant:
            self.private_egress(ec2, vpc, subnets, region)
            # Outbound HTTPS only, instead of the all-traffic rule every new group gets.
            ec2.revoke_security_group_egress(GroupId=bastion_sg, IpPermissions=[
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            ec2.authorize_security_group_egress(GroupId=bastion_sg, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            self.deny_admin_ports(ec2, vpc)
        tokens = "required" if compliant else "optional"
        volume_type = "gp3" if compliant else "gp2"
        template = ec2.create_launch_template(
            LaunchTemplateName="app",
            LaunchTemplateData={
                "ImageId": self.image_id(ec2),
                "InstanceType": "t3.micro",
                "MetadataOptions": {"HttpTokens": tokens, "HttpEndpoint": "enabled"},
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                    "VolumeSize": 8, "Encrypted": compliant, "VolumeType": volume_type}}],
            },
            TagSpecifications=[{"ResourceType": "launch-template", "Tags": tag_list(TAGS)}],
        )["LaunchTemplate"]["LaunchTemplateId"]
        # moto: instances launched with NetworkInterfaces lose their groups; use SubnetId + SecurityGroupIds.
        extra = {}
        if compliant:
            # moto: the template's instance profile is not applied to the instance; name it at launch.
            extra = {"IamInstanceProfile": {"Name": "app"}, "Monitoring": {"Enabled": True}}
        instance = ec2.run_instances(
            LaunchTemplate={"LaunchTemplateId": template}, MinCount=1, MaxCount=1,
            SubnetId=subnets[1], SecurityGroupIds=[bastion_sg],
            # moto: without explicit mappings it adds an unencrypted /dev/sda1 root volume besides the template's.
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {
                "VolumeSize": 8, "Encrypted": compliant, "VolumeType": volume_type}}],
            MetadataOptions={"HttpTokens": tokens, "HttpEndpoint": "enabled"},
            TagSpecifications=[{"ResourceType": "instance", "Tags": tag_list({**TAGS, "Name": "app"})}],
            **extra,
        )["Instances"][0]["InstanceId"]
        # Tag what the instance launch created (its root volume) like everything else.
        volumes = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance]}])["Volumes"]
        if volumes:
            ec2.create_tags(Resources=[v["VolumeId"] for v in volumes], Tags=tag_list({**TAGS, "Name": "app-disk"}))
        return vpc, subnets, bastion_sg, template, instance

    def private_egress(self, ec2, vpc, private_subnets, region):
        """An internet gateway, a public subnet and NAT gateway per AZ, and one route table per private subnet
        sending its default route to the NAT gateway of its own AZ."""
        def tags(resource_type, name):
            return [{"ResourceType": resource_type, "Tags": tag_list({**TAGS, "Name": name})}]

        igw = ec2.create_internet_gateway(TagSpecifications=tags("internet-gateway", "main"))["InternetGateway"]
        ec2.attach_internet_gateway(InternetGatewayId=igw["InternetGatewayId"], VpcId=vpc)
        public_rt = ec2.create_route_table(VpcId=vpc, TagSpecifications=tags("route-table", "public"))
        public_rt = public_rt["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0",
                         GatewayId=igw["InternetGatewayId"])
        for i, (az, private) in enumerate(zip(("a", "b"), private_subnets)):
            public = ec2.create_subnet(
                VpcId=vpc, CidrBlock=f"10.0.{11 + i}.0/24", AvailabilityZone=f"{region}{az}",
                TagSpecifications=tags("subnet", f"public-{az}"))["Subnet"]["SubnetId"]
            ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public)
            eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
            nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip,
                                         TagSpecifications=tags("natgateway", f"nat-{az}"))["NatGateway"]
            rt = ec2.create_route_table(VpcId=vpc, TagSpecifications=tags("route-table", f"private-{az}"))
            rt = rt["RouteTable"]["RouteTableId"]
            ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat["NatGatewayId"])
            ec2.associate_route_table(RouteTableId=rt, SubnetId=private)

    def misconfigured(self):
        """Everything the catalogue warns about, spread over both regions."""
        self.complete_default_vpcs()
        iam = self.client("iam")
        iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=3)
        iam.create_policy(
            PolicyName="admin-everything",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        )
        iam.create_role(
            RoleName="deployer",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        )
        iam.put_role_policy(RoleName="deployer", PolicyName="star", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": "*"}]}))
        # A deprecated AWS managed policy (replaced by AmazonSSMManagedInstanceCore) on the deployer role.
        iam.attach_role_policy(RoleName="deployer",
                               PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM")
        iam.create_policy(
            PolicyName="ssm-everything",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["ssm:*", "ec2:Describe*"], "Resource": "*"}]}),
        )
        # A console user without MFA, with a (fresh) access key.
        iam.create_user(UserName="alice", Tags=tag_list(TAGS))
        iam.create_login_profile(UserName="alice", Password="Correct-Horse-Battery-9")
        iam.create_access_key(UserName="alice")
        # The recorder's role has hand-written permissions instead of AWS_ConfigRole.
        legacy_config_role = self.config_role("config-legacy", inline={"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["config:Put*", "s3:PutObject", "ec2:Describe*"], "Resource": "*"}]})

        # A key without rotation in the home region, a rotated one in the other.
        home_key = self.kms_key(HOME, "legacy", rotate=False, tags={"Project": "shop"})
        orders_key = self.kms_key(OTHER, "orders", rotate=True)
        # A key policy that lets every AWS account use the key.
        self.client("kms", OTHER).put_key_policy(KeyId=orders_key["KeyId"], PolicyName="default", Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                 "Action": "kms:*", "Resource": "*"},
                {"Sid": "Anyone", "Effect": "Allow", "Principal": {"AWS": "*"},
                 "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}))

        # us-east-1: a public website bucket; eu-west-1: an unencrypted, unversioned data bucket and logs.
        s3 = self.bucket("public-site", HOME)
        s3.put_bucket_policy(Bucket="public-site", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::public-site/*"}]}))
        s3.put_bucket_acl(Bucket="public-site", ACL="public-read")
        s3.put_bucket_versioning(Bucket="public-site", VersioningConfiguration={"Status": "Suspended"})
        s3 = self.bucket("trail-logs", HOME)
        s3.put_bucket_encryption(Bucket="trail-logs", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        s3.put_bucket_versioning(Bucket="trail-logs", VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket="trail-logs", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True})
        s3.put_bucket_tagging(Bucket="trail-logs", Tagging={"TagSet": tag_list(TAGS)})
        s3 = self.bucket("orders-data", OTHER)
        s3.put_bucket_encryption(Bucket="orders-data", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": home_key["Arn"]}}]})
        s3.put_bucket_tagging(Bucket="orders-data", Tagging={"TagSet": tag_list({"Environment": "prod"})})
        self.enable_logging(s3, "orders-data", "orders-data")
        # moto: accepts replication to a bucket that does not exist or is unversioned (AWS refuses both when the
        # rule is written; both happen later, when the destination is deleted or its versioning suspended).
        self.replicate("trail-logs", HOME, ["deleted-replica", "orders-data", "public-site"])

        for region in REGIONS:
            ec2 = self.client("ec2", region)
            # eu-west-1's subnets all sit in one AZ.
            vpc, subnets, bastion_sg, template, instance = self.network(
                ec2, region, compliant=False, logs_bucket="trail-logs", azs=("a", "b") if region == HOME else ("a", "a"))
            if region == HOME:
                # SSH from the whole VPC, not just the bastion subnet; RDP from anywhere.
                wide = ec2.create_security_group(GroupName="ops", Description="too open", VpcId=vpc)["GroupId"]
                ec2.authorize_security_group_ingress(GroupId=wide, IpPermissions=[
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]},
                    {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                ])
                # A public instance still allowing IMDSv1.
                public_subnet = ec2.create_subnet(
                    VpcId=vpc, CidrBlock="10.0.100.0/24", AvailabilityZone=f"{region}a",
                    TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "Name", "Value": "public"}]}],
                )["Subnet"]["SubnetId"]
                ec2.modify_subnet_attribute(SubnetId=public_subnet, MapPublicIpOnLaunch={"Value": True})
                # The public subnet routes to an internet gateway; its one NAT gateway (AZ a) is the default route
                # of the main table, which both private subnets (AZ a and b) use implicitly.
                igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
                ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
                public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
                ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
                ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public_subnet)
                nat = ec2.create_nat_gateway(SubnetId=public_subnet, AllocationId=ec2.allocate_address(
                    Domain="vpc")["AllocationId"], TagSpecifications=[{"ResourceType": "natgateway", "Tags": tag_list(
                        {**TAGS, "Name": "shared-nat"})}])["NatGateway"]["NatGatewayId"]
                main_rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {
                    "Name": "association.main", "Values": ["true"]}])["RouteTables"][0]["RouteTableId"]
                ec2.create_route(RouteTableId=main_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
                web = ec2.run_instances(
                    ImageId=self.image_id(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1,
                    SubnetId=public_subnet, SecurityGroupIds=[wide],
                    MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
                    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}],
                )["Instances"][0]["InstanceId"]
                for volume in ec2.describe_volumes(
                        Filters=[{"Name": "attachment.instance-id", "Values": [web]}])["Volumes"]:
                    ec2.create_tags(Resources=[volume["VolumeId"]], Tags=[{"Key": "Name", "Value": "web-disk"}])
                ec2.create_volume(AvailabilityZone=f"{region}a", Size=20, Encrypted=False,
                                  TagSpecifications=[{"ResourceType": "volume",
                                                      "Tags": [{"Key": "Name", "Value": "scratch"}]}])
                # A launch template nothing uses.
                ec2.create_launch_template(LaunchTemplateName="old-batch", LaunchTemplateData={
                    "ImageId": self.image_id(ec2), "MetadataOptions": {"HttpTokens": "required"}})
            else:
                ec2.enable_ebs_encryption_by_default()

        self.auto_scaling_group(HOME)

        # Config: stopped in us-east-1, missing in eu-west-1. CloudTrail: one single-region trail, no validation.
        self.recorder(HOME, "trail-logs", start=False, role_arn=legacy_config_role)
        self.trail("legacy", "trail-logs", multi_region=False, validation=False)
        iam.generate_credential_report()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("scenario", choices=["compliant", "misconfigured"])
    args = parser.parse_args()
    account = Account(args.endpoint)
    getattr(account, args.scenario)()
    # Each service family builds its own part of both accounts, after the core above (VPCs, buckets, keys exist).
    # Imported here: the parts import this module's helpers, which must be fully defined first.
    from parts import account as account_part, cloudwatch, elbv2, lambda_sns, rds, route53_cloudfront

    for part in (rds, elbv2, lambda_sns, cloudwatch, route53_cloudfront, account_part):
        getattr(part, args.scenario)(account)
    print(f"scenario {args.scenario} built")


if __name__ == "__main__":
    sys.exit(main())
