"""What a Dask worker needs before it runs dopasim (imported only with ``--scheduler``; needs ``dask[distributed]``)."""

from distributed import WorkerPlugin


class ImportBrian2(WorkerPlugin):
    """Brian2 sets a signal handler on import, which only the main thread may do, and Dask runs tasks on other
    threads; so every worker imports it first, on its event loop (main) thread."""

    def setup(self, worker):
        import brian2  # noqa: F401
