"""Emailing the reports: recipients, mail merge, SMTP / outbox / Outlook, send log."""
