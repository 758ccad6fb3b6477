"""Notices: an outbox of messages to an organisation (written with the event that causes them), delivered
to the in-app inbox and, when `AXR_SMTP_URL` is set, by e-mail."""
