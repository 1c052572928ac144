import pytest

from dopasim.experiment import run


@pytest.fixture(scope="session")
def trained():
    """The Done-when experiment: 150 Pavlovian trials, seed 1, an omission probe on trial 140."""
    cache = {}

    def get(mode):
        if mode not in cache:
            cache[mode] = run("pavlovian", mode=mode, trials=150, seed=1,
                              params={"task.omit_trials": "140"}, progress=False)
        return cache[mode]

    return get
