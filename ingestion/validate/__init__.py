"""A Table → its Validation: the row rules and the free-text scans."""
