"""okrdash: OKRs and KPIs from CSV files, scored in bulk by DuckDB."""

__version__ = "0.1.0"
