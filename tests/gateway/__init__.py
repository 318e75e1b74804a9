from gateway.cli.config_file import TEMPLATES

# The templates a test configuration may name: the real ones and the engine's echo skeleton,
# which production configuration refuses.
WITH_ECHO = (*TEMPLATES, "echo")
