"""The distal reward problem (Izhikevich 2007): which synapse earned a reward that came seconds later?

A cortical network fires spontaneously; every excitatory synapse is plastic by
dopamine-modulated STDP (``da_stdp``). One synapse is chosen, from the cell
``presynaptic`` to the cell ``postsynaptic`` (circuit ``stdp_network``).
Whenever the postsynaptic cell fires within ``window_ms`` after the
presynaptic one, a reward follows after a delay drawn uniformly from
``delay_min_s`` to ``delay_max_s``: the reward input drives the dopamine cells
into a burst of ``burst_ms``. By then the network has fired thousands of other
spikes, and the pairing's eligibility trace (1 s) has decayed to a few tenths
of what it was. Only the chosen synapse's pairing is followed by dopamine every
time; the others' eligibility at the burst is as often negative as positive,
so the chosen synapse alone keeps gaining, its pairing becomes more likely,
and rewards come more often: dopamine-gated eligibility solves the credit
assignment problem (Izhikevich 2007, Fig. 1).

The reward follows the circuit's own spikes, so it is decided inside the
simulation (generated code watching the two cells, a delay drawn there from
the run's seed); one reward is pending at a time, and a pairing while one is
pending or being delivered earns nothing more. Spiking mode only: the rule
needs the spike times of each pair, which rate units do not have.

The session is cut into epochs of ``epoch_s`` (one row of the trial table):
``trial`` (the epoch), ``t_end`` (s), ``pairings`` and ``rewards`` in the epoch, and at its
end the chosen synapse's ``chosen_weight`` (w / w_max), the median and 99th
percentile of a sample of the other plastic weights (``others_median``,
``others_p99``, the first synapses made of each other plastic projection) and
the fraction of that sample below the chosen one (``chosen_rank``); the mean
``rate_excitatory`` and ``rate_dopamine`` (Hz). Summary: the same at the end
against every other plastic weight of the circuit (``chosen_percentile``,
``above_99th``), and the totals.

No abstract reference learner: the problem is the credit assignment that TD
learners are handed as a state representation.
"""

from __future__ import annotations

import numpy as np

from dopasim.circuits.loop import SpikeWatch, TaskProgram
from dopasim.circuits.resolution import DT_MS
from dopasim.params import ConfigError, Param, resolve
from dopasim.tasks.base import NothingToPlay, ProgramTask


class DistalReward(NothingToPlay, ProgramTask):
    name = "distal_reward"
    summary = ("Izhikevich (2007)'s distal reward problem: a chosen synapse's pairing is rewarded 1-3 s later; "
               "DA-STDP finds it (spiking only)")
    learner = "none"
    unit = "epochs"
    chooses = False
    params = {
        "epoch_s": Param(10.0, "length of one epoch (one row of the trial table)", low=1.0, high=3600.0, unit="s"),
        "window_ms": Param(10.0, "the postsynaptic spike must follow the presynaptic one within this to count as a "
                           "pairing", low=0.5, high=100.0, unit="ms"),
        "delay_min_s": Param(1.0, "shortest delay from a pairing to its reward", low=0.0, high=60.0, unit="s"),
        "delay_max_s": Param(3.0, "longest delay from a pairing to its reward", low=0.0, high=60.0, unit="s"),
        "burst_ms": Param(100.0, "how long the reward input drives the dopamine cells", low=1.0, high=5000.0,
                          unit="ms"),
        "magnitude": Param(1.0, "reward magnitude (the reward input fires at its peak rate times this); 0: the "
                           "pairings earn nothing, the control", low=0.0, high=10.0),
        "synapse": Param("chosen", "the plastic projection, between two one-cell regions, whose pairing is "
                         "rewarded"),
    }
    reference_params: dict = {}
    decision_params: dict = {}
    default_trials = 200
    default_circuit = "stdp_network"
    needs = ("reward",)

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        if self.p["delay_max_s"] < self.p["delay_min_s"]:
            raise ConfigError(f"task.delay_max_s={self.p['delay_max_s']} must be at least "
                              f"task.delay_min_s={self.p['delay_min_s']}")
        self.duration = float(self.p["epoch_s"])
        self.pair: tuple[str, str] = ("presynaptic", "postsynaptic")
        #: each plastic projection's w_max (set by check_circuit): weights are compared as w / w_max
        self.bounds: dict[str, float] = {}

    # -- the circuit -----------------------------------------------------------
    def check_mode(self, mode: str) -> None:
        if mode != "spiking":
            raise ConfigError(f"task distal_reward runs in spiking mode only (it is {mode!r}): its pairing and the "
                              "DA-STDP rule need the spike times of two cells, which rate units do not have; "
                              "use --mode spiking")

    def check_circuit(self, graph) -> None:
        super().check_circuit(graph)
        name = self.p["synapse"]
        plastic = {n: (source, target) for n, source, target, a in graph.projections() if a["rule"]}
        if name not in plastic:
            raise ConfigError(f"task.synapse={name!r} must be a plastic projection of circuit {graph.name!r} "
                              f"(it has: {', '.join(plastic) or 'none'})")
        ends = plastic[name]
        sizes = [graph.region(r)["params"]["size"] for r in ends]
        if sizes != [1, 1]:
            raise ConfigError(f"task.synapse={name!r} joins {ends[0]!r} ({sizes[0]} cells) to {ends[1]!r} "
                              f"({sizes[1]} cells); the rewarded synapse joins two one-cell regions")
        self.pair = ends
        self.bounds = {n: graph.projection(n)["params"]["w_max"] for n in plastic}

    # -- the session -----------------------------------------------------------
    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        # the delays are drawn in the compiled run (from the run's seed): a pairing's time is not known beforehand
        return {"trial": np.arange(n_trials)}

    def program(self, draws: dict, n_trials: int) -> TaskProgram:
        dt = DT_MS["spiking"] / 1000
        seconds = {"WINDOW_STEPS": self.p["window_ms"] / 1000, "BURST_STEPS": self.p["burst_ms"] / 1000,
                   "DELAY_STEPS": self.p["delay_min_s"],
                   "DELAY_RANGE_STEPS": self.p["delay_max_s"] - self.p["delay_min_s"]}
        constants = {name: int(round(s / dt)) for name, s in seconds.items()}
        paired = """
            lag = timestep(t, dt) - pre_step
            paired = int(lag > 0) * int(lag <= WINDOW_STEPS)
            pairings += paired
            rewarded = paired * int(timestep(t, dt) >= due_step + BURST_STEPS)
            rewards += rewarded
            wait_steps = DELAY_STEPS + int(rand() * (DELAY_RANGE_STEPS + 1))
            due_step = rewarded * (timestep(t, dt) + wait_steps) + (1 - rewarded) * due_step
            """
        delivering = "int(timestep(t, dt) >= task_due_step) * int(timestep(t, dt) < task_due_step + BURST_STEPS)"
        return TaskProgram(
            trial_s=self.duration, cue_s=0.0, outcome_s=self.duration - dt, n_actions=0, n_trials=n_trials,
            variables="pre_step : integer\ndue_step : integer\npairings : integer\nrewards : integer\n",
            signals={"reward": f"{self.p['magnitude']} * {delivering}"}, log=("trial", "pairings", "rewards"),
            decision_region=None, constants=constants, progress=("trial", n_trials, "epochs"),
            initial={"pre_step": -2**30, "due_step": -2**30},
            watches=(SpikeWatch(self.pair[0], "True", "pre_step = timestep(t, dt)"),
                     SpikeWatch(self.pair[1], "True", paired)))

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        """Per epoch: the pairings and rewards in it (the log counts them since the start, at each epoch's end)."""
        return {"trial": events["trial"], "t_end": (events["trial"] + 1) * self.duration,
                "pairings": np.diff(events["pairings"], prepend=0), "rewards": np.diff(events["rewards"], prepend=0)}

    # -- what the circuit did --------------------------------------------------
    def measure(self, rec, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The chosen weight against a sample of the others at each epoch's end, and the mean rates."""
        bounds = self.bounds
        name = self.p["synapse"]
        times, chosen = rec.weights[name]
        others = [(t, w / bounds[n]) for n, (t, w) in rec.weights.items() if n != name and w.size]
        out = {k: [] for k in ("chosen_weight", "others_median", "others_p99", "chosen_rank")}
        for end in table["t_end"]:
            now = chosen[0, min(np.searchsorted(times, end - 1e-9), len(times) - 1)] / bounds[name]
            sample = np.concatenate([w[:, min(np.searchsorted(t, end - 1e-9), len(t) - 1)] for t, w in others]) \
                if others else np.array([np.nan])
            out["chosen_weight"].append(now)
            out["others_median"].append(np.median(sample))
            out["others_p99"].append(np.percentile(sample, 99))
            out["chosen_rank"].append(np.mean(sample < now))
        for column, region in (("rate_excitatory", "excitatory"), ("rate_dopamine", "vta")):
            out[column] = (rec.population_rate(region, self.duration)[1][table["trial"]] if region in rec.sizes
                           else np.full(len(table["trial"]), np.nan))
        self._final = self._against_all(rec, bounds)
        return {k: np.array(v, dtype=float) for k, v in out.items()}

    def _against_all(self, rec, bounds: dict[str, float]) -> dict[str, float]:
        name = self.p["synapse"]
        chosen = float(rec.final_weights[name][2][0] / bounds[name])
        others = np.concatenate([w / bounds[n] for n, (_, _, w) in rec.final_weights.items() if n != name])
        p99 = float(np.percentile(others, 99))
        return {"chosen_weight": chosen, "others_median": float(np.median(others)), "others_p99": p99,
                "chosen_percentile": float(100 * np.mean(others < chosen)), "above_99th": float(chosen > p99),
                "other_plastic_synapses": float(others.size)}

    def reference_learner(self, reference: dict) -> str:
        return self.learner

    def reference(self, table, session, **params) -> dict[str, np.ndarray]:
        return {}  # no abstract learner: see the module's docstring

    def headline(self, table: dict[str, np.ndarray]) -> dict[str, float]:
        return {**self._final, "pairings": float(table["pairings"].sum()), "rewards": float(table["rewards"].sum()),
                "rate_excitatory": float(np.mean(table["rate_excitatory"]))}

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {"distal_reward": plots.distal_reward}

    def length(self, n_trials: int) -> str:
        return f"{n_trials * self.duration:.0f} s simulated, in epochs of {self.duration:g} s"
