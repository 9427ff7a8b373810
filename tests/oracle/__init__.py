"""The generative round-trip oracle of files (issue 21): a company generated with Hypothesis
(``company.companies``), written in every shape okrdash reads (``scenarios.SCENARIOS``), imported
into an empty store and compared with what the files say (``check.import_and_compare``).

``tests/test_oracle.py`` runs it in CI; ``python -m tests.oracle --examples 2000`` runs it by hand.
Other tests may draw companies from ``company.companies()`` and write them with ``sheets`` and
``files``.
"""
