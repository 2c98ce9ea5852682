"""Keeping it running: backups and their restore, and each scheduled job's last success for the health check.

Uses the shared kernel (config) and db only; the scheduler, the CLI and the health route use it.
"""
