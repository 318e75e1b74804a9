"""The imperative shell: Flask app, webhooks, console, CLI, persistence and RQ jobs."""

import os

# The sentence encoder multiplies small matrices: BLAS thread pools only add contention there
# (measured 16 ms per message with one thread against 330 ms with the default on a busy
# 2-core machine). Set before numpy is first imported; an explicit setting still wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
