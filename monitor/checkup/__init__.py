"""The collaboration check-up: the Coordinated Action Checklist (Wagemakers et al. 2010) in rounds per team.

Owns the statements, the rounds, the anonymous answers (for coproducers and leaders in the app, for partner
professionals through a one-time private link) and their scores. Uses monitor.people (who is asking) and db.
"""
