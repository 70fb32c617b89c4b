"""The file contract in code: kinds and columns, cell reading, limits, reason codes with their
Vietnamese messages, rejections and warnings; what every stage below speaks."""
