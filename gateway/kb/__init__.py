"""The knowledge base of a business: sources, ingest jobs, the admin API and the CLI."""
