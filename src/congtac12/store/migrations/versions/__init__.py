"""One file per schema revision, a linear chain: 0001, 0002, … (see ../README.md)."""
