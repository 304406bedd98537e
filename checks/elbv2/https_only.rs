use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags Application Load Balancers with a plain-HTTP listener that does not redirect every request to
    /// HTTPS: the listener's default action must be a redirect to `HTTPS`, and none of its other rules may
    /// forward (or redirect to anything but HTTPS). Rules that answer with a fixed response are fine: they
    /// carry no application data. Load balancers without HTTP listeners pass; Network and Gateway Load
    /// Balancers get no finding.
    ///
    /// ## Why is this bad?
    /// Requests served over plain HTTP travel unencrypted: credentials, session cookies and personal data can be
    /// read and altered by anyone on the path. A redirect keeps old `http://` links working while every byte of
    /// application traffic goes over TLS.
    ///
    /// ## Remediation
    /// Add an HTTPS listener, then make the HTTP listener redirect:
    /// ```sh
    /// aws elbv2 modify-listener --listener-arn HTTP_LISTENER_ARN --default-actions \
    ///   'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'
    /// ```
    /// and delete (or turn into redirects) the HTTP listener's forwarding rules. CDK: `alb.addRedirect()`
    /// (HTTP 80 to HTTPS 443); CloudFormation: `AWS::ElasticLoadBalancingV2::Listener` on port 80 with
    /// `DefaultActions: [{ Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode:
    /// HTTP_301 } }]`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1
    pub Elbv2HttpsOnly {
        id: "elbv2_https_only",
        title: "Application Load Balancers redirect plain HTTP to HTTPS",
        severity: Severity::Medium,
        service: "elbv2",
        kinds: &[ResourceKind::Elbv2LoadBalancer],
        scope: CheckScope::Resource,
        compliance: &[fsbp("ELB.1")],
    }
}

/// What a listener or rule does instead of redirecting to HTTPS, if anything.
fn leak(actions: &[LbAction]) -> Option<String> {
    if actions.iter().any(LbAction::redirects_to_https) || actions.iter().any(|a| a.action_type == "fixed-response") {
        return None;
    }
    Some(match actions.iter().find(|a| a.action_type == "redirect") {
        Some(redirect) => {
            format!("redirects to {}", redirect.redirect_protocol.as_deref().unwrap_or("the same protocol"))
        }
        None => match actions.iter().map(|a| a.action_type.as_str()).rfind(|t| !t.is_empty()) {
            Some(kind) => format!("ends in a {kind} action"),
            None => "has no action".to_string(),
        },
    })
}

fn judge(lb: &LoadBalancer) -> Verdict {
    let listeners = match lb.listeners.known() {
        Ok(listeners) => listeners.map(Vec::as_slice).unwrap_or_default(),
        Err(reason) => return Verdict::Unknown(reason.clone()),
    };
    let mut problems = Vec::new();
    let mut unknown = None;
    let http: Vec<&LbListener> = listeners.iter().filter(|l| l.protocol.as_deref() == Some("HTTP")).collect();
    for listener in &http {
        let port = listener.port.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
        // The default action must redirect: a fixed response there still answers over HTTP.
        if !listener.default_actions.iter().any(LbAction::redirects_to_https) {
            let what = leak(&listener.default_actions)
                .unwrap_or_else(|| "answers with a fixed response instead of redirecting".into());
            problems.push(format!("HTTP:{port} default action {what}"));
        }
        match listener.rules.known() {
            Ok(rules) => {
                for rule in rules.into_iter().flatten().filter(|r| !r.is_default) {
                    if let Some(what) = leak(&rule.actions) {
                        let priority = rule.priority.as_deref().unwrap_or("?");
                        problems.push(format!("HTTP:{port} rule {priority} {what}"));
                    }
                }
            }
            Err(reason) => unknown = unknown.or(Some(reason.clone())),
        }
    }
    // A known leak is a failure whatever else could not be read.
    if !problems.is_empty() {
        return Verdict::Fail(format!("plain HTTP is served: {}", problems.join("; ")));
    }
    if let Some(reason) = unknown {
        return Verdict::Unknown(reason);
    }
    Verdict::Pass(match http.len() {
        0 => "no plain-HTTP listener".into(),
        n => format!("{n} HTTP listener(s), all redirecting to HTTPS"),
    })
}

impl Check for Elbv2HttpsOnly {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, lb) in cx.inventory.iter::<LoadBalancer>() {
            if lb.is_application() {
                out.verdict(resource, judge(lb));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn act(kind: &str, protocol: Option<&str>) -> LbAction {
        LbAction { action_type: kind.into(), redirect_protocol: protocol.map(String::from), ..Default::default() }
    }

    fn listener(protocol: &str, port: i32, default: LbAction, rules: Field<Vec<LbRule>>) -> LbListener {
        LbListener {
            arn: format!("listener-{port}"),
            port: Some(port),
            protocol: Some(protocol.into()),
            default_actions: vec![default],
            rules,
            ..Default::default()
        }
    }

    fn rule(priority: &str, action: LbAction) -> LbRule {
        LbRule { priority: Some(priority.into()), actions: vec![action], ..Default::default() }
    }

    fn alb(listeners: Field<Vec<LbListener>>) -> LoadBalancer {
        LoadBalancer { lb_type: Some("application".into()), listeners, ..Default::default() }
    }

    fn redirect() -> LbAction {
        act("redirect", Some("HTTPS"))
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        let https = listener("HTTPS", 443, act("forward", None), Field::Absent);
        let good = vec![
            listener("HTTP", 80, redirect(), Field::Known(vec![rule("5", act("fixed-response", None))])),
            https.clone(),
        ];
        inv.resources.push(resource("redirecting", alb(Field::Known(good))));
        inv.resources.push(resource("tls-only", alb(Field::Known(vec![https]))));
        inv.resources.push(resource(
            "forwarding",
            alb(Field::Known(vec![listener("HTTP", 80, act("forward", None), Field::Known(vec![]))])),
        ));
        let leaky_rule = listener("HTTP", 8080, redirect(), Field::Known(vec![rule("10", act("forward", None))]));
        inv.resources.push(resource("leaky-rule", alb(Field::Known(vec![leaky_rule]))));
        let to_http = listener("HTTP", 80, act("redirect", Some("#{protocol}")), Field::Known(vec![]));
        inv.resources.push(resource("same-protocol", alb(Field::Known(vec![to_http]))));
        inv.resources.push(resource("denied", alb(Field::Unknown(denied("elbv2:DescribeListeners")))));
        let rules_denied = listener("HTTP", 80, redirect(), Field::Unknown(denied("elbv2:DescribeRules")));
        inv.resources.push(resource("rules-denied", alb(Field::Known(vec![rules_denied]))));
        // Known leak wins over rules that could not be read.
        let both = listener("HTTP", 80, act("forward", None), Field::Unknown(denied("elbv2:DescribeRules")));
        inv.resources.push(resource("leak-and-unknown", alb(Field::Known(vec![both]))));
        let nlb = LoadBalancer { lb_type: Some("network".into()), ..alb(Field::Known(vec![])) };
        inv.resources.push(resource("nlb", nlb));
        let findings = run(&Elbv2HttpsOnly, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("forwarding".into(), Status::Fail),
                ("leak-and-unknown".into(), Status::Fail),
                ("leaky-rule".into(), Status::Fail),
                ("redirecting".into(), Status::Pass),
                ("rules-denied".into(), Status::Unknown),
                ("same-protocol".into(), Status::Fail),
                ("tls-only".into(), Status::Pass),
            ]
        );
        let message =
            |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default();
        assert_eq!(message("forwarding"), "plain HTTP is served: HTTP:80 default action ends in a forward action");
        assert_eq!(message("leaky-rule"), "plain HTTP is served: HTTP:8080 rule 10 ends in a forward action");
        assert_eq!(message("same-protocol"), "plain HTTP is served: HTTP:80 default action redirects to #{protocol}");
        assert_eq!(message("tls-only"), "no plain-HTTP listener");
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Elbv2LoadBalancer, REGION, denied("elbv2:DescribeLoadBalancers"));
        let findings = run(&Elbv2HttpsOnly, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
