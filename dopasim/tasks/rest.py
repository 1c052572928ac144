"""Rest: no stimuli, no reward; the circuit's spontaneous activity, for its rhythms.

The session is cut into epochs of ``epoch_ms``; the first ``settle_ms`` are
left out while the network settles from its random start. The LFP proxy is the
summed population rate of the STN and the GPe (see
:mod:`dopasim.analysis.spectra`), binned at 1 ms in spiking mode and at the
recording step (10 ms) in rate mode. Dopamine loss in the SNc brings out beta
(13-30 Hz) oscillations in the STN and GPe of parkinsonian patients and animals
(Brown et al. 2001; Mallet et al. 2008); this task measures them.

Rate mode has no axonal delays, so the STN-GPe loop cannot ring at beta there:
the rhythm is a spiking-mode measure.

Trial table columns (one row per epoch): ``trial``, ``t_start`` (s), ``rate_stn``,
``rate_gpe``, ``rate_snc`` (mean rates, Hz), ``beta_fraction_stn``,
``beta_fraction_gpe``, ``beta_fraction_lfp`` (fraction of 4 Hz-and-up power in
13-30 Hz). Summary: ``beta_fraction_*``, ``beta_peak_hz_*`` and
``beta_peak_ratio_*`` for stn, gpe and lfp over the whole session (after
``settle_ms``), and the mean rates.
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.spectra import band_measures, power_spectrum
from dopasim.circuits.regions import REGIONS
from dopasim.params import ConfigError, Param, resolve
from dopasim.tasks.base import SIGNAL_DT, NothingToPlay, SignalTask

#: the value of each signal when nothing happens (the cortex's serial compound reads -1 as "no stimulus")
QUIET = {"cs": -1.0}
LFP = ("stn", "gpe")
#: the STN's resting drive: it then fires at about 20 Hz against the GPe's inhibition (about 10-20 Hz in
#: vivo; Bevan & Wilson 1999: autonomous pacemaking plus cortical input)
RESTING_STN_HZ = 75.0
#: STN -> GPe and GPe -> STN conduction delays (a few ms; Holgado, Terry & Bogacz 2010 use 6 ms in a rate
#: model whose units have no membrane time constant of their own)
LOOP_DELAY_MS = 2.5


class Rest(NothingToPlay, SignalTask):
    name = "rest"
    summary = "no stimuli: spontaneous activity, STN/GPe LFP proxy and its beta band (13-30 Hz)"
    learner = "none"
    params = {
        "epoch_ms": Param(2000.0, "length of one epoch (one row of the trial table)", low=200.0, high=600_000.0,
                          unit="ms"),
        "settle_ms": Param(500.0, "start of the session left out of the spectra", low=0.0, high=60_000.0,
                           unit="ms"),
    }
    reference_params: dict = {}
    default_trials = 5
    default_circuit = "actor_critic"
    needs = LFP

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        self.duration = self.p["epoch_ms"] / 1000
        self.settle = self.p["settle_ms"] / 1000
        if self.settle >= self.duration:
            raise ConfigError(f"task.settle_ms={self.p['settle_ms']:.0f} must be shorter than one epoch "
                              f"(epoch_ms={self.p['epoch_ms']:.0f})")
        self._inputs: dict[str, int | None] = {}

    def circuit_shape(self, mode: str | None = None) -> dict:
        """The resting state: an STN that fires, and STN <-> GPe delays where spikes travel (spiking mode)."""
        return {"stn_baseline_hz": RESTING_STN_HZ, "loop_delay_ms": LOOP_DELAY_MS if mode == "spiking" else 0.0}

    # -- the circuit's session ---------------------------------------------
    def check_circuit(self, graph) -> None:
        missing = [r for r in self.needs if r not in graph.regions()]
        if missing:
            raise ConfigError(f"task rest measures the STN and GPe; circuit {graph.name!r} has no "
                              f"{', '.join(missing)}")
        # every input held quiet: a column per stimulus or channel where the region reads one
        self._inputs = {}
        for region in graph.regions():
            spec, params = REGIONS[graph.region(region)["region"]], graph.region(region)["params"]
            if spec.is_input:
                indexed = []
                spec.input_rate(params, lambda index=None: indexed.append(index is not None) or "0")
                columns = params.get("stimuli", graph.channels(region))
                self._inputs[spec.signal] = columns if any(indexed) else None

    def trials(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        trial = np.arange(n_trials)
        return {"trial": trial, "t_start": trial * self.duration}

    def signals(self, trials: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        steps = int(round(len(trials["trial"]) * self.duration / SIGNAL_DT))
        return {name: np.full((steps,) if cols is None else (steps, cols), QUIET.get(name, 0.0))
                for name, cols in self._inputs.items()}

    def lfp(self, rec) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """(times, LFP proxy, population rates) at the finest step the recording allows."""
        bin_s = 0.001 if rec.mode == "spiking" else 0.01
        rates = {}
        for region in LFP:
            t, rates[region] = rec.population_rate(region, bin_s)
        return t, rates["stn"] + rates["gpe"], rates

    def measure(self, rec, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per epoch: the mean STN, GPe and SNc rates and the beta fraction of each signal's spectrum."""
        trials = table
        t, lfp, rates = self.lfp(rec)
        fs = 1 / (t[1] - t[0])
        signals = {**rates, "lfp": lfp}
        out = {f"rate_{r}": [] for r in ("stn", "gpe", "snc")}
        out.update({f"beta_fraction_{s}": [] for s in signals})
        snc = rec.population_rate("snc", t[1] - t[0])[1] if "snc" in rec.sizes else np.zeros_like(t)
        for start in trials["t_start"]:
            keep = (t >= max(start, self.settle)) & (t < start + self.duration)
            for name, x in (("stn", rates["stn"]), ("gpe", rates["gpe"]), ("snc", snc)):
                out[f"rate_{name}"].append(x[keep].mean() if keep.any() else np.nan)
            for name, x in signals.items():
                measures = band_measures(*power_spectrum(x[keep], fs)) if keep.sum() > 8 else {"fraction": np.nan}
                out[f"beta_fraction_{name}"].append(measures["fraction"])
        self._session = {name: band_measures(*power_spectrum(x[t >= self.settle], fs)) for name, x in signals.items()}
        return {k: np.array(v, dtype=float) for k, v in out.items()}

    def reference(self, table, session, **params) -> dict[str, np.ndarray]:
        return {}  # nothing is learned at rest

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {"spectrum": plots.lfp_spectrum}

    def headline(self, table: dict[str, np.ndarray]) -> dict[str, float]:
        out = {}
        for name, measures in self._session.items():
            for key, value in measures.items():
                out[f"beta_{key}_{name}"] = value if np.isfinite(value) else None
        for region in ("stn", "gpe", "snc"):
            out[f"rate_{region}"] = float(np.nanmean(table[f"rate_{region}"]))
        return out
