"""The contribution report for funders and partners: what the team's coproducers did in a period, in figures only.

Owns the periods, the aggregation in SQL over the indexed (team, local date) columns, the disclosure rule
(disclosure.py) and the Excel and PDF files. Uses monitor.people (who is asking), monitor.requests.vocab (the codes
of a request) and db.
"""
