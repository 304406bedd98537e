"""elbv2 resources for the reference accounts (see mocks/scenarios.py): load balancers, target groups, and the
Auto Scaling groups behind them. Everything lives in the home region; eu-west-1 has no load balancer."""

from scenarios import HOME, TAGS, tag_list


def _network(account):
    """The `main` VPC and its `app-a`/`app-b` subnets that the core scenario built in the home region."""
    ec2 = account.client("ec2", HOME)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["main"]}])["Vpcs"][0]["VpcId"]
    subnets = {
        next(t["Value"] for t in s["Tags"] if t["Key"] == "Name"): s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                               {"Name": "tag:Name", "Values": ["app-a", "app-b"]}])["Subnets"]
    }
    return ec2, vpc, subnets


def _security_group(ec2, vpc, name, tags):
    args = dict(GroupName=name, Description=f"{name} load balancer", VpcId=vpc)
    if tags:
        args["TagSpecifications"] = [{"ResourceType": "security-group", "Tags": tag_list(tags)}]
    group = ec2.create_security_group(**args)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        for port in (80, 443)])
    return group


def _attributes(elb, arn, **values):
    # moto: a new load balancer reports neither `access_logs.s3.enabled` nor
    # `routing.http.drop_invalid_header_fields.enabled` (AWS reports both, `false`): set them explicitly.
    elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
        {"Key": key, "Value": value} for key, value in values.items()])


def _target_group(elb, vpc, name, protocol, port, tags):
    args = dict(Name=name, Protocol=protocol, Port=port, VpcId=vpc, TargetType="instance")
    if tags:
        args["Tags"] = tag_list(tags)
    return elb.create_target_group(**args)["TargetGroups"][0]["TargetGroupArn"]


def compliant(account):
    ec2, vpc, subnets = _network(account)
    elb = account.client("elbv2", HOME)
    group = _security_group(ec2, vpc, "web-lb", TAGS)
    # The load balancer only talks to its targets inside the VPC: no all-traffic egress to the internet.
    ec2.revoke_security_group_egress(GroupId=group, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_egress(GroupId=group, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
    alb = elb.create_load_balancer(Name="web", Type="application", Scheme="internet-facing",
                                   Subnets=[subnets["app-a"], subnets["app-b"]], SecurityGroups=[group],
                                   Tags=tag_list(TAGS))["LoadBalancers"][0]["LoadBalancerArn"]
    _attributes(elb, alb, **{
        "routing.http.drop_invalid_header_fields.enabled": "true",
        "deletion_protection.enabled": "true",
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": f"compliant-logs-{HOME}",
        "access_logs.s3.prefix": "web",
    })
    target_group = _target_group(elb, vpc, "web", "HTTP", 80, TAGS)
    certificate = account.client("acm", HOME).request_certificate(
        DomainName="shop.example.com", ValidationMethod="DNS")["CertificateArn"]
    elb.create_listener(LoadBalancerArn=alb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": certificate}],
                        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}])
    elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80, DefaultActions=[{
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
    # The app group (built by the core scenario) serves behind the ALB and trusts its health checks.
    asg = account.client("autoscaling", HOME)
    asg.attach_load_balancer_target_groups(AutoScalingGroupName="app", TargetGroupARNs=[target_group])
    asg.update_auto_scaling_group(AutoScalingGroupName="app", HealthCheckType="ELB", HealthCheckGracePeriod=300)


def misconfigured(account):
    ec2, vpc, subnets = _network(account)
    elb = account.client("elbv2", HOME)
    # An ALB forwarding plain HTTP, keeping invalid headers, without logs or deletion protection.
    group = _security_group(ec2, vpc, "legacy-lb", None)
    alb = elb.create_load_balancer(Name="legacy-web", Type="application", Scheme="internet-facing",
                                   Subnets=[subnets["app-a"], subnets["app-b"]],
                                   SecurityGroups=[group])["LoadBalancers"][0]["LoadBalancerArn"]
    _attributes(elb, alb, **{
        "routing.http.drop_invalid_header_fields.enabled": "false",
        "access_logs.s3.enabled": "false",
    })
    legacy = _target_group(elb, vpc, "legacy", "HTTP", 80, None)
    elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": legacy}])
    # An internal NLB in a single zone.
    nlb = elb.create_load_balancer(Name="internal-nlb", Type="network", Scheme="internal",
                                   Subnets=[subnets["app-a"]])["LoadBalancers"][0]["LoadBalancerArn"]
    backend = _target_group(elb, vpc, "tcp-backend", "TCP", 5432, None)
    elb.create_listener(LoadBalancerArn=nlb, Protocol="TCP", Port=5432,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": backend}])
    # The app group (launch configuration, core scenario) sits behind the ALB with EC2 health checks only,
    # and a batch group is confined to one zone.
    asg = account.client("autoscaling", HOME)
    asg.attach_load_balancer_target_groups(AutoScalingGroupName="app", TargetGroupARNs=[legacy])
    asg.create_auto_scaling_group(
        AutoScalingGroupName="batch", MinSize=0, MaxSize=1, DesiredCapacity=0, VPCZoneIdentifier=subnets["app-a"],
        LaunchTemplate={"LaunchTemplateName": "app", "Version": "$Latest"},
        Tags=[{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in TAGS.items()])
