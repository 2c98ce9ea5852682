"""Money: allowance agreements, the append-only payments ledger and its export, the monthly run, the Dutch tax-free
limits and the checks behind the allowance alerts, the emergency fund, and exact euro amounts.

Uses requests (hours logged, for allowances per hour; which team a coproducer is in), messages and people.
"""
