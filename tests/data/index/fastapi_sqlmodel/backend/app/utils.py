import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass
class EmailData:
    html_content: str
    subject: str


def render_email_template(*, template_name: str, context: dict[str, str]) -> str:
    template = (Path(__file__).parent / "email-templates" / template_name).read_text()
    for key, value in context.items():
        template = template.replace("{{ " + key + " }}", value)
    return template


def generate_new_account_email(email_to: str, username: str) -> EmailData:
    subject = f"New account for user {username}"
    html = render_email_template(template_name="new_account.html", context={"username": username})
    logger.info("new account mail for %s", email_to)
    return EmailData(html_content=html, subject=subject)
