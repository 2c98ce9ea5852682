"""Requests: logging a request for help, judging whether it came inside the agreed hours, each coproducer's agreement
(demarcation), importing and exporting the log as CSV or Excel, and a coproducer's workload added up in SQL.

Uses people (who is asking) and the shared kernel. The other capabilities build on what is logged here.
"""
