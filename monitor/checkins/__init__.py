"""Check-ins: confidential conversations with the counsellor, the rules that prompt them, the counsellor's encrypted
notes and their keys, the calendar feed, and the WHO-5 wellbeing pulse.

Uses requests (which team a coproducer is in), messages (to tell people) and people. Notes and WHO-5 scores never
leave this package for a leader: its services check who is asking.
"""
