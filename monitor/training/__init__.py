"""Training: each team's catalogue, who completed what and until when it is valid, who is qualified for which kind
of problem, and reminders before a training expires.

Uses money (a training's cost is held in euro cents), requests (which team a coproducer is in), messages and people.
"""
