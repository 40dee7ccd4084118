"""congtac12: the record of cadres' field work at the base under the "1+2" policy."""

__version__ = "0.1.0"
