"""Passing a conversation to a person: the request, its summary, staff alerts, timeouts."""
