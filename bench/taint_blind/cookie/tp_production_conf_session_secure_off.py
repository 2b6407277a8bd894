# blind: cookie tp
"""Production configuration for the billing service."""

import os

DEBUG = False
ALLOWED_HOSTS = ["billing.example.com"]
SECRET_KEY = os.environ["SECRET_KEY"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = True
