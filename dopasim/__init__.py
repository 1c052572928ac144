"""dopasim: the brain's reinforcement-learning circuit on Brian2, in rate or spiking mode.

The front door::

    import dopasim
    res = dopasim.run("pavlovian", mode="rate", trials=150, seed=1)   # a task on its own circuit
    graph = dopasim.make_circuit("critic")                             # a circuit as plain data
    print(graph.equations("vta", "rate"))                              # the Brian2 equations it runs
    res = dopasim.run("pavlovian", circuit=graph, lesions={"vta": 0.5})
    rec = dopasim.simulate(graph, "spiking", signals, duration=2.0)    # a circuit without a task

Extension points (each from a file of your own): :func:`register_region` (a
region type), :func:`register_rule` (a plasticity rule and its builder), a
task subclassing :class:`SignalTask` or :class:`ProgramTask`, checked by
:func:`check_task`. Importing dopasim does not import Brian2; a run does.
"""

__version__ = "0.1.0"

from dopasim.circuits import lesions  # noqa: E402
from dopasim.circuits.compiler import SimulationError, simulate  # noqa: E402
from dopasim.circuits.graph import CircuitGraph  # noqa: E402
from dopasim.circuits.presets import PRESETS, make_circuit  # noqa: E402
from dopasim.circuits.recording import Recording  # noqa: E402
from dopasim.circuits.regions import REGIONS, RegionType, population_params, register_region  # noqa: E402
from dopasim.circuits.rules import Projection, SynapseCode, register_rule  # noqa: E402
from dopasim.experiment import Results, run, run_batch  # noqa: E402
from dopasim.models.plasticity import RULES, Rule  # noqa: E402
from dopasim.params import ConfigError, Param  # noqa: E402
from dopasim.tasks import TASKS, register_task  # noqa: E402
from dopasim.tasks import make as make_task  # noqa: E402
from dopasim.tasks.base import ProgramTask, Session, SignalTask, Task, check_task  # noqa: E402

__all__ = ["CircuitGraph", "ConfigError", "PRESETS", "Param", "ProgramTask", "Projection", "REGIONS", "RULES",
           "Recording", "RegionType", "Results", "Rule", "Session", "SignalTask", "SimulationError", "SynapseCode",
           "TASKS", "Task", "check_task", "lesions", "make_circuit", "make_task", "population_params",
           "register_region", "register_rule", "register_task", "run", "run_batch", "simulate"]
