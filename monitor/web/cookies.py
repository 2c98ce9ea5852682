"""Names and attributes of the cookies the monitor sets."""

SESSION_COOKIE = "monitor_session"
CSRF_COOKIE = "monitor_csrf"
