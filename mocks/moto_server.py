#!/usr/bin/env python3
"""awsaudit's moto launcher: moto in server mode behind a fault-injecting, request-logging WSGI middleware.

    python mocks/moto_server.py [--port 0] [--host 127.0.0.1] [--exit-on-stdin-close] [--verbose] [--warm]

Prints exactly one line to stdout, `MOTO_READY http://HOST:PORT`, once the server answers requests; everything
else goes to stderr. See mocks/README.md for the control API (/_awsaudit/faults, /_awsaudit/requests).

Use the interpreter of the venv made by mocks/setup.sh; the launcher refuses any other moto version than the
one pinned in mocks/requirements.txt, because the S3 patch below is written against that version.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.request
import uuid
from typing import Any
from urllib.parse import parse_qs, unquote

HERE = os.path.dirname(os.path.abspath(__file__))

# moto reads these when its modules are imported: set them first.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
os.environ["MOTO_AMIS_PATH"] = os.path.join(HERE, "amis.json")

SETUP_HINT = "run mocks/setup.sh and use $AWSAUDIT_VENV/bin/python (default ~/.cache/awsaudit/venv/bin/python)"


def die(msg: str, code: int = 3) -> None:
    print(f"awsaudit-moto: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def pinned_moto_version() -> str | None:
    try:
        with open(os.path.join(HERE, "requirements.txt"), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\s*moto(\[[^\]]*\])?\s*==\s*([^\s;#]+)", line)
                if m:
                    return m.group(2)
    except OSError:
        pass
    return None


try:
    import moto
    from moto.core import serialize as moto_serialize
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server
except ImportError as e:  # pragma: no cover - depends on the environment
    die(f"cannot import moto[server] with {sys.executable} ({e}): {SETUP_HINT}")

_pinned = pinned_moto_version()
if _pinned and moto.__version__ != _pinned:
    die(f"moto {moto.__version__} found at {sys.executable}, mocks/requirements.txt pins {_pinned}: {SETUP_HINT}")


# ---------------------------------------------------------------------------------------------------------------
# S3 XML roots (moto 5.2.x)
#
# moto serializes a few S3 outputs that have body members but no payload under `<{Operation}Response>`; real S3
# (and the Rust SDK, which checks the root element) uses the structure's XML name. moto's own model extras fix the
# others with a resultWrapper; these are the ones it misses. The rename only fires when the root is the wrong
# generic `<{Operation}Response>`, so a future moto that gets it right is left alone.
# ---------------------------------------------------------------------------------------------------------------
S3_ROOTS = {
    "GetBucketVersioning": "VersioningConfiguration",
    "GetBucketAccelerateConfiguration": "AccelerateConfiguration",
    "GetBucketNotificationConfiguration": "NotificationConfiguration",
    # moto answers GetBucketNotificationConfiguration on a bucket without configuration under the deprecated
    # operation's name.
    "GetBucketNotification": "NotificationConfiguration",
    "GetBucketRequestPayment": "RequestPaymentConfiguration",
    "GetBucketWebsite": "WebsiteConfiguration",
    "GetBucketLifecycle": "LifecycleConfiguration",
}


def _rename_root(body: Any, wrong: str, right: str) -> Any:
    is_bytes = isinstance(body, bytes)
    text = body.decode("utf-8") if is_bytes else body
    if not isinstance(text, str):
        return body
    new, n = re.subn(rf"^(\s*(?:<\?xml[^>]*\?>)?\s*)<{wrong}(?=[\s/>])", rf"\1<{right}", text, count=1)
    if not n:
        return body
    new = re.sub(rf"</{wrong}>(\s*)$", rf"</{right}>\1", new, count=1)
    return new.encode("utf-8") if is_bytes else new


def patch_s3_roots() -> None:
    cls = moto_serialize.S3Serializer
    original = cls.__dict__.get("_serialized_result_to_response")
    if original is None:
        die(f"moto {moto.__version__}: S3Serializer._serialized_result_to_response is gone; update the S3 root patch")

    def _serialized_result_to_response(self, resp, result, shape, serialized_result):  # type: ignore[no-untyped-def]
        resp = original(self, resp, result, shape, serialized_result)
        op = self.operation_model.name
        right = S3_ROOTS.get(op)
        if right and resp.get("body"):
            resp["body"] = _rename_root(resp["body"], f"{op}Response", right)
        return resp

    cls._serialized_result_to_response = _serialized_result_to_response


patch_s3_roots()


# ---------------------------------------------------------------------------------------------------------------
# EC2 DescribeSnapshots(OwnerIds=...) (moto 5.2.x ignores OwnerIds)
#
# moto auto-creates a snapshot for every AMI it loads (owned by the AMI's owner, here Amazon's 137112412989) and,
# ignoring OwnerIds, returns it from DescribeSnapshots(OwnerIds=["self"]) as if the account owned it. AWS only
# returns the snapshots of the listed owners; this makes moto do the same.
# ---------------------------------------------------------------------------------------------------------------
def patch_describe_snapshots_owners() -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    if getattr(ElasticBlockStore.describe_snapshots, "_awsaudit", False):
        return

    if "describe_snapshots" not in ElasticBlockStore.__dict__:
        die(f"moto {moto.__version__}: ElasticBlockStore.describe_snapshots is gone; update the snapshot patch")

    def describe_snapshots(self):  # type: ignore[no-untyped-def]
        filters = self._filters_from_querystring()
        snapshot_ids = self._get_param("SnapshotIds", [])
        owners = self._get_param("OwnerIds", [])
        snapshots = self.ec2_backend.describe_snapshots(snapshot_ids=snapshot_ids, filters=filters)
        if owners:
            wanted = {self.current_account if o == "self" else o for o in owners}
            snapshots = [s for s in snapshots
                         if s.owner_id in wanted or (getattr(s, "owner_alias", None) or "") in wanted]
        return ActionResult({"Snapshots": snapshots})

    describe_snapshots._awsaudit = True  # type: ignore[attr-defined]
    ElasticBlockStore.describe_snapshots = describe_snapshots


# ---------------------------------------------------------------------------------------------------------------
# moto creates the `alias/aws/ebs` key (the first time an encrypted volume needs it) as a customer-managed key.
# On AWS it is an AWS-managed key (`KeyManager=AWS`), which customers cannot rotate or tag; auditors rightly
# skip such keys. This makes moto report the key as AWS does.
# ---------------------------------------------------------------------------------------------------------------
def patch_ebs_default_key_manager() -> None:
    from moto.ec2.models.elastic_block_store import EBSBackend

    original = EBSBackend.__dict__.get("_create_default_encryption_key")
    if original is None:
        die(f"moto {moto.__version__}: EBSBackend._create_default_encryption_key is gone; update the key patch")
    if getattr(original, "_awsaudit", False):
        return

    def create_default_encryption_key(self):  # type: ignore[no-untyped-def]
        from moto.kms import kms_backends

        arn = original(self)
        kms_backends[self.account_id][self.region_name].describe_key("alias/aws/ebs").key_manager = "AWS"
        return arn

    create_default_encryption_key._awsaudit = True  # type: ignore[attr-defined]
    EBSBackend._create_default_encryption_key = create_default_encryption_key


# ---------------------------------------------------------------------------------------------------------------
# moto's account summary always says `AccountMFAEnabled: 0`: the root user's MFA is set in the console only, and
# moto has no way to represent it. Scenarios mark the root user as having MFA by creating the virtual MFA device
# the console creates for root (`root-account-mfa-device`); the summary then reports 1, as AWS does.
# ---------------------------------------------------------------------------------------------------------------
ROOT_MFA_DEVICE = ":mfa/root-account-mfa-device"


def patch_root_mfa() -> None:
    from moto.iam.models import AccountSummary

    original = AccountSummary.__dict__.get("summary_map")
    if not isinstance(original, property) or original.fget is None:
        die(f"moto {moto.__version__}: AccountSummary.summary_map is gone; update the root MFA patch")
    if getattr(original.fget, "_awsaudit", False):
        return
    getter = original.fget

    def summary_map(self):  # type: ignore[no-untyped-def]
        summary = getter(self)
        if any(serial.endswith(ROOT_MFA_DEVICE) for serial in self._iam_backend.virtual_mfa_devices):
            summary["AccountMFAEnabled"] = 1
        return summary

    summary_map._awsaudit = True  # type: ignore[attr-defined]
    AccountSummary.summary_map = property(summary_map)


# ---------------------------------------------------------------------------------------------------------------
# RDS Performance Insights (moto 5.2.x ignores EnablePerformanceInsights and PerformanceInsightsKMSKeyId)
#
# AWS reports `PerformanceInsightsEnabled` (and the key) on every DB instance; moto drops both, so an auditor
# cannot tell on from off. This keeps what CreateDBInstance was given, as AWS does.
# ---------------------------------------------------------------------------------------------------------------
def patch_rds_performance_insights() -> None:
    from moto.rds.models import RDSBackend

    original = RDSBackend.__dict__.get("create_db_instance")
    if original is None:
        die(f"moto {moto.__version__}: RDSBackend.create_db_instance is gone; update the Performance Insights patch")
    if getattr(original, "_awsaudit", False):
        return

    def create_db_instance(self, db_kwargs):  # type: ignore[no-untyped-def]
        database = original(self, db_kwargs)
        database.performance_insights_enabled = bool(db_kwargs.get("enable_performance_insights", False))
        database.performance_insights_kms_key_id = db_kwargs.get("performance_insights_kms_key_id")
        return database

    create_db_instance._awsaudit = True  # type: ignore[attr-defined]
    RDSBackend.create_db_instance = create_db_instance
# CloudFront origins (moto 5.2.x drops `S3OriginConfig` and `OriginAccessControlId` from every answer)
#
# moto reads both when a distribution is created but never returns them, so no distribution can show an origin
# access control or identity. AWS returns them in ListDistributions and GetDistributionConfig; this keeps them.
# ---------------------------------------------------------------------------------------------------------------
def patch_cloudfront_origin_access() -> None:
    from moto.cloudfront.models import Origin

    original = Origin.__dict__.get("__init__")
    if original is None:
        die(f"moto {moto.__version__}: cloudfront Origin.__init__ is gone; update the origin access patch")
    if getattr(original, "_awsaudit", False):
        return

    def __init__(self, origin):  # type: ignore[no-untyped-def]
        original(self, origin)
        if "S3OriginConfig" in origin:
            self.s3_origin_config = {"OriginAccessIdentity": origin["S3OriginConfig"].get("OriginAccessIdentity", "")}
        self.origin_access_control_id = origin.get("OriginAccessControlId", "")

    __init__._awsaudit = True  # type: ignore[attr-defined]
    Origin.__init__ = __init__


# Importing moto.ec2 takes about a second: patch when the EC2 app is built (under the dispatcher's lock, before
# it serves its first request) rather than at startup.
LAZY_PATCHES = {
    "ec2": [patch_describe_snapshots_owners, patch_ebs_default_key_manager],
    "iam": [patch_root_mfa],
    "rds": [patch_rds_performance_insights],
    "cloudfront": [patch_cloudfront_origin_access],
}


def create_app(service: Any) -> Any:
    app = create_backend_app(service)
    for patch in LAZY_PATCHES.get(service, []):
        patch()
    return app


# ---------------------------------------------------------------------------------------------------------------
# Request identification
# ---------------------------------------------------------------------------------------------------------------
CRED_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")

# S3 bucket subresources -> operation name stem (the method gives the Get/Put/Delete prefix).
S3_SUBRESOURCES = {
    "policy": "BucketPolicy",
    "policyStatus": "BucketPolicyStatus",
    "versioning": "BucketVersioning",
    "encryption": "BucketEncryption",
    "logging": "BucketLogging",
    "publicAccessBlock": "PublicAccessBlock",
    "acl": "BucketAcl",
    "ownershipControls": "BucketOwnershipControls",
    "lifecycle": "BucketLifecycleConfiguration",
    "replication": "BucketReplication",
    "tagging": "BucketTagging",
    "location": "BucketLocation",
    "cors": "BucketCors",
    "website": "BucketWebsite",
    "notification": "BucketNotificationConfiguration",
    "accelerate": "BucketAccelerateConfiguration",
    "requestPayment": "BucketRequestPayment",
    "object-lock": "ObjectLockConfiguration",
    "intelligent-tiering": "BucketIntelligentTieringConfiguration",
    "inventory": "BucketInventoryConfiguration",
    "metrics": "BucketMetricsConfiguration",
    "analytics": "BucketAnalyticsConfiguration",
}
S3_OBJECT_SUBRESOURCES = {"acl": "ObjectAcl", "tagging": "ObjectTagging", "retention": "ObjectRetention",
                          "legal-hold": "ObjectLegalHold", "attributes": "ObjectAttributes"}
METHOD_PREFIX = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}


def s3_operation(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> str:
    # The SDKs name some operations in the query (`?x-id=GetObject`, from the S3 model's URIs): trust it.
    x_id = query.get("x-id", [""])[0]
    if re.fullmatch(r"[A-Z][A-Za-z0-9]+", x_id):
        return x_id
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "ListBuckets" if method == "GET" else f"{method} /"
    bucket_only = len(parts) == 1
    keys = set(query)
    if bucket_only:
        for sub, stem in S3_SUBRESOURCES.items():
            if sub in keys:
                if method in METHOD_PREFIX:
                    if (sub, method) in (("lifecycle", "DELETE"),):
                        return "DeleteBucketLifecycle"
                    if sub in ("intelligent-tiering", "inventory", "metrics", "analytics") and method == "GET" \
                            and "id" not in keys:
                        return "List" + stem + "s"
                    return METHOD_PREFIX[method] + stem
                return f"{method} {stem}"
        if "uploads" in keys:
            return "ListMultipartUploads"
        if "versions" in keys:
            return "ListObjectVersions"
        if "delete" in keys and method == "POST":
            return "DeleteObjects"
        return {
            "GET": "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects",
            "PUT": "CreateBucket",
            "DELETE": "DeleteBucket",
            "HEAD": "HeadBucket",
        }.get(method, f"{method} /{{Bucket}}")
    for sub, stem in S3_OBJECT_SUBRESOURCES.items():
        if sub in keys and method in METHOD_PREFIX:
            return METHOD_PREFIX[method] + stem
    if "uploads" in keys and method == "POST":
        return "CreateMultipartUpload"
    if "uploadId" in keys:
        return {"POST": "CompleteMultipartUpload", "PUT": "UploadPart", "GET": "ListParts",
                "DELETE": "AbortMultipartUpload"}.get(method, f"{method} /{{Bucket}}/{{Key}}")
    if method == "PUT" and "x-amz-copy-source" in headers:
        return "CopyObject"
    return {"GET": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject", "HEAD": "HeadObject"}.get(
        method, f"{method} /{{Bucket}}/{{Key}}")


def s3control_operation(method: str, path: str) -> str:
    parts = [p for p in path.split("/") if p][1:]  # drop v20180820
    prefix = METHOD_PREFIX.get(method, method)
    if parts == ["configuration", "publicAccessBlock"]:
        return prefix + "PublicAccessBlock"
    if parts[:1] == ["accesspoint"]:
        if len(parts) == 1:
            return "ListAccessPoints" if method == "GET" else f"{method} {path}"
        if len(parts) == 2:
            return {"GET": "GetAccessPoint", "PUT": "CreateAccessPoint", "DELETE": "DeleteAccessPoint"}.get(
                method, f"{method} {path}")
        if parts[2] == "policy":
            return prefix + "AccessPointPolicy"
        if parts[2] == "policyStatus":
            return "GetAccessPointPolicyStatus"
    return f"{method} {path}"


def identify(environ: dict[str, Any]) -> dict[str, str]:
    """(service, region, operation, protocol) of one request. Reads a form body, and re-wraps wsgi.input."""
    method = environ.get("REQUEST_METHOD", "GET").upper()
    path = environ.get("PATH_INFO", "") or "/"
    if isinstance(path, bytes):
        path = path.decode("utf-8", "replace")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    service = region = akid = ""
    m = CRED_RE.search(environ.get("HTTP_AUTHORIZATION", "") or "")
    if not m and "X-Amz-Credential" in query:  # presigned URL
        m = CRED_RE.search("Credential=" + unquote(query["X-Amz-Credential"][0]))
    if m:
        akid, _, region, service = m.group(1), m.group(2), m.group(3), m.group(4).lower()

    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return dict(service=service, region=region, operation=target.rsplit(".", 1)[-1], protocol="json", akid=akid)

    action = query.get("Action", [None])[0]
    ctype = environ.get("CONTENT_TYPE", "") or ""
    if not action and method == "POST" and ctype.startswith("application/x-www-form-urlencoded"):
        body = _buffer_body(environ)
        action = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).get("Action", [None])[0]
    if action:
        return dict(service=service, region=region, operation=action,
                    protocol="ec2" if service == "ec2" else "query", akid=akid)

    if service == "s3":
        if path.startswith("/v20180820/"):
            return dict(service="s3control", region=region, operation=s3control_operation(method, path),
                        protocol="s3control", akid=akid)
        return dict(service="s3", region=region, operation=s3_operation(method, path, query, headers),
                    protocol="s3", akid=akid)
    return dict(service=service, region=region, operation=f"{method} {path}", protocol="rest-json", akid=akid)


def _params_digest(environ: dict[str, Any]) -> str:
    """A digest of the query string and (small) body: two requests with the same digest, path and operation
    asked the same question. Tests use it to assert that no request is made twice."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = _buffer_body(environ) if 0 < length <= 1 << 20 else b""
    query = (environ.get("QUERY_STRING") or "").encode()
    return hashlib.sha256(query + b"\0" + body).hexdigest()[:16]


def _buffer_body(environ: dict[str, Any]) -> bytes:
    """Reads the whole request body and puts an equivalent stream back for moto."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0:
        body = stream.read(length)
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _drain_body(environ: dict[str, Any]) -> None:
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    try:
        left = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        left = 0
    try:
        if left > 0:
            while left > 0:
                chunk = stream.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
        elif environ.get("wsgi.input_terminated"):
            while stream.read(1 << 16):
                pass
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------------------------
# Injected errors, shaped like each protocol's real error so the SDKs parse the code
# ---------------------------------------------------------------------------------------------------------------
KNOWN_ERRORS = {
    # protocol: {error: (status, code)}
    "ec2": {"AccessDenied": (403, "UnauthorizedOperation"), "Throttling": (503, "RequestLimitExceeded")},
    "query": {"AccessDenied": (403, "AccessDenied"), "Throttling": (400, "Throttling")},
    "json": {"AccessDenied": (400, "AccessDeniedException"), "Throttling": (400, "ThrottlingException")},
    "rest-json": {"AccessDenied": (403, "AccessDeniedException"), "Throttling": (429, "ThrottlingException")},
    "s3": {"AccessDenied": (403, "AccessDenied"), "Throttling": (503, "SlowDown")},
    "s3control": {"AccessDenied": (403, "AccessDenied"), "Throttling": (503, "SlowDown")},
}
MESSAGES = {
    "AccessDenied": "Access Denied",
    "UnauthorizedOperation": "You are not authorized to perform this operation.",
    "AccessDeniedException": "User is not authorized to perform this operation (injected by awsaudit)",
    "Throttling": "Rate exceeded",
    "ThrottlingException": "Rate exceeded",
    "RequestLimitExceeded": "Request limit exceeded.",
    "SlowDown": "Please reduce your request rate.",
}


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_response(ident: dict[str, str], rule: dict[str, Any], method: str) -> tuple[int, list[tuple[str, str]], bytes]:
    proto = ident["protocol"]
    err = rule["error"]
    status, code = KNOWN_ERRORS[proto].get(err, (int(rule.get("status") or 400), err))
    if rule.get("status") is not None:
        status = int(rule["status"])
    msg = _xml_escape(str(rule.get("message") or MESSAGES.get(code, f"{code} (injected by awsaudit)")))
    rid = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", rid), ("x-amz-request-id", rid)]
    if proto == "ec2":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>"
                f"<Message>{msg}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>")
        ctype = "text/xml;charset=UTF-8"
    elif proto == "query":
        body = (f"<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                f"<Code>{code}</Code><Message>{msg}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>")
        ctype = "text/xml"
    elif proto in ("json", "rest-json"):
        body = json.dumps({"__type": code, "message": rule.get("message") or MESSAGES.get(code, code)})
        ctype = "application/x-amz-json-1.1" if proto == "json" else "application/json"
        headers.append(("x-amzn-ErrorType", code))
    elif proto == "s3control":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Type>Sender</Type>"
                f"<Code>{code}</Code><Message>{msg}</Message></Error><RequestId>{rid}</RequestId>"
                f"<HostId>awsaudit-fault</HostId></ErrorResponse>")
        ctype = "application/xml"
    else:  # s3
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{msg}</Message>"
                f"<RequestId>{rid}</RequestId><HostId>awsaudit-fault</HostId></Error>")
        ctype = "application/xml"
    data = b"" if method == "HEAD" else body.encode("utf-8")
    headers += [("Content-Type", ctype), ("Content-Length", str(len(data)))]
    return status, headers, data


# ---------------------------------------------------------------------------------------------------------------
# Middleware
# ---------------------------------------------------------------------------------------------------------------
RULE_KEYS = {"service", "operation", "error", "times", "region", "delay_ms", "status", "message"}
STATUS_TEXT = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
               429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class BadRules(ValueError):
    pass


def validate_rules(rules: Any) -> list[dict[str, Any]]:
    if not isinstance(rules, list):
        raise BadRules("body must be a JSON list of rules")
    out = []
    for i, r in enumerate(rules):
        if not isinstance(r, dict):
            raise BadRules(f"rule {i} is not an object")
        unknown = set(r) - RULE_KEYS
        if unknown:
            raise BadRules(f"rule {i}: unknown keys {sorted(unknown)} (known: {sorted(RULE_KEYS)})")
        rule = {"service": r.get("service"), "operation": r.get("operation"), "error": r.get("error"),
                "times": r.get("times"), "region": r.get("region"), "delay_ms": r.get("delay_ms") or 0,
                "status": r.get("status"), "message": r.get("message")}
        for k in ("service", "operation", "error", "region", "message"):
            if rule[k] is not None and not isinstance(rule[k], str):
                raise BadRules(f"rule {i}: {k} must be a string or null")
        for k in ("times", "status"):
            if rule[k] is not None and (not isinstance(rule[k], int) or isinstance(rule[k], bool) or rule[k] < 0):
                raise BadRules(f"rule {i}: {k} must be a non-negative integer or null")
        if not isinstance(rule["delay_ms"], (int, float)) or rule["delay_ms"] < 0:
            raise BadRules(f"rule {i}: delay_ms must be a non-negative number")
        if rule["error"] is None and not rule["delay_ms"]:
            raise BadRules(f"rule {i}: needs an error or a delay_ms")
        rule["hits"] = 0
        out.append(rule)
    return out


def _matches(rule: dict[str, Any], ident: dict[str, str]) -> bool:
    for key in ("service", "operation", "region"):
        want = rule[key]
        if want in (None, "*"):
            continue
        if want.lower() != ident[key].lower():
            return False
    return True


class AwsauditMiddleware:
    def __init__(self, app: Any, verbose: bool = False):
        self.app = app
        self.verbose = verbose
        self.lock = threading.Lock()
        self.rules: list[dict[str, Any]] = []
        self.counts: dict[str, dict[str, int]] = {}
        self.log: list[dict[str, Any]] = []

    # -- control API -------------------------------------------------------------------------------------------
    def _json(self, start_response: Any, status: int, obj: Any) -> list[bytes]:
        data = json.dumps(obj).encode("utf-8")
        start_response(f"{status} {STATUS_TEXT.get(status, '')}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def control(self, environ: dict[str, Any], start_response: Any, path: str) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path.rstrip("/") == "/_awsaudit/faults":
            if method == "GET":
                with self.lock:
                    return self._json(start_response, 200, {"rules": [dict(r) for r in self.rules],
                                                            "counts": {k: dict(v) for k, v in self.counts.items()}})
            if method == "POST":
                try:
                    rules = validate_rules(json.loads(_buffer_body(environ) or b"null"))
                except (ValueError, BadRules) as e:
                    return self._json(start_response, 400, {"error": str(e)})
                with self.lock:
                    self.rules, self.counts = rules, {}
                return self._json(start_response, 200, {"rules": len(rules)})
            if method == "DELETE":
                with self.lock:
                    self.rules, self.counts = [], {}
                return self._json(start_response, 200, {"rules": 0})
        elif path.rstrip("/") == "/_awsaudit/requests":
            if method == "GET":
                with self.lock:
                    return self._json(start_response, 200, list(self.log))
            if method == "DELETE":
                with self.lock:
                    self.log = []
                return self._json(start_response, 200, {"requests": 0})
        elif path.rstrip("/") == "/_awsaudit/health":
            return self._json(start_response, 200, {"moto": moto.__version__})
        return self._json(start_response, 404 if method in ("GET", "POST", "DELETE") else 405,
                          {"error": f"no such control endpoint: {method} {path}"})

    # -- WSGI --------------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "") or ""
        if path.startswith("/_awsaudit/"):
            return self.control(environ, start_response, path)
        if path.startswith("/moto-api") or path == "/favicon.ico":
            return self.app(environ, start_response)

        try:
            ident = identify(environ)
        except Exception as e:  # never let bookkeeping break a request
            print(f"awsaudit-moto: cannot identify request: {e!r}", file=sys.stderr, flush=True)
            return self.app(environ, start_response)

        key = f"{ident['service']}:{ident['operation']}"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        entry = {"service": ident["service"], "region": ident["region"], "operation": ident["operation"],
                 "method": method, "path": path, "akid": ident["akid"], "status": None, "fault": False,
                 "account": environ.get("HTTP_X_MOTO_ACCOUNT_ID"), "params": _params_digest(environ)}
        rule = None
        with self.lock:
            c = self.counts.setdefault(key, {"requests": 0, "faults": 0})
            c["requests"] += 1
            for r in self.rules:
                if _matches(r, ident) and (r["times"] is None or r["hits"] < r["times"]):
                    r["hits"] += 1
                    rule = dict(r)
                    if r["error"] is not None:
                        c["faults"] += 1
                        entry["fault"] = True
                    break
            self.log.append(entry)

        if rule and rule["delay_ms"]:
            time.sleep(rule["delay_ms"] / 1000.0)
        if rule and rule["error"] is not None:
            # Read the unread request body first: closing a socket with unread input makes the kernel send a
            # reset, which can destroy the error response before the client reads it.
            _drain_body(environ)
            status, headers, data = error_response(ident, rule, method)
            entry["status"] = status
            if self.verbose:
                print(f"awsaudit-moto: injected {status} {rule['error']} into {key} ({ident['region']})",
                      file=sys.stderr, flush=True)
            start_response(f"{status} {STATUS_TEXT.get(status, 'Error')}", headers)
            return [data]

        def _start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            try:
                entry["status"] = int(status.split()[0])
            except (ValueError, IndexError):
                pass
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            return self.app(environ, _start_response)
        except Exception:
            # An unimplemented operation raises through here; werkzeug answers it with a 500.
            entry["status"] = 500
            raise


# ---------------------------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------------------------
WARM_SERVICES = ["s3", "ec2", "iam", "sts", "kms", "cloudtrail", "config", "autoscaling"]


def warm(dispatcher: DomainDispatcherApplication) -> None:
    """Imports the backends awsaudit uses and builds their apps, so the first real request doesn't pay for it."""
    for service in WARM_SERVICES:
        environ = {"PATH_INFO": "/", "REQUEST_METHOD": "GET", "HTTP_HOST": "127.0.0.1",
                   "HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential=AKIAWARMUP/20260101/us-east-1/{service}/"
                                         "aws4_request, SignedHeaders=host, Signature=0"}
        try:
            dispatcher.get_application(environ)
        except Exception as e:
            print(f"awsaudit-moto: warm-up of {service} failed: {e!r}", file=sys.stderr, flush=True)
    try:
        dispatcher.get_application({"PATH_INFO": "/v20180820/configuration/publicAccessBlock", "REQUEST_METHOD": "GET",
                                    "HTTP_HOST": "127.0.0.1",
                                    "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=AKIAWARMUP/20260101/us-east-1/"
                                                          "s3/aws4_request, SignedHeaders=host, Signature=0"})
    except Exception as e:
        print(f"awsaudit-moto: warm-up of s3control failed: {e!r}", file=sys.stderr, flush=True)


class QuietHandler(MotoRequestHandler):
    verbose = False

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        if self.verbose:
            super().log_request(code, size)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    ap.add_argument("--exit-on-stdin-close", action="store_true",
                    help="exit when standard input reaches end of file (the parent died or closed it)")
    ap.add_argument("--verbose", action="store_true", help="log every request and injected fault to stderr")
    ap.add_argument("--warm", action="store_true",
                    help="after the ready line, pre-load the backends awsaudit uses in the background (about 2 s of "
                         "CPU; it only moves the cost, so use it when the first requests' latency matters)")
    ap.add_argument("--self-check", action="store_true",
                    help="apply every moto patch (including the lazy ones), print the moto version and exit")
    args = ap.parse_args()

    if args.self_check:
        for patches in LAZY_PATCHES.values():
            for patch in patches:
                patch()
        print(f"moto {moto.__version__}: launcher patches apply")
        return

    dispatcher = DomainDispatcherApplication(create_app)
    app = AwsauditMiddleware(dispatcher, verbose=args.verbose)
    QuietHandler.verbose = args.verbose
    try:
        server = make_server(args.host, args.port, app, threaded=True, request_handler=QuietHandler)
    except OSError as e:
        die(f"cannot listen on {args.host}:{args.port}: {e}", 4)
    server.daemon_threads = True
    port = server.socket.getsockname()[1]
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (SQS queue URLs...) from it
    url = f"http://{args.host}:{port}"

    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, on_signal)

    serve = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                             name="moto-serve")
    serve.start()

    # Ready means it answers: ask it once over the socket, the way a client would.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an http_proxy
    deadline = time.monotonic() + 30
    while True:
        try:
            with opener.open(f"{url}/_awsaudit/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            die("server did not answer its health check within 30 s", 5)
        time.sleep(0.02)

    if args.warm:
        threading.Thread(target=warm, args=(dispatcher,), daemon=True, name="moto-warm").start()

    sys.stdout.write(f"MOTO_READY {url}\n")
    sys.stdout.flush()
    # Nobody reads stdout after the ready line: keep moto's stray prints from filling a pipe.
    sys.stdout = sys.stderr

    if args.exit_on_stdin_close:
        def watch_stdin() -> None:
            try:
                while sys.stdin.buffer.read1(65536) if hasattr(sys.stdin.buffer, "read1") else sys.stdin.read(1):
                    pass
            except Exception:
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True, name="stdin-watch").start()

    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    sys.stderr.flush()
    os._exit(0)  # don't wait for in-flight request threads or the warm-up


if __name__ == "__main__":
    main()
