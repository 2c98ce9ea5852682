"""The demo: a believable neighbourhood team (load), its check-ins (checkins) and its training and money (money).

Sits above every capability and goes through their services, as a person would; only the entry points use it.
"""
