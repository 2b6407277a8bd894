"""Runtime configuration for the shop API."""

import os

DEBUG = True

DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgresql+psycopg://shop@localhost:5432/shop"
)

SECRET_KEY = "p9Xc2kWq7ZrT4vLmN8bY3sHd6FgJ1aQe"
JWT_ALGORITHM = "HS256"
ACCESS_TOKEN_MINUTES = 30

PAYMENTS_API_URL = os.environ.get("PAYMENTS_API_URL", "https://payments.example.com/v1")
PAYMENTS_API_KEY = os.environ["PAYMENTS_API_KEY"] if "PAYMENTS_API_KEY" in os.environ else ""

AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
INVOICE_BUCKET = os.environ.get("INVOICE_BUCKET", "shop-invoices")

ALLOWED_ORIGINS = os.environ.get("ALLOWED_ORIGINS", "https://shop.example.com").split(",")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
