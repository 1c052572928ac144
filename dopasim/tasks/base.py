"""The task contract: the two kinds of task, what each must declare and provide, and a check of it.

A task is a ``gymnasium.Env`` (an agent can play it step by step) that also
drives the circuit for a whole session. It subclasses one of two kinds:

* :class:`SignalTask` (open loop): the session's stimuli and outcomes do not
  depend on the circuit's behaviour, so they are drawn beforehand and handed
  to the simulation as signals (Pavlovian conditioning, rest);
* :class:`ProgramTask` (closed loop): the circuit chooses, and the task's
  logic runs inside the simulation as generated code
  (:class:`dopasim.circuits.loop.TaskProgram`): bandits, mazes, two-step.

Every task then measures the run from its recording, plays its reference
learner on the identical trial sequence, reduces the trial table to headline
measures and names the figures it draws, each with one signature.
:func:`check_task` tells the author of a new task what is missing or
malformed, as Gymnasium's ``check_env`` does for an environment.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

import gymnasium as gym
import numpy as np

from dopasim.circuits.loop import DECISION_PARAMS
from dopasim.params import ConfigError, Param

#: the Brian2 time step of precomputed signals (s)
SIGNAL_DT = 0.001


@dataclass
class Session:
    """What a task drew for one run, shared by the circuit and the reference learner.

    ``draws``: every random draw of the session (an open-loop task's trial
    sequence; a closed-loop task's outcome luck, contingencies, starts);
    ``graph``: the circuit it ran on; ``seed``: the run's seed.

    Attributes
    ----------
    n_trials : int
        trials (or episodes) in the run
    seed : int
        the run's seed
    graph : CircuitGraph
        the circuit it ran on
    draws : dict, optional
        every random draw of the session
    """

    n_trials: int
    seed: int
    graph: object
    draws: dict | None = None

    def reference_rng(self) -> np.random.Generator:
        """The reference learner's own random stream: its choices never move the circuit's draws."""
        return np.random.default_rng([self.seed, 1])


class Task(gym.Env):
    """Base of every task. Subclass :class:`SignalTask` or :class:`ProgramTask`, not this.

    Set these in ALL subclasses (class attributes):

    ``name``
        the name ``dopasim run NAME`` knows it by (lower case, ``_``);
    ``summary``
        one line: what it models and the paper;
    ``params``
        ``{name: Param}``: its parameters with default, unit, range and meaning
        (``--set task.NAME=VALUE``); ``__init__`` resolves them into ``self.p``
        with :func:`dopasim.params.resolve`;
    ``reference_params``
        ``{name: Param}`` of its reference learner (``--set reference.NAME``);
    ``default_trials``, ``default_circuit``
        the run's length and circuit preset when none is given;
    ``needs``
        the regions the task reads from or drives (checked by :meth:`check_circuit`).

    ``__init__`` must also set ``self.duration``: the length of one trial (s).
    """

    metadata = {"render_modes": []}
    name: str = ""
    summary: str = ""
    params: dict[str, Param] = {}
    reference_params: dict[str, Param] = {}
    default_trials: int = 100
    default_circuit: str = "critic"
    #: what ``--trials`` counts
    unit: str = "trials"
    #: the reference learner (a closed-loop task takes it from ``reference.learner``)
    learner: str = "td_lambda"
    needs: tuple[str, ...] = ()
    #: the decision read-out's parameters (``--set decision.NAME``); closed-loop tasks only
    decision_params: dict[str, Param] = {}
    #: whether it runs an experimental protocol (``--protocol``, :mod:`dopasim.tasks.protocols`)
    takes_protocol: bool = False
    #: whether many subjects can share one network (:mod:`dopasim.circuits.batch`): not a task whose session
    #: ends early (a training criterion, episodes of a maze), since that ends the network's run for all
    batchable: bool = True

    # -- the circuit ---------------------------------------------------------
    def circuit_shape(self, mode: str | None = None) -> dict:
        """Keyword arguments that shape a preset to this task (stimuli, actions ...); a preset takes those it knows.

        Parameters
        ----------
        mode : str, optional
            rate or spiking (a task may shape the circuit per mode)
        """
        return {}

    def check_circuit(self, graph) -> None:
        """Raise :class:`ConfigError` if ``graph`` cannot run this task (by default: a region it needs is missing).

        Parameters
        ----------
        graph : CircuitGraph
            the circuit the run would use
        """
        missing = [r for r in self.needs if r not in graph.regions()]
        if missing:
            raise ConfigError(f"task {self.name} needs a circuit with the regions {', '.join(self.needs)}; circuit "
                              f"{graph.name!r} lacks {', '.join(missing)} (try --circuit {self.default_circuit})")

    def check_mode(self, mode: str) -> None:
        """Raise :class:`ConfigError`, with the reason, if the task cannot run at resolution ``mode``.

        By default a task runs at both.

        Parameters
        ----------
        mode : str
            rate or spiking
        """

    # -- one run ---------------------------------------------------------------
    def simulate(self, graph, mode: str, session: Session, decision: dict, progress: bool = True,
                 build_root=None):
        """Run the session on the circuit: ``(trial table, Recording)``. Provided by the two kinds of task."""
        raise NotImplementedError

    def simulate_batch(self, graph, mode: str, sessions: list[Session], decision: dict, progress: bool = True,
                       build_root=None) -> list[tuple[dict, object]]:
        """Several sessions, one per subject, in one network (:mod:`dopasim.circuits.batch`): a
        ``(trial table, Recording)`` per session. Provided by the two kinds of task."""
        raise NotImplementedError

    def measure(self, rec, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The circuit's per-trial responses, read off the recording: columns added to the trial table.

        The dopamine columns come from the simulated DA population, never from the reference learner.

        Parameters
        ----------
        rec : Recording
            the session's recording
        table : dict of str to ndarray
            the trial table so far
        """
        raise NotImplementedError

    def reference(self, table: dict[str, np.ndarray], session: Session, **params) -> dict[str, np.ndarray]:
        """The reference learner on the identical trial sequence: columns added to the trial table.

        ``params`` are the resolved ``reference_params``; ``session`` holds the draws and the circuit.

        Parameters
        ----------
        table : dict of str to ndarray
            the trial table
        session : Session
            the run's draws and circuit
        **params : the resolved reference parameters
        """
        raise NotImplementedError

    def headline(self, table: dict[str, np.ndarray]) -> dict[str, float | None]:
        """The headline measures (``summary.json``): a flat mapping of names to numbers (None: undefined).

        Parameters
        ----------
        table : dict of str to ndarray
            the complete trial table
        """
        raise NotImplementedError

    def figures(self) -> dict[str, Callable]:
        """The figures a run of this task draws, besides the circuit and its activity.

        ``{file stem: function}``: each function takes the run's ``Results`` (and ``ax=``) and returns
        the figure; :func:`dopasim.analysis.plots.write_figures` saves them as ``figures/STEM.png``.
        """
        return {}

    def extra_tables(self, table: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
        """Files besides ``trials.csv``: ``{filename: {column: values}}`` (none by default).

        Parameters
        ----------
        table : dict of str to ndarray
            the complete trial table
        """
        return {}

    def events(self) -> dict[str, float]:
        """Times within a trial (s) that figures mark: ``{"stimulus": s, "outcome": s}``, or none."""
        return {}

    def reference_learner(self, reference: dict) -> str:
        """The name of the reference learner that ``reference`` (resolved ``reference_params``) selects.

        Parameters
        ----------
        reference : dict
            the resolved reference parameters
        """
        return self.learner

    def length(self, n_trials: int) -> str:
        """How long a run of ``n_trials`` is, in words (the command line's first line).

        Parameters
        ----------
        n_trials : int
            the run's trials (or episodes, epochs)
        """
        return f"{n_trials * self.duration:.0f} s simulated"


class SignalTask(Task):
    """An open-loop task: the whole session's stimuli and outcomes are drawn beforehand.

    Subclasses provide :meth:`trials` and :meth:`signals`; the circuit reads
    each signal through the input region that declares it (``cs``, ``reward`` ...).
    """

    def trials(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The trial sequence, drawn once from ``rng`` and shared by circuit and reference: columns, one row a
        trial, with at least ``trial``.

        Parameters
        ----------
        n_trials : int
            trials in the session
        rng : numpy.random.Generator
            seeded by the run
        """
        raise NotImplementedError

    def signals(self, trials: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The signals' time courses over the whole session, one row every :data:`SIGNAL_DT`.

        Parameters
        ----------
        trials : dict
            what trials() drew
        """
        raise NotImplementedError

    def simulate(self, graph, mode: str, session: Session, decision: dict, progress: bool = True,
                 build_root=None):
        from dopasim.circuits.compiler import simulate

        trials = self.trials(session.n_trials, np.random.default_rng(session.seed))
        session.draws = trials
        rec = simulate(graph, mode, self.signals(trials), session.n_trials * self.duration, signal_dt=SIGNAL_DT,
                       seed=session.seed, progress=progress, build_root=build_root, trial_s=self.duration)
        return dict(trials), rec

    def simulate_batch(self, graph, mode: str, sessions: list[Session], decision: dict, progress: bool = True,
                       build_root=None):
        from dopasim.circuits.compiler import simulate_batch

        for session in sessions:
            session.draws = self.trials(session.n_trials, np.random.default_rng(session.seed))
        recs = simulate_batch(graph, mode, [self.signals(s.draws) for s in sessions],
                              sessions[0].n_trials * self.duration, [s.seed for s in sessions], signal_dt=SIGNAL_DT,
                              progress=progress, build_root=build_root, trial_s=self.duration)
        return [(dict(s.draws), rec) for s, rec in zip(sessions, recs)]


class ProgramTask(Task):
    """A closed-loop task: the circuit's activity decides the outcomes, and the task's logic runs inside the simulation.

    Subclasses provide :meth:`draws`, :meth:`program` and :meth:`table`. Most
    such tasks read a choice from the circuit (``chooses``); one whose outcomes
    follow chosen cells' spikes instead (:class:`dopasim.circuits.loop.SpikeWatch`)
    sets ``chooses = False`` and declares no decision parameters.
    """

    #: whether the circuit's choice is read out (the decision parameters then apply)
    chooses: bool = True

    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Every random draw of the session (outcome luck, contingencies ...), made beforehand from ``rng``.

        Parameters
        ----------
        n_trials : int
            trials (or episodes) in the session
        rng : numpy.random.Generator
            seeded by the run
        """
        raise NotImplementedError

    def program(self, draws: dict, n_trials: int):
        """The trial logic as generated code: a :class:`dopasim.circuits.loop.TaskProgram`.

        Parameters
        ----------
        draws : dict
            what draws() drew
        n_trials : int
            trials (or episodes) in the session
        """
        raise NotImplementedError

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        """The trial table's behavioural columns from the simulation's log of every outcome (``events``).

        Parameters
        ----------
        events : dict
            the simulation's log of every outcome
        draws : dict
            what draws() drew
        """
        raise NotImplementedError

    decision_params = DECISION_PARAMS

    def reference_learner(self, reference: dict) -> str:
        """The learner a choice task's ``reference.learner`` names.

        Parameters
        ----------
        reference : dict
            the resolved reference parameters.
        """
        return reference["learner"]

    def simulate(self, graph, mode: str, session: Session, decision: dict, progress: bool = True,
                 build_root=None):
        from dopasim.circuits.compiler import simulate

        draws = self.draws(session.n_trials, np.random.default_rng(session.seed))
        session.draws = draws
        program = self.program(draws, session.n_trials)
        rec = simulate(graph, mode, {}, program.n_trials * program.trial_s, signal_dt=SIGNAL_DT,
                       seed=session.seed, progress=progress, build_root=build_root, trial_s=program.trial_s,
                       program=program, decision=decision)
        return self.table(rec.events, draws), rec

    def simulate_batch(self, graph, mode: str, sessions: list[Session], decision: dict, progress: bool = True,
                       build_root=None):
        from dopasim.circuits.compiler import simulate_batch

        for session in sessions:
            session.draws = self.draws(session.n_trials, np.random.default_rng(session.seed))
        programs = [self.program(s.draws, s.n_trials) for s in sessions]
        recs = simulate_batch(graph, mode, [{} for _ in sessions], programs[0].n_trials * programs[0].trial_s,
                              [s.seed for s in sessions], signal_dt=SIGNAL_DT, progress=progress,
                              build_root=build_root, trial_s=programs[0].trial_s, programs=programs,
                              decision=decision)
        return [(self.table(rec.events, s.draws), rec) for s, rec in zip(sessions, recs)]


class NothingToPlay:
    """The Gymnasium view of a task with no part for an agent (``rest``, ``distal_reward``): one observation,
    one action, and every episode ends at its first step. Put it before the task's kind:
    ``class Rest(NothingToPlay, SignalTask)``."""

    observation_space = gym.spaces.Discrete(1)
    action_space = gym.spaces.Discrete(1)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return 0, {}

    def step(self, action):
        if not self.action_space.contains(action):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        return 0, 0.0, True, False, {}


#: what every task class declares, and of which type
DECLARED = {"name": str, "summary": str, "params": dict, "reference_params": dict, "default_trials": int,
            "default_circuit": str, "unit": str, "learner": str, "needs": tuple}
#: the methods each kind must provide itself, with their parameters
CONTRACT = {
    Task: {"measure": ("rec", "table"), "reference": ("table", "session"), "headline": ("table",)},
    SignalTask: {"trials": ("n_trials", "rng"), "signals": ("trials",)},
    ProgramTask: {"draws": ("n_trials", "rng"), "program": ("draws", "n_trials"), "table": ("events", "draws")},
}


def check_task(task) -> list[str]:
    """What a task class (or instance) lacks or gets wrong: a list of problems, empty when it conforms.

    Checks that it subclasses :class:`SignalTask` or :class:`ProgramTask`;
    that it declares every attribute of :data:`DECLARED` with the right type,
    its parameters as :class:`~dopasim.params.Param` with defaults in range
    and a one-line meaning; that it implements the methods its kind needs,
    with the declared parameters; and that it can be made with its defaults.

    Parameters
    ----------
    task : type or Task
        the task class (or an instance)

    Examples
    --------
    >>> from dopasim.tasks import TASKS
    >>> check_task(TASKS["pavlovian"])
    []
    """
    cls = task if isinstance(task, type) else type(task)
    problems = []
    if not (issubclass(cls, SignalTask) or issubclass(cls, ProgramTask)):
        return [f"{cls.__name__} subclasses neither dopasim.tasks.SignalTask (open loop) nor ProgramTask "
                "(closed loop)"]
    for attr, kind in DECLARED.items():
        value = getattr(cls, attr, None)
        if isinstance(value, property):
            continue  # computed from the parameters: checked on an instance below
        if not isinstance(value, kind) or (kind is str and not value and attr != "learner"):
            problems.append(f"{cls.__name__}.{attr} must be a {'non-empty ' if kind is str else ''}{kind.__name__}"
                            f" (it is {value!r})")
    for scope in ("params", "reference_params", "decision_params"):
        for name, param in (getattr(cls, scope, None) or {}).items():
            if not isinstance(param, Param):
                problems.append(f"{cls.__name__}.{scope}[{name!r}] must be a dopasim.params.Param")
                continue
            if not param.help:
                problems.append(f"{cls.__name__}.{scope}[{name!r}] has no meaning (help text)")
            try:
                param.check(f"{cls.__name__}.{scope}", name, param.default)
            except ConfigError as err:
                problems.append(f"its default does not pass its own check: {err}")
    for kind, methods in CONTRACT.items():
        if not issubclass(cls, kind):
            continue
        for method, expected in methods.items():
            own = getattr(cls, method)
            if own is getattr(kind, method, None) or own is getattr(Task, method, None):
                problems.append(f"{cls.__name__} does not implement {method}({', '.join(expected)})")
                continue
            names = [p for p in inspect.signature(own).parameters if p != "self"][:len(expected)]
            if tuple(names) != expected:
                problems.append(f"{cls.__name__}.{method} takes ({', '.join(names)}); the contract is "
                                f"{method}({', '.join(expected)})")
    if issubclass(cls, ProgramTask) and cls.chooses and not cls.decision_params:
        problems.append(f"{cls.__name__}.decision_params is empty: a closed-loop task reads its choice through "
                        "the decision read-out (dopasim.circuits.loop.DECISION_PARAMS)")
    if not problems:
        try:
            made = task if not isinstance(task, type) else cls()
        except Exception as err:  # noqa: BLE001 (the author's own code: report whatever it raised)
            return [f"{cls.__name__}() with its defaults raised {type(err).__name__}: {err}"]
        if not isinstance(getattr(made, "duration", None), float) or made.duration <= 0:
            problems.append(f"{cls.__name__}() must set self.duration, the length of one trial in seconds")
        for attr, kind in DECLARED.items():
            if isinstance(getattr(cls, attr, None), property) and not isinstance(getattr(made, attr), kind):
                problems.append(f"{cls.__name__}().{attr} must be a {kind.__name__}")
        if not isinstance(getattr(made, "p", None), dict):
            problems.append(f"{cls.__name__}() must set self.p, its resolved parameters (dopasim.params.resolve)")
        if not isinstance(made.figures(), dict) or not all(callable(f) for f in made.figures().values()):
            problems.append(f"{cls.__name__}.figures() must return {{file stem: figure function}}")
    return problems
