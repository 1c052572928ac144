"""
Extending dopasim: a lateral habenula, a plasticity rule and a task of your own
===============================================================================

Lateral habenula (LHb) neurons are excited when an expected reward is omitted
and inhibited by reward and by cues that predict it; they inhibit dopamine
neurons (through the RMTg), so an omission's dip in dopamine follows their
burst (Matsumoto & Hikosaka 2007; Hong et al. 2011). This file adds to dopasim,
without touching the package:

* a region type, ``lateral_habenula``: a population firing tonically at about
  5 Hz, which its inputs raise and lower;
* a plasticity rule, ``dip_potentiation``: cortex -> LHb synapses whose
  eligibility is potentiated by dopamine dips and depressed by bursts (the
  opposite sign of the D1 rule), so the habenula comes to fire where rewards
  tend to be withheld;
* a task, ``omission_probes``: a CS predicts a reward after 1 s, always during
  training, then withheld on a fraction of the trials.

The LHb reads the same value signal as the VTA with the opposite sign (slow
excitation minus fast inhibition: a fall of value excites it) and is inhibited
by the reward; it inhibits the VTA, whose tonic drive is raised by as much as
the habenula's tonic inhibition takes away, so that dopamine rests at the
same 5 Hz with or without it. The script runs the task on the ``critic``
preset with and without the habenula, in rate and spiking mode, checks that
the habenula fires on omission and that the omission dip deepens with it, and
draws both.

    python examples/extend_habenula.py --out habenula.png
"""

from __future__ import annotations

import argparse

import matplotlib.pyplot as plt
import numpy as np

import dopasim
from dopasim.models.plasticity import three_factor_equations
from dopasim.models.td import TDLambda
from dopasim.params import Param, resolve

# -- a region type: the lateral habenula ------------------------------------------------------------------
LATERAL_HABENULA = dopasim.register_region(dopasim.RegionType(
    name="lateral_habenula",
    kind="epithalamus",
    summary="lateral habenula: excited by omitted reward, inhibits dopamine cells (Matsumoto & Hikosaka 2007)",
    params=dopasim.population_params(size=40, tau_ms=20.0, baseline_hz=5.0),
), replace=True)


# -- a plasticity rule: dopamine dips potentiate ------------------------------------------------------------
def build_dip_potentiation(projection: dopasim.Projection) -> dopasim.SynapseCode:
    """The synapse's eligibility (presynaptic activity through a tag) times the dopamine dip below tonic."""
    import brian2 as b2

    p = projection.params
    model, on_pre, on_post = three_factor_equations(projection.mode, "none")
    namespace = {"tag_tau": p["tag_ms"] * b2.ms, "elig_tau": p["eligibility_ms"] * b2.ms,
                 "learning_rate": p["learning_rate"] * b2.second, "w_max": p["w_max"],
                 "spread": p["w_init_spread"], **projection.dopamine()}
    update = "w = clip(w - learning_rate * elig * (dopamine_post - dopamine_tonic) * dt, 0, w_max)"
    return dopasim.SynapseCode(model, on_pre, on_post, namespace, update)


DIP_POTENTIATION = dopasim.register_rule(dopasim.Rule(
    name="dip_potentiation",
    summary="eligibility x dopamine below tonic: dips potentiate, bursts depress (habenular inputs)",
    params={
        "learning_rate": Param(0.05, "weight change per second per Hz of eligibility per Hz of dip", low=0.0,
                               high=100.0, unit="s"),
        "tag_ms": Param(100.0, "time constant of each tag stage", low=1.0, high=10_000.0, unit="ms"),
        "eligibility_ms": Param(400.0, "decay of the eligibility trace", low=10.0, high=100_000.0, unit="ms"),
        "w_max": Param(2.0, "upper weight bound", low=0.0, low_inclusive=False, high=1e6),
        "w_init_spread": Param(0.5, "initial weights uniform in weight*(1 +- spread)", low=0.0, high=1.0),
    },
    dopamine_gated=True,
), build_dip_potentiation, replace=True)


# -- a task: omission probes after training ------------------------------------------------------------------
class OmissionProbes(dopasim.SignalTask):
    """A CS predicts a reward 1 s later; after ``train_trials`` rewarded trials it is withheld at random.

    Trial table: ``trial``, ``reward``, ``omitted``, ``probe`` (1 after training), ``da_us`` and ``lhb_us``
    (population rate in the window after the US time minus that before the CS, Hz; ``lhb_us`` NaN without a
    habenula), ``td_us`` (the reference TD(0) error at the US).
    """

    name = "omission_probes"
    summary = "a CS predicts reward; after training it is withheld at random (Matsumoto & Hikosaka 2007)"
    params = {
        "trial_ms": Param(2500.0, "duration of one trial", low=1000.0, high=60_000.0, unit="ms"),
        "cs_onset_ms": Param(500.0, "CS onset within the trial", low=300.0, high=10_000.0, unit="ms"),
        "cs_us_interval_ms": Param(1000.0, "CS onset to US", low=100.0, high=2000.0, unit="ms"),
        "train_trials": Param(40, "trials always rewarded before the probes", low=0, high=100_000),
        "reward_prob": Param(0.6, "probability of reward after training", low=0.0, high=1.0),
        "window_ms": Param(300.0, "length of the response windows", low=50.0, high=1000.0, unit="ms"),
    }
    reference_params = {"alpha": Param(0.1, "the reference TD(0)'s learning rate", low=0.0, high=1.0)}
    learner = "td0"
    default_trials = 80
    default_circuit = "critic"
    needs = ("cortex", "reward", "ventral_striatum", "vta")

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        self.duration = self.p["trial_ms"] / 1000
        self.cs = self.p["cs_onset_ms"] / 1000
        self.us = self.cs + self.p["cs_us_interval_ms"] / 1000

    def trials(self, n_trials, rng):
        probe = np.arange(n_trials) >= self.p["train_trials"]
        omitted = probe & (rng.random(n_trials) >= self.p["reward_prob"])
        return {"trial": np.arange(n_trials), "reward": np.where(omitted, 0.0, 1.0), "omitted": omitted.astype(int),
                "probe": probe.astype(int)}

    def signals(self, trials):
        t = np.arange(int(round(self.duration * 1000))) / 1000
        since_cs = np.where((t >= self.cs) & (t < self.us), t - self.cs, -1.0)
        volley = (t >= self.us) & (t < self.us + 0.05)
        return {"cs": np.tile(since_cs, len(trials["trial"])),
                "reward": (volley[None, :] * trials["reward"][:, None]).ravel()}

    def measure(self, rec, table):
        window = self.p["window_ms"] / 1000
        out = {}
        for column, region in (("da_us", "vta"), ("lhb_us", "lateral_habenula")):
            if region not in rec.sizes:
                out[column] = np.full(len(table["trial"]), np.nan)
                continue
            t, rate = rec.population_rate(region)
            bins = int(round(window / (t[1] - t[0])))

            def mean_from(offset):
                first = np.round((table["trial"] * self.duration + offset) / (t[1] - t[0])).astype(int)
                return np.array([rate[i:i + bins].mean() for i in first])

            out[column] = mean_from(self.us) - mean_from(self.cs - window)
        return out

    def reference(self, table, session, alpha):
        """TD(0) over the circuit's serial-compound steps (state 0: before the CS, held at 0)."""
        element_ms = session.graph.region("cortex")["params"]["element_ms"]
        steps = max(1, int(round(self.p["cs_us_interval_ms"] / element_ms)))
        td = TDLambda(steps + 1, alpha=alpha, lam=0.0, gamma=1.0, frozen=[0])
        errors = [td.episode(list(range(steps + 1)), [0.0] * steps + [r])[steps] for r in table["reward"]]
        return {"td_us": np.array(errors)}

    def headline(self, table):
        probe = table["probe"] == 1
        omitted, rewarded = probe & (table["omitted"] == 1), probe & (table["omitted"] == 0)

        def mean(column, rows):
            return float(np.mean(table[column][rows])) if rows.any() and np.isfinite(table[column]).all() else None

        return {"da_us_omitted": mean("da_us", omitted), "da_us_rewarded": mean("da_us", rewarded),
                "lhb_us_omitted": mean("lhb_us", omitted), "lhb_us_rewarded": mean("lhb_us", rewarded),
                "probes_omitted": int(omitted.sum())}

    def events(self):
        return {"stimulus": self.cs, "outcome": self.us}

    def figures(self):
        return {"omission": omission_figure}


def omission_figure(res, ax=None):
    """DA and LHb rates through the probe trials, rewarded against omitted (a figure function: ax= in, figure out)."""
    regions = [r for r in ("vta", "lateral_habenula") if r in res.recording.sizes]
    if ax is None:
        fig, ax = plt.subplots(1, len(regions), figsize=(5 * len(regions), 3.5), squeeze=False)
    axes = np.ravel(ax)
    for panel, region in zip(axes, regions):
        t, rate = res.recording.population_rate(region)
        per = int(round(res.task.duration / (t[1] - t[0])))
        trials = rate[:len(res.trials["trial"]) * per].reshape(-1, per)
        probe = res.trials["probe"] == 1
        for omitted, colour, label in ((0, "#c44e52", "rewarded"), (1, "k", "omitted")):
            rows = probe & (res.trials["omitted"] == omitted)
            if rows.any():
                panel.plot(t[:per], trials[rows].mean(axis=0), color=colour, label=label)
        for event, at in res.task.events().items():
            panel.axvline(at, color="#4c72b0" if event == "stimulus" else "#c44e52", ls=":", lw=0.8)
        panel.set(xlabel="time in trial (s)", ylabel="rate (Hz)", title=f"{region}, probe trials ({res.mode})")
        panel.legend(fontsize=8)
    return axes[0].figure


# -- the circuit: the critic with a habenula wired in ------------------------------------------------------
def with_habenula(graph: dopasim.CircuitGraph) -> dopasim.CircuitGraph:
    """The critic plus a lateral habenula that reads value with the sign opposite to the VTA's."""
    graph = graph.copy()
    graph.add_region("lateral_habenula", "lateral_habenula")
    # value through the pallidum (GPb): slow excitation minus fast inhibition, so a fall of value excites
    graph.add_projection("value_to_habenula_slow", "ventral_striatum", "lateral_habenula", "excitatory",
                         weight=1.0, tau_ms=100.0)
    graph.add_projection("value_to_habenula_fast", "ventral_striatum", "lateral_habenula", "inhibitory",
                         weight=1.0, tau_ms=20.0)
    # a delivered reward inhibits it, with the slow kernel the VTA's reward input has
    graph.add_projection("reward_to_habenula", "reward", "lateral_habenula", "inhibitory", weight=0.3,
                         tau_ms=100.0)
    # cortex -> habenula, learning where dips come; dopamine reaches the habenula from the VTA
    graph.add_projection("cortex_to_habenula", "cortex", "lateral_habenula", "excitatory",
                         rule="dip_potentiation", weight=0.1, tau_ms=5.0)
    graph.add_projection("vta_to_habenula", "vta", "lateral_habenula", "dopamine", weight=1.0)
    # habenula -> VTA, through the RMTg's GABA cells; the DA cells' drive makes up for its tonic part
    graph.add_projection("habenula_to_vta", "lateral_habenula", "vta", "inhibitory", weight=1.0, tau_ms=50.0)
    habenula_tonic = graph.region("lateral_habenula")["params"]["baseline_hz"]
    inhibition = habenula_tonic * graph.projection("habenula_to_vta")["params"]["weight"]
    graph.set("vta.baseline_hz", graph.region("vta")["params"]["baseline_hz"] + inhibition)
    return graph


def main() -> int:
    parser = argparse.ArgumentParser(description='Extending dopasim')
    parser.add_argument("--trials", type=int, default=OmissionProbes.default_trials)
    parser.add_argument("--modes", nargs="+", default=["rate", "spiking"], choices=["rate", "spiking"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="also write the figure to this file")
    args = parser.parse_args()
    assert dopasim.check_task(OmissionProbes) == [], dopasim.check_task(OmissionProbes)
    critic = dopasim.make_circuit("critic")
    print("the habenula's equations (rate mode):", with_habenula(critic).equations("lateral_habenula", "rate"))
    fig, axes = plt.subplots(len(args.modes), 3, figsize=(15, 3.6 * len(args.modes)), squeeze=False)
    ok = True
    for row, mode in zip(axes, args.modes):
        runs = {label: dopasim.run(OmissionProbes(), circuit=graph, mode=mode, trials=args.trials, seed=args.seed,
                                   progress=False)
                for label, graph in (("without", critic), ("with", with_habenula(critic)))}
        s_without, s_with = runs["without"].summary, runs["with"].summary
        print(f"{mode}: habenula at the US {s_with['lhb_us_omitted']:+.2f} Hz omitted vs "
              f"{s_with['lhb_us_rewarded']:+.2f} Hz rewarded; DA dip on omission {s_without['da_us_omitted']:+.2f} "
              f"Hz without the habenula, {s_with['da_us_omitted']:+.2f} Hz with it "
              f"({s_with['probes_omitted']} omitted probes)")
        fires = s_with["lhb_us_omitted"] > s_with["lhb_us_rewarded"] + 1.0
        deepens = s_with["da_us_omitted"] < s_without["da_us_omitted"] - 0.2
        ok &= fires and deepens
        omission_figure(runs["with"], ax=row[:2])
        row[2].bar([0, 1], [s_without["da_us_omitted"], s_with["da_us_omitted"]], color=["#999999", "#c44e52"])
        row[2].set_xticks([0, 1], ["critic", "critic + habenula"])
        row[2].set(ylabel="DA at omitted US (Hz vs baseline)", title=f"the omission dip ({mode})")
    fig.tight_layout()
    if args.out:
        fig.savefig(args.out, dpi=100)
    print("habenula fires on omission and deepens the dip:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__" and main() != 0:
    raise SystemExit(1)  # the habenula did not do what it should (the tests run this file)
