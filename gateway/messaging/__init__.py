"""A message's path: accept inbound events, process them, store and send replies."""
