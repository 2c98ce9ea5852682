"""Privacy: people's rights over their data. Export of one's own data (export/), removal of a person who leaves
(removal.py) and the retention job that deletes or anonymises what is kept past its period (retention.py).

It sits above the capabilities because it reads and deletes every capability's data; docs/privacy.md is the map of
that data, kept true by tests/unit/privacy/test_data_map.py.
"""
