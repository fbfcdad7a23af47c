"""Scale-out: procrastinate workers on PostgreSQL run the same ``scan_target`` as the local runner.

- ``database``: PostgreSQL only; govscan's Alembic schema and procrastinate's, set up on start.
- ``tasks``: the procrastinate app, its tasks and the retry rule.
- ``jobs``: one job = one target scanned, with a wall-clock budget and a shared browser.
- ``browsers``: one Chromium per worker process, relaunched after a bounded number of pages.
- ``enqueue``: defer due targets (``govscan enqueue`` and the periodic task).
- ``worker``: ``govscan worker``, with recovery of jobs whose worker died.
"""
