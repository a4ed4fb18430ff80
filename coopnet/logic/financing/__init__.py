"""EAEU interest-rate subsidy for joint cooperation projects: pure logic (no Django).

- :mod:`rules`: the regulation's parameters as dated rule sets.
- :mod:`project`: the facts of a project and its loan, as plain dataclasses.
- :mod:`eligibility`: one criterion per rule, each with a message a banker can act on.
- :mod:`schedule`: the subsidy schedule from the loan schedule and the base-rate path.
- :mod:`contract`: the ``projects check`` file format and its JSON output.
"""
