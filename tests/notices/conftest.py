from tests.notices.smtp_server import smtp  # noqa: F401 - the loopback SMTP server fixture
