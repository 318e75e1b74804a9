"""Test-only: a worker started with this folder first on PYTHONPATH and
SWITCHBOARD_TEST_COMMIT_DELAY=<seconds> sleeps before every database commit made inside an RQ
job, so a test can kill it inside a job's transaction (`WorkerPool.start_slow`). Production code
has no such hook: Python imports `sitecustomize` at start-up, and only these test workers have
this one."""

import os

_DELAY = float(os.environ.get("SWITCHBOARD_TEST_COMMIT_DELAY") or 0)

if _DELAY > 0:
    import time

    from rq import get_current_job
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    @event.listens_for(Session, "before_commit")
    def _slow_commit(session: Session) -> None:
        if get_current_job() is not None:  # not the worker's own threads (scheduler, sweep)
            time.sleep(_DELAY)
