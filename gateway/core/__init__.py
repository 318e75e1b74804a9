"""The ground every room stands on: settings, the per-process runtime, database, errors, logs."""
