"""The worker process: RQ queues, the task names, the job entry points and the sweep."""
