"""Ground floor (imports none of ours): settings, weeks, reference data, raw schema, formulas."""
