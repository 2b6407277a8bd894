"""Provider secret formats as data: one row per token shape, read by analysis/secrets.py.

Rows are (kind, pattern, confidence). A pattern starting with ``\\b`` must not
follow a word character (checked outside the regex so a literal prefix keeps
the scan fast); a group named ``secret``, when present, is the secret, else the whole match.
Confidence >= 0.6 makes BE008 report it; lower rows (weak shapes) only feed
redaction, which hides every match. Shapes are written from the providers'
published token formats; every row starts with a literal or a bounded class so
a scan stays linear.
"""

from __future__ import annotations

_B64 = "A-Za-z0-9+/"
_URLSAFE = "A-Za-z0-9_-"

FORMATS: tuple[tuple[str, str, float], ...] = (
    # Cloud providers
    ("aws-access-key-id", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b", 0.95),
    (
        "aws-secret-access-key",
        r"(?i)aws_?secret(?:_?access)?_?key[\"']?\s*(?:=|:|=>)\s*[\"']?"
        r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
        0.95,
    ),
    (
        "aws-session-token",
        rf"\b(?:FwoGZXIvYXdz|IQoJb3JpZ2lu|IQoJb3Jp)[{_B64}]{{80,}}={{0,2}}",
        0.95,
    ),
    ("aws-appsync-key", r"\bda2-[a-z0-9]{26}\b", 0.9),
    ("alibaba-access-key-id", r"\bLTAI[A-Za-z0-9]{12,24}\b", 0.9),
    ("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", 0.95),
    ("google-oauth-secret", r"\bGOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])", 0.95),
    ("google-oauth-token", r"\bya29\.[A-Za-z0-9_-]{30,}", 0.9),
    ("azure-ad-client-secret", r"(?<![\w~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}\b", 0.8),
    ("azure-storage-key", rf"(?i)AccountKey=(?P<secret>[{_B64}]{{80,}}={{0,2}})", 0.95),
    ("digitalocean-token", r"\bdo[opr]_v1_[a-f0-9]{64}\b", 0.99),
    ("heroku-api-key", r"\bHRKU-[A-Za-z0-9_-]{30,}", 0.95),
    ("databricks-token", r"\bdapi[a-f0-9]{32}(?:-\d)?\b", 0.9),
    ("vault-token", r"\bhv[sbr]\.[A-Za-z0-9_-]{24,}", 0.95),
    ("terraform-cloud-token", r"\b[a-zA-Z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}", 0.99),
    ("pulumi-token", r"\bpul-[a-f0-9]{40}\b", 0.99),
    ("planetscale-token", r"\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,}", 0.99),
    ("supabase-token", r"\bsbp_[a-f0-9]{40}\b", 0.99),
    ("netlify-token", r"\bnfp_[A-Za-z0-9]{36,}\b", 0.95),
    ("fly-token", r"\bFlyV1 fm\d_[A-Za-z0-9+/=_-]{40,}", 0.99),
    ("doppler-token", r"\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}", 0.99),
    (
        "tailscale-key",
        r"\btskey-(?:auth|api|client|scim|webhook)?-?[A-Za-z0-9]{8,}-[A-Za-z0-9]{16,}",
        0.95,
    ),
    ("cloudflare-token", r"\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b", 0.95),
    ("yandex-token", r"\b(?:AQVN|YC)[A-Za-z0-9_-]{35,}", 0.7),
    ("p8e-key", r"\bp8e-[A-Za-z0-9_-]{24,}", 0.9),
    ("k2-secret-key", r"\bk2sk_[A-Za-z0-9_-]{20,}", 0.9),
    # Source hosting and packages
    ("github-token", r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b", 0.99),
    ("github-token", r"\bgithub_pat_[A-Za-z0-9_]{50,}\b", 0.99),
    (
        "gitlab-token",
        r"\bgl(?:pat|dt|rt|ptt|soat|oas|ft|imt|agent|cbt|ffct)-[A-Za-z0-9_-]{20,}",
        0.99,
    ),
    ("gitlab-runner-token", r"\bGR1348941[A-Za-z0-9_-]{20,}", 0.99),
    ("bitbucket-token", r"\bATBB[A-Za-z0-9_=.-]{28,}", 0.95),
    ("atlassian-token", r"\bATATT3[A-Za-z0-9_=.-]{100,}", 0.99),
    ("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b", 0.99),
    ("pypi-token", r"\bpypi-AgE[A-Za-z0-9_-]{50,}", 0.99),
    ("rubygems-token", r"\brubygems_[a-f0-9]{48}\b", 0.99),
    ("nuget-key", r"\boy2[a-z0-9]{43}\b", 0.85),
    ("docker-hub-token", r"\bdckr_pat_[A-Za-z0-9_-]{27,}", 0.99),
    ("jfrog-token", r"\bAKCp[A-Za-z0-9]{69,}", 0.9),
    ("clojars-token", r"\bCLOJARS_[a-z0-9]{60}\b", 0.99),
    ("sourcegraph-token", r"\bsgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}\b", 0.99),
    ("buildkite-token", r"\bbkua_[a-f0-9]{40}\b", 0.99),
    ("postman-key", r"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b", 0.99),
    ("linear-key", r"\blin_api_[A-Za-z0-9]{40}\b", 0.99),
    ("figma-token", r"\bfig[dpu]_[A-Za-z0-9_-]{40,}", 0.95),
    ("grafana-token", r"\bgl(?:c|sa)_[A-Za-z0-9_+/=-]{32,}", 0.95),
    ("sentry-token", r"\bsntr[ysu]_[A-Za-z0-9_+/=.-]{40,}", 0.95),
    ("new-relic-key", r"\bNR(?:AK|II|JS|AA)-[A-Z0-9]{20,32}\b", 0.95),
    ("contentful-token", r"\bCFPAT-[A-Za-z0-9_-]{43}", 0.99),
    ("prefect-key", r"\bpnu_[A-Za-z0-9]{36}\b", 0.99),
    ("readme-key", r"\brdme_[a-z0-9]{70}\b", 0.99),
    ("dynatrace-token", r"\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b", 0.99),
    ("1password-token", r"\bops_eyJ[A-Za-z0-9+/=_-]{100,}", 0.99),
    ("age-secret-key", r"\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b", 0.99),
    ("shopify-token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b", 0.99),
    # Messaging and webhooks
    ("slack-token", r"\bxox[baprse]-[A-Za-z0-9-]{10,}", 0.95),
    ("slack-token", r"\bxoxe\.xox[bp]-\d-[A-Za-z0-9]{40,}", 0.99),
    ("slack-app-token", r"\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{20,}", 0.99),
    (
        "slack-webhook",
        r"https://hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
        0.95,
    ),
    (
        "teams-webhook",
        r"https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[A-Za-z0-9@/_.-]{40,}",
        0.95,
    ),
    (
        "outlook-webhook",
        r"https://outlook\.office(?:365)?\.com/webhook/[A-Za-z0-9@/_.-]{40,}",
        0.95,
    ),
    (
        "teams-webhook",
        r"https://[a-z0-9-]+\.logic\.azure\.com(?::443)?/workflows/[A-Za-z0-9/?=&%._-]{60,}",
        0.8,
    ),
    (
        "discord-webhook",
        r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[A-Za-z0-9_-]{60,}",
        0.99,
    ),
    # Also inside Bot API URLs (``/bot123456789:AA...``), so no word boundary in front.
    ("telegram-bot-token", r"(?<![0-9])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])", 0.9),
    ("twilio-api-key", r"\bSK[0-9a-f]{32}\b", 0.8),
    (
        "sendgrid-api-key",
        r"\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64}(?![A-Za-z0-9_-])",
        0.99,
    ),
    ("sendinblue-key", r"\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b", 0.99),
    ("mailgun-key", r"\bkey-[0-9a-f]{32}\b", 0.9),
    ("mailchimp-key", r"\b[0-9a-f]{32}-us\d{1,2}\b", 0.85),
    ("mapbox-token", r"\bsk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{20,}", 0.99),
    # Payments and commerce
    ("stripe-secret-key", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}", 0.99),
    ("stripe-webhook-secret", r"\bwhsec_[A-Za-z0-9]{32,}", 0.99),
    ("square-token", r"\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,}", 0.99),
    ("square-token", r"\bEAAA[A-Za-z0-9_-]{60}\b", 0.9),
    ("razorpay-key", r"\brzp_live_[A-Za-z0-9]{14,}", 0.95),
    ("flutterwave-key", r"\bFLWSECK(?:_TEST)?-[a-f0-9]{32}-X\b", 0.99),
    ("braintree-token", r"\baccess_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}", 0.99),
    ("shippo-token", r"\bshippo_live_[a-f0-9]{40}\b", 0.99),
    ("duffel-token", r"\bduffel_live_[A-Za-z0-9_-]{43}", 0.99),
    ("plaid-token", r"\baccess-(?:production|development)-[a-f0-9-]{36}\b", 0.95),
    ("facebook-token", r"\bEAA[A-Za-z0-9]{4,}ZD[A-Za-z0-9]{20,}", 0.9),
    (
        "facebook-token",
        r"(?i)[?&](?:access_token|fb_exchange_token)=(?P<secret>EAA[A-Za-z0-9]{20,})",
        0.95,
    ),
    ("twitter-bearer-token", r"\bAAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{60,}", 0.95),
    # AI providers
    ("anthropic-api-key", r"\bsk-ant-[A-Za-z0-9]{2,10}-[A-Za-z0-9_-]{32,}", 0.99),
    (
        "openai-api-key",
        r"\bsk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}",
        0.99,
    ),
    ("openai-api-key", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}", 0.95),
    ("openai-api-key", r"\bsk-[A-Za-z0-9]{48}\b", 0.85),
    ("huggingface-token", r"\b(?:hf|api_org)_[A-Za-z0-9]{34,}\b", 0.95),
    ("replicate-token", r"\br8_[A-Za-z0-9]{37}\b", 0.99),
    ("groq-key", r"\bgsk_[A-Za-z0-9]{52}\b", 0.99),
    ("xai-key", r"\bxai-[A-Za-z0-9]{60,}\b", 0.99),
    ("perplexity-key", r"\bpplx-[A-Za-z0-9]{40,}\b", 0.99),
    ("pinecone-key", r"\bpcsk_[A-Za-z0-9_]{50,}", 0.99),
    ("langsmith-key", r"\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b", 0.99),
    ("notion-token", r"\b(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,})\b", 0.95),
    ("airtable-token", r"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b", 0.99),
    # Generic shapes
    (
        "private-key",
        r"-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[A-Za-z0-9+/=\s:,.\\]|-(?!----)){0,20000}+-----END \1PRIVATE KEY(?: BLOCK)?-----",
        0.99,
    ),
    (
        # A header whose END line is missing (truncated paste, split string).
        "private-key",
        r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[A-Za-z0-9+/=\s:,.\\]|-(?!----)){40,20000}+",
        0.9,
    ),
    # Signed and unsigned ("alg": "none", empty signature) JWTs.
    ("jwt", rf"\beyJ[{_URLSAFE}]{{10,}}\.eyJ[{_URLSAFE}]{{10,}}\.[{_URLSAFE}]{{16,}}", 0.9),
    ("jwt", rf"\beyJ[{_URLSAFE}]{{10,}}\.eyJ[{_URLSAFE}]{{10,}}\.(?![{_URLSAFE}])", 0.7),
)

# Literal text a match must contain, for rows whose regex cannot start on a
# literal: checking ``needle in text`` first keeps a scan of a large file cheap.
NEEDLES: dict[str, tuple[str, ...]] = {
    "azure-ad-client-secret": ("Q~",),
    "telegram-bot-token": (":AA",),
    "terraform-cloud-token": (".atlasv1.",),
    "mailchimp-key": ("-us",),
    "cloudflare-token": ("v1.0-",),
    "aws-session-token": ("FwoGZXIvYXdz", "IQoJb3Jp"),
    "azure-storage-key": ("ccountKey", "ccountkey", "CCOUNTKEY"),
    "aws-secret-access-key": ("ecret", "ECRET"),
    "huggingface-token": ("hf_", "api_org_"),
    "notion-token": ("secret_", "ntn_"),
}
