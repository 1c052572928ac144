"""Variable reward magnitude: one cue, a reward drawn from a distribution (Dabney et al. 2020).

A Pavlovian trial (see :mod:`dopasim.tasks.pavlovian`) whose US magnitude is
drawn every trial from ``magnitudes`` with ``magnitude_probs`` (equally likely
by default). On the ``distributional`` circuit each DA channel scales positive
and negative errors by its own asymmetry and trains its own value channel, so
the channels' reversal points (the magnitude at which their US response changes
sign) spread over the distribution and rise with asymmetry.

Measured over the second half of the session, per DA channel ("neuron" below,
as in the recordings: a channel's cells share their inputs and asymmetry):
its ``asymmetry`` (slope of the US response above the reversal point over the
sum of both slopes) and ``reversal_point``, on disjoint halves of the trials
(:mod:`dopasim.analysis.distributional`). They go to ``da_neurons.csv`` with
the reference's reversal point (``ref_reversal_point``: expectile TD(lambda) at
the channel's designed asymmetry, on the same trials). Summary:
``asymmetry_reversal_corr`` (Pearson r over neurons), ``reversal_spread`` (s.d.
of the reversal points), and the distribution decoded from the pairs
(asymmetry, reversal point): ``decoded_mean``, ``decoded_sd``,
``decoded_modes`` (peaks of its kernel density, a tenth of the magnitude range
wide, that stand out by a fifth of the highest), ``decoded_wasserstein``
(distance to the true distribution), and ``true_mean``.

Trial table columns: those of ``pavlovian`` plus ``magnitude``,
``da_us_chNN``, the US response of every DA channel (Hz, baseline subtracted),
and ``ref_value_us_chNN``, the reference's value before each trial at that
channel's asymmetry.
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.distributional import decode, modes, neuron_table
from dopasim.circuits.regions.vta import asymmetries
from dopasim.models.td import TDLambda
from dopasim.params import ConfigError, Param
from dopasim.tasks.choice import parse_probs
from dopasim.tasks.pavlovian import Pavlovian, corr

#: reward magnitudes of Dabney et al. (2020; 0.1-20 ul of juice), in tenths of 2 ul
DABNEY_MAGNITUDES = "0.01,0.03,0.12,0.25,0.5,1.0,2.0"


def _parse_magnitudes(text: str) -> np.ndarray:
    try:
        values = np.array([float(v) for v in str(text).split(",") if v.strip()])
    except ValueError:
        values = np.array([])
    if len(values) < 2 or np.any(values < 0) or len(np.unique(values)) != len(values):
        raise ConfigError(f"task.magnitudes={text!r} must list at least two different magnitudes >= 0, "
                          "comma-separated (e.g. 0.1,0.5,1.0)")
    return values


class VariableMagnitude(Pavlovian):
    name = "variable_magnitude"
    summary = "one cue, reward magnitude drawn from a distribution; distributional DA (Dabney et al. 2020)"
    params = {
        **{k: v for k, v in Pavlovian.params.items() if k not in ("reward_magnitude", "drug", "reward_prob")},
        "magnitudes": Param(DABNEY_MAGNITUDES, "reward magnitudes, comma-separated"),
        "magnitude_probs": Param("", "their probabilities, comma-separated (empty: equally likely)"),
    }
    default_trials = 400
    default_circuit = "distributional"

    takes_protocol = False

    def __init__(self, protocol=None, **params):
        if protocol is not None:
            raise ConfigError("task variable_magnitude takes no protocol: its rewards come from task.magnitudes "
                              "(a protocol runs with task pavlovian)")
        super().__init__(**params)
        listed = _parse_magnitudes(self.p["magnitudes"])
        order = np.argsort(listed)
        self.magnitudes = listed[order]
        if self.p["magnitude_probs"]:
            probs = parse_probs("magnitude_probs", self.p["magnitude_probs"])
            if len(probs) != len(self.magnitudes) or not np.isclose(probs.sum(), 1.0):
                raise ConfigError(f"task.magnitude_probs={self.p['magnitude_probs']!r} needs one probability per "
                                  f"magnitude ({len(self.magnitudes)}), summing to 1")
            self.probs = probs[order]
        else:
            self.probs = np.full(len(self.magnitudes), 1 / len(self.magnitudes))
        self.asymmetry_spread, self.channels = 0.0, 1

    def check_circuit(self, graph) -> None:
        super().check_circuit(graph)
        # the reference's expectile learners take the asymmetries the circuit's DA channels were built with
        self.asymmetry_spread = graph.region("vta")["params"].get("asymmetry_spread", 0.0)
        self.channels = graph.channels("vta")

    def _draw_reward(self) -> float:
        return float(self.np_random.choice(self.magnitudes, p=self.probs))

    def trials(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Magnitudes drawn once and shared by circuit and reference; ``omit_trials`` withhold theirs."""
        omitted = self._probes(n_trials)
        self._types = [self.session_protocol(n_trials).phases[0].types[0]] * n_trials
        magnitude = rng.choice(self.magnitudes, size=n_trials, p=self.probs)
        return {"trial": np.arange(n_trials), "reward": np.where(omitted, 0.0, magnitude),
                "omitted": omitted.astype(int), "magnitude": magnitude}

    def measure(self, rec, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """As ``pavlovian``, and each DA channel's response at the US (``da_us_chNN``)."""
        trials = table
        out = super().measure(rec, table)
        t, channels = rec.channel_rates(self.dopamine_region)
        w = self.p["window_ms"] / 1000
        us, base = (self.window_means(channels, t[1] - t[0], trials["trial"], offset, w)
                    for offset in (self.us, self.cs - w))
        responses = us - base
        out.update({f"da_us_ch{c:02d}": responses[:, c] for c in range(responses.shape[1])})
        return out

    def reference(self, table, session, alpha, lam, gamma):
        """TD(lambda) on the mean (as ``pavlovian``), and expectile TD(lambda) at each DA channel's asymmetry.

        ``ref_value_us_chNN``: the expectile learner's value of the last CS
        state before each trial, for the channel's designed asymmetry.
        """
        trials, step_ms = table, self.reference_step_ms(session.graph)
        out = super().reference(table, session, alpha, lam, gamma)
        taus = asymmetries(self.asymmetry_spread, self.channels)
        learners = [TDLambda(self.n_features(step_ms), alpha=alpha, lam=lam, gamma=gamma, tau=tau) for tau in taus]
        _, _, values = self.play_reference(trials, step_ms, learners)
        out.update({f"ref_value_us_ch{c:02d}": values[c] for c in range(len(taus))})
        return out

    def neurons(self, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per-DA-channel asymmetry and reversal point over the second half of the session."""
        late = (table["trial"] >= len(table["trial"]) // 2) & (table["omitted"] == 0)
        columns = sorted(c for c in table if c.startswith("da_us_ch"))
        responses = np.column_stack([table[c][late] for c in columns])
        rows = neuron_table(table["magnitude"][late], responses)
        if "ref_value_us_ch00" in table:
            rows["ref_asymmetry"] = np.array(asymmetries(self.asymmetry_spread, len(columns)))
            rows["ref_reversal_point"] = np.array([table[f"ref_value_us_ch{c:02d}"][-1] for c in range(len(columns))])
        return rows

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {**super().figures(), "distributional": plots.distributional}

    def extra_tables(self, table: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
        """Files besides trials.csv: ``da_neurons.csv``, one row per DA channel."""
        return {"da_neurons.csv": self.neurons(table)}

    def headline(self, table: dict[str, np.ndarray]) -> dict[str, float]:
        out = super().headline(table)
        rows = self.neurons(table)
        tau, reversal = rows["asymmetry"], rows["reversal_point"]
        ok = np.isfinite(tau) & np.isfinite(reversal)
        out["neurons_measured"] = int(ok.sum())
        # identical channels (no asymmetry spread, no noise) share one reversal point: no correlation to speak of
        spread_out = ok.sum() > 2 and np.ptp(reversal[ok]) > 1e-6 * np.ptp(self.magnitudes)
        out["asymmetry_reversal_corr"] = corr(tau[ok], reversal[ok]) if spread_out else None
        out["reversal_spread"] = float(np.std(reversal[ok])) if ok.any() else None
        if ok.sum() >= 2:
            from scipy.stats import wasserstein_distance

            decoded = decode(tau[ok], reversal[ok])
            out.update(decoded_mean=float(decoded.mean()), decoded_sd=float(decoded.std()),
                       decoded_modes=modes(decoded, bandwidth=np.ptp(self.magnitudes) / 10),
                       decoded_wasserstein=float(wasserstein_distance(decoded, self.magnitudes, v_weights=self.probs)))
        out["true_mean"] = float(self.magnitudes @ self.probs)
        return out
