"""Pure registry logic: national identifiers, public IDs, name normalisation and duplicate
scoring, import-file parsing and validation, synthetic organisations. No Django here."""
