"""Messages: notifications in a person's inbox, created once per key, and the e-mails sent for them at most once.

Uses people (whose inbox) and the shared kernel. Every capability that tells someone something goes through here.
"""
