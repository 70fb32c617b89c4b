"""MOHA staffing pipeline: command line, simulator, quality gate and publishing."""
