"""What goes back to a province: feedback per file and the weekly summary (print-ready xlsx)."""
