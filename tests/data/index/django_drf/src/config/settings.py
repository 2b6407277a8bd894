DEBUG = False
INSTALLED_APPS = ["django.contrib.auth", "rest_framework", "shop", "blog"]
ROOT_URLCONF = "config.urls"
REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination", "PAGE_SIZE": 20}
