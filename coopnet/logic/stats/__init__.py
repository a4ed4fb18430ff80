"""Statistics: observations (schema), importers, the DuckDB/Parquet store, indicators and the synthetic
trade generator. Pure Python (no Django); the stats app calls it."""
