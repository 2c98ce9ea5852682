"""Alerts: the burden rules (rules/, one small module per rule), the life of an alert, a team's load for its leaders,
the alert report and exports, and the leaders' daily digest.

The top of the capabilities: the rules read requests and agreements, training (is a coproducer trained for a topic)
and money (the tax-free limits); an alert may prompt a counsellor check-in (checkins) and tells people through
messages. Nothing else in monitor/ imports alerts, except the entry points and the demo.
"""
