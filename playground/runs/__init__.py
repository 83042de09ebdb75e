"""The run boundary: records, the threads and groups that drive them, and the registry
that is the only door pages use (snapshots, commands, copies)."""
