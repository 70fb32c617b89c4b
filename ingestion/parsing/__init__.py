"""One landed file → its verdict (read, table, validate), in a bounded child process."""
