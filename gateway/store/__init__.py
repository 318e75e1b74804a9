"""Persistence: the tables, their migrations, and the queries more than one room needs."""
