"""File intake for province drops: sources, landing, parsing, validation, staging and feedback."""
