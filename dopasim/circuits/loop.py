"""The closed loop: a task's trial logic and the circuit's decisions, as generated code.

C++ standalone cannot return to Python between trials, so a choice task runs
inside the simulation (docs/design/closed_loop.md):

* a one-unit ``task`` group holds the trial's state (``choice``, ``reward``,
  ``stimulus`` and whatever the task adds); custom events on integer time steps
  start each trial and deliver its outcome, with code the task supplies;
* every random outcome is drawn beforehand in numpy from the run's seed and
  handed over as a table (a ``TimedArray`` with one row per trial, or one row
  for a static table such as a maze's transitions);
* the decision is a race to threshold read out from the thalamus (Bogacz &
  Gurney 2007): one ``decision`` unit per action channel low-pass filters its
  thalamic channel's rate, and the first to exceed ``threshold_hz`` inside the
  response window is the choice. Several crossing in the same time step is a
  tie: one of them is taken at random (each with equal chance) and ``tied``
  counts the others. No crossing by the end of the window is a no-response
  trial (``choice = -1``);
* input regions read the task's state through linked variables, so the cue and
  the reward volley follow the circuit's own choices;
* a task that replays experience keeps it in a ``memory`` group (one unit per
  slot, written at each outcome) and reads one slot back through summed
  variables, so a remembered move can be played through the circuit again;
* a task whose outcomes follow the circuit's own spikes rather than a choice
  (the distal reward task) watches chosen cells: each of their spikes runs
  the task's code on its state (:class:`SpikeWatch`), through synapses onto
  the task group;
* a task whose length depends on the circuit's own play (a training criterion,
  episodes of a maze) ends the session early: when its ``stop_when`` condition
  holds at a trial's start, generated code stops the run after that time step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from dopasim.params import ConfigError, Param, resolve

#: decision read-out parameters (``--set decision.PARAM=...``)
DECISION_PARAMS = {
    "threshold_hz": Param(12.0, "thalamic channel rate that commits to an action", low=0.0,
                          low_inclusive=False, high=1000.0, unit="Hz"),
    "tau_ms": Param(50.0, "time constant of the decision units' rate estimate", low=0.0,
                    low_inclusive=False, high=10_000.0, unit="ms"),
    "collapse": Param(0.0, "fraction by which the threshold falls, linearly, over the response window: a "
                      "collapsing bound (Drugowitsch et al. 2012); 0: fixed", low=0.0, high=1.0),
}

#: variables every task group has
TASK_VARIABLES = """
trial : integer
choice : integer
tied : integer
choice_time : second
reward : 1
stimulus : integer
stopped : 1
"""


@dataclass
class Memory:
    """A store of ``slots`` remembered moves in generated code.

    One time step after each outcome, when ``store_when`` (an expression of
    ``task_NAME`` variables) holds, the slot ``slot`` (an expression of them)
    takes the task's ``fields``. The task reads back the slot given by its
    variable ``recall_index`` as ``recalled_FIELD`` (set ``recall_index`` at an
    outcome: the read-out follows it one time step later).
    """

    slots: int
    fields: tuple[str, ...]
    store_when: str
    slot: str


@dataclass(frozen=True)
class SpikeWatch:
    """Code run on the task's state at every spike of some of a region's cells (spiking mode).

    ``cells``: a condition on the cell index ``i`` (``"i == 0"``); ``on_spike``:
    statements on the task's variables (by their plain names; ``t`` is the
    spike's time, ``rand()`` a uniform draw).
    """

    region: str
    cells: str
    on_spike: str


@dataclass
class TaskProgram:
    """Everything a closed-loop session needs from a task, as data and code strings.

    Times are within one trial (decision slot) of ``trial_s``: the cue is on from
    ``cue_s`` until ``outcome_s``, which ends the response window and delivers
    the outcome for ``outcome_duration_s``. In code and signal templates,
    ``in_cue`` and ``in_outcome`` are 1 inside those windows, ``in_stimulus`` while
    the cue is shown (the first ``stimulus_s`` of the cue window; None: all of
    it), ``in_response`` from the go signal (``go_s`` after the cue's onset) to
    the outcome, task variables are
    ``task_NAME`` (signals only) and tables are called as ``NAME(t)`` or
    ``NAME(t, column)`` (row = the trial, or the single row of a static table).
    """

    trial_s: float
    cue_s: float
    outcome_s: float
    n_actions: int
    n_trials: int
    tables: dict[str, np.ndarray] = field(default_factory=dict)
    variables: str = ""
    on_trial_start: str = ""
    on_outcome: str = ""
    #: input signal name -> rate-factor template with ``{index}`` for the input's column
    signals: dict[str, str] = field(default_factory=dict)
    #: task variables logged at each outcome
    log: tuple[str, ...] = ("trial", "stimulus", "choice", "tied", "choice_time", "reward")
    outcome_duration_s: float = 0.05
    #: how long the cue is shown from its onset (None: until the outcome)
    stimulus_s: float | None = None
    #: responses count from this long after the cue's onset (the go signal of a memory-guided task)
    go_s: float = 0.0
    #: the region whose channels race to the choice; None: the task has no choice (it watches spikes)
    decision_region: str | None = "thalamus"
    #: code run at spikes of chosen cells (spiking mode only)
    watches: tuple[SpikeWatch, ...] = ()
    #: which actions may be chosen (template with ``{index}`` for the action; empty: all)
    offered: str = ""
    #: condition on the task's variables, checked at each trial's start, that ends the session
    stop_when: str = ""
    #: named integer constants the task's code uses
    constants: dict[str, int] = field(default_factory=dict)
    #: starting values of the task's variables (others start at 0, ``choice`` at -1)
    initial: dict[str, float] = field(default_factory=dict)
    #: what the progress bar counts: (task variable, total, label); default trials
    progress: tuple[str, int, str] | None = None
    #: remembered moves, for replay (None: no memory)
    memory: Memory | None = None


def _stop_session():
    """A function for generated code: ``stop_session(x)`` with x > 0 ends the standalone run after this step."""
    import brian2 as b2

    @b2.implementation("cpp", """
    double stop_session(double x) {
        if (x > 0) Network::_globally_stopped = true;
        return x;
    }
    """)
    @b2.check_units(x=1, result=1)
    def stop_session(x):
        raise NotImplementedError("stop_session runs only in C++ standalone")

    return stop_session


def _check_batchable(program: TaskProgram, programs: list[TaskProgram]) -> None:
    """Subjects share one network only if their programs differ in tables and starting values alone, and none
    ends its session early (that stops the whole network)."""
    if program.stop_when:
        raise ConfigError("this task ends a session early (a criterion, or episodes of a maze): its subjects run "
                          "one network each (--batch 1)")
    code = {k: v for k, v in vars(program).items() if k not in ("tables", "initial")}
    for other in programs:
        if {k: v for k, v in vars(other).items() if k not in ("tables", "initial")} != code:
            raise ConfigError("the subjects of a batch run different task code; run them with --batch 1")


def _steps(program: TaskProgram, dt_s: float) -> dict[str, int]:
    return {"TRIAL_STEPS": int(round(program.trial_s / dt_s)), "CUE_STEP": int(round(program.cue_s / dt_s)),
            "OUT_STEP": int(round(program.outcome_s / dt_s)),
            "GO_STEP": int(round((program.cue_s + program.go_s) / dt_s)),
            "STIMULUS_END_STEP": int(round((program.outcome_s if program.stimulus_s is None
                                            else program.cue_s + program.stimulus_s) / dt_s)),
            "OUT_END_STEP": int(round((program.outcome_s + program.outcome_duration_s) / dt_s))}


WINDOWS = {
    "in_cue": "(int(timestep(t, dt) % TRIAL_STEPS >= CUE_STEP) * int(timestep(t, dt) % TRIAL_STEPS < OUT_STEP))",
    "in_response": "(int(timestep(t, dt) % TRIAL_STEPS >= GO_STEP) * int(timestep(t, dt) % TRIAL_STEPS < OUT_STEP))",
    "in_stimulus": "(int(timestep(t, dt) % TRIAL_STEPS >= CUE_STEP) * "
                   "int(timestep(t, dt) % TRIAL_STEPS < STIMULUS_END_STEP))",
    "in_outcome": "(int(timestep(t, dt) % TRIAL_STEPS >= OUT_STEP) * "
                  "int(timestep(t, dt) % TRIAL_STEPS < OUT_END_STEP))",
}


def expand(code: str) -> str:
    """Replace the window names by their integer-time-step expressions."""
    for name, expr in WINDOWS.items():
        code = re.sub(rf"\b{name}\b", expr, code)
    return code


def task_names(expr: str) -> list[str]:
    """The task variables an expression reads (as ``task_NAME``)."""
    return sorted(set(re.findall(r"\btask_(\w+)", expr)))


class TaskLoop:
    """The Brian2 objects of the closed loop, on the current device.

    ``decision``: read-out parameters (:data:`DECISION_PARAMS`; defaults for those left out). With a
    ``batch`` (:class:`dopasim.circuits.batch.Batch`), ``programs`` are its subjects' own (the same code, each
    subject's tables and starting values) and the task group holds one unit per subject.
    """

    def __init__(self, program: TaskProgram, dt_s: float, decision: dict | None = None, batch=None,
                 programs: list[TaskProgram] | None = None):
        import brian2 as b2

        self.program, self.batch = program, batch
        self.constants = {**_steps(program, dt_s), "N_ACTIONS": program.n_actions, **program.constants}
        if batch is None:
            self.tables = {name: b2.TimedArray(np.asarray(values, dtype=float), dt=program.trial_s * b2.second,
                                               name=name) for name, values in program.tables.items()}
        else:
            _check_batchable(program, programs)
            self.tables = {name: b2.TimedArray(batch.table(name, [p.tables[name] for p in programs]),
                                               dt=program.trial_s * b2.second, name=name) for name in program.tables}
        self.namespace = {**self.constants, **self.tables, "stop_session": _stop_session()}
        memory = program.memory
        recalled = "".join(f"recalled_{name} : 1\n" for name in memory.fields) if memory else ""
        recalled += "recall_index : integer\n" if memory else ""
        events = {"trial_start": "timestep(t, dt) % TRIAL_STEPS == 0",
                  "outcome": "timestep(t, dt) % TRIAL_STEPS == OUT_STEP"}
        self.task = self._group(1, TASK_VARIABLES + program.variables + recalled, namespace=self.namespace,
                                name="task", events=events)
        self.task.choice = -1
        for name, value in program.initial.items():
            setattr(self.task, name, value if batch is None else [p.initial.get(name, 0) for p in programs])
        start = "trial = timestep(t, dt) // TRIAL_STEPS\nchoice = -1\ntied = 0\nreward = 0\n"
        if program.stop_when:
            start = f"stopped = stop_session(int({program.stop_when}))\n" + start
        self.task.run_on_event("trial_start", self.local(expand(start + program.on_trial_start)))
        self.task.run_on_event("outcome", self.local(expand(program.on_outcome)))
        self.log = b2.EventMonitor(self.task, "outcome", variables=list(program.log), when="end",
                                   name="task_log")
        self.decision_params = resolve("decision", DECISION_PARAMS, decision or {})
        self.objects = [self.task, self.log]
        if memory:
            self._remember(memory)

    def local(self, code: str, synaptic: bool = False) -> str:
        """Code written for one subject, as its batched object runs it (unchanged without a batch)."""
        return code if self.batch is None else self.batch.local(code, synaptic)

    def _group(self, n: int, eqs: str, **kwargs):
        """A group of ``n`` units per subject, its code rewritten for the batch."""
        import brian2 as b2

        if self.batch is None:
            return b2.NeuronGroup(n, eqs, **kwargs)
        return self.batch.group(n, eqs, **kwargs)

    def _synapses(self, source, target, model: str = "", on_pre: str | None = None, **kwargs):
        """Synapses written for one subject (each joins cells of one subject: connect them so)."""
        import brian2 as b2

        if self.batch is None:
            return b2.Synapses(source, target, model, on_pre=on_pre, **kwargs)
        from dopasim.circuits.batch import SUBJECT_VARIABLES

        return b2.Synapses(source, target, self.local(model, True) + SUBJECT_VARIABLES,
                           on_pre=self.local(on_pre, True), **kwargs)

    def _connect(self, synapses, n_source: int, j: str) -> None:
        """Connect each source cell to the target ``j`` (an expression of ``i``, the cell's index in its subject,
        for one subject of ``n_source`` cells); batched, within the cell's subject."""
        if self.batch is None:
            synapses.connect(j=j)
            return
        within = re.sub(r"\bi\b", f"(i % {n_source})", j)
        offset = f"(i // {n_source}) * {len(synapses.target) // self.batch.size}"
        synapses.connect(j=f"{offset} + {within}")
        synapses.synapse_subject = "subject_pre"

    def _remember(self, memory: Memory) -> None:
        """The memory group: each slot stores the task's fields, and the recalled slot's are summed back."""
        names = sorted({*memory.fields, *task_names(memory.store_when), *task_names(memory.slot)})
        store = (f"timestep(t, dt) % TRIAL_STEPS == OUT_STEP + 1 and ({memory.store_when}) and "
                 f"({memory.slot}) == i")
        group = self._group(memory.slots, "".join(f"{name} : 1\n" for name in memory.fields)
                            + self.declarations(names), events={"store": store}, namespace=self.namespace,
                            name="replay_memory")
        self.link(group, names)
        group.run_on_event("store", "\n".join(f"{name} = task_{name}" for name in memory.fields))
        recall = self._synapses(group, self.task, "".join(
            f"recalled_{name}_post = {name}_pre * int(i_pre == recall_index_post) : 1 (summed)\n"
            for name in memory.fields), name="replay_recall")
        self._connect(recall, memory.slots, "0")
        self.objects += [group, recall]

    def link(self, group, names: list[str]) -> None:
        """Give ``group`` read access to the task's variables ``names`` (declared as ``task_NAME``)."""
        import brian2 as b2

        copies = 1 if self.batch is None else self.batch.size
        subject = np.arange(len(group)) // (len(group) // copies)  # without a batch: 0
        for name in names:
            setattr(group, f"task_{name}", b2.linked_var(self.task, name, index=subject))

    def declarations(self, names: list[str]) -> str:
        """Equation lines declaring linked task variables (integer, dimensionless or in seconds)."""
        import brian2 as b2

        lines = []
        for name in names:
            var = self.task.variables[name]
            kind = "integer" if np.issubdtype(var.dtype, np.integer) else "second" if var.dim == b2.second.dim else "1"
            lines.append(f"task_{name} : {kind} (linked)")
        return "\n".join(lines) + "\n"

    def decide(self, thalamus, mode: str, per_channel: int):
        """Decision units reading ``thalamus``; the first to cross sets the task's choice."""
        import brian2 as b2

        k = self.program.n_actions
        ns = {**self.namespace, "decision_tau": self.decision_params["tau_ms"] * b2.ms,
              "threshold": self.decision_params["threshold_hz"] * b2.Hz}
        # after a go signal, the estimate starts from the go: what the thalamus did while the cue was held
        # (a race both channels have long since won) does not count
        listen = "in_response * " if self.program.go_s > 0 else ""
        if mode == "rate":
            eqs = expand(f"dx/dt = ({listen}thalamic - x) / decision_tau : Hz\nthalamic : Hz\n")
        else:
            eqs = "dx/dt = -x / decision_tau : Hz\n"
        offered = self.program.offered.format(index="i")
        names = sorted({"choice", *task_names(offered)})
        eqs += self.declarations(names)
        threshold = "x > threshold and in_response == 1 and task_choice < 0"
        if self.decision_params["collapse"] > 0:
            elapsed = "1.0 * (timestep(t, dt) % TRIAL_STEPS - CUE_STEP) / (OUT_STEP - CUE_STEP)"
            threshold = threshold.replace("x > threshold", f"x > threshold * (1 - collapse * {elapsed})")
            ns["collapse"] = self.decision_params["collapse"]
        if offered:
            threshold += f" and {offered} > 0"
        units = self._group(k, eqs, threshold=expand(threshold), reset="", namespace=ns, method="euler",
                            name="decision")
        self.link(units, names)
        if mode == "rate":
            readout = self._synapses(thalamus, units, "thalamic_post = rate_pre / N_incoming : Hz (summed)",
                                     name="decision_readout")
        else:
            readout = self._synapses(thalamus, units,
                                     on_pre=expand(f"x_post += {listen}1 / (N_incoming * decision_tau)"),
                                     namespace=ns, name="decision_readout")
        self._connect(readout, per_channel * k, f"i // {per_channel}")
        commit = self._synapses(units, self.task, namespace=ns, name="decision_commit", on_pre="""
            free = int(choice_post < 0)
            same = (1 - free) * int(abs(t - choice_time_post) < 0.5 * dt)
            tied_post += same
            take = free + same * int(rand() * (tied_post + 1) < 1)
            choice_time_post = take * t + (1 - take) * choice_time_post
            choice_post = take * i_pre + (1 - take) * choice_post
            """)
        self._connect(commit, k, "0")
        self.objects += [units, readout, commit]
        self.decision = units

    def watch(self, groups: dict, mode: str) -> None:
        """Synapses from each watched region's chosen cells onto the task group, running the task's code."""
        for watch in self.program.watches:
            if mode != "spiking":
                raise ConfigError(f"this task watches the spikes of {watch.region!r}, which rate units do not fire; "
                                  "use --mode spiking")
            if watch.region not in groups:
                raise ConfigError(f"this task watches the spikes of the region {watch.region!r}, which the circuit "
                                  f"lacks (it has: {', '.join(groups)})")
            synapses = self._synapses(groups[watch.region], self.task, on_pre=expand(watch.on_spike),
                                      namespace=self.namespace, name=f"watch_{watch.region}")
            if self.batch is None:
                synapses.connect(condition=watch.cells)
            else:
                synapses.connect(condition=f"({self.local(watch.cells, True)}) and subject_pre == j")
                synapses.synapse_subject = "subject_pre"
            self.objects.append(synapses)

    def events(self, subject: int | None = None) -> dict[str, np.ndarray]:
        """The logged task variables at each outcome (one entry per trial that reached its outcome); with a
        batch, those of one ``subject``."""
        import brian2 as b2

        if not hasattr(self, "_log"):  # read once, for every subject
            self._log = {name: np.asarray(getattr(self.log, name)[:] / (b2.second if name == "choice_time" else 1))
                         for name in self.program.log}
            self._log_subject = np.asarray(self.log.i[:])
        out = {}
        mine = slice(None) if subject is None else self._log_subject == subject
        for name in self.program.log:
            values = self._log[name][mine]
            integer = np.issubdtype(self.task.variables[name].dtype, np.integer)
            out[name] = values.astype(int) if integer else values
        if "choice_time" in out:
            # seconds from cue onset to the commitment; NaN without a response
            onset = out["trial"] * self.program.trial_s + self.program.cue_s
            out["choice_time"] = np.where(out["choice"] >= 0, out["choice_time"] - onset, np.nan)
        return out
