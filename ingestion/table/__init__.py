"""A Book → the Table: the sheet and header, its columns, structural rows and wide forms."""
