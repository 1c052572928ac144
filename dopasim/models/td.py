"""Abstract reference learners: tabular TD(0) and TD(lambda).

These run on the very trial sequence the circuit saw (same stimuli, same
outcomes); nothing from them is fed to the circuit.
"""

from __future__ import annotations

import numpy as np

from dopasim.params import Param

REFERENCE_PARAMS = {
    "alpha": Param(0.02, "learning rate", low=0.0, high=1.0),
    "lam": Param(0.8, "eligibility decay per step (lambda); 0 gives TD(0)", low=0.0, high=1.0),
    "gamma": Param(1.0, "discount per step", low=0.0, high=1.0),
}


class TDLambda:
    """Tabular TD(lambda) with accumulating traces (Sutton 1988).

    Parameters
    ----------
    n_states : int
        Number of states; the terminal state is implicit and has value 0.
    alpha, lam, gamma : float
        Learning rate, trace decay and discount.
    frozen : iterable of int
        States whose value is held at 0 (states with no features, such as the
        inter-trial interval before an unpredictable CS).
    tau : float
        Asymmetry: positive errors are weighted by ``2 tau``, negative ones by
        ``2 (1 - tau)``, so values settle at the ``tau``-expectile of the
        return (expectile TD; Rowland et al. 2019). 0.5: plain TD.
    quantile : bool
        Count each error by its sign only, ``2 tau`` up and ``2 (1 - tau)``
        down, so values settle at the ``tau``-quantile of the return instead
        (quantile TD; Dabney et al. 2018). ``tau=0.5``: the median.

    Examples
    --------
    >>> td = TDLambda(3, alpha=0.5, lam=0.0)
    >>> td.episode([0, 1, 2], [0.0, 0.0, 1.0]).round(2).tolist()
    [0.0, 0.0, 1.0]
    >>> float(td.values[2])
    0.5
    """

    def __init__(self, n_states: int, alpha: float = 0.02, lam: float = 0.8, gamma: float = 1.0,
                 frozen=(), tau: float = 0.5, quantile: bool = False):
        self.values = np.zeros(n_states)
        self.alpha, self.lam, self.gamma, self.tau, self.quantile = alpha, lam, gamma, tau, quantile
        self.learns = np.ones(n_states, dtype=bool)
        self.learns[list(frozen)] = False

    def episode(self, states, rewards) -> np.ndarray:
        """Run one episode; ``rewards[k]`` arrives on leaving ``states[k]``.

        ``states`` are state indices (tabular TD), or one feature vector per
        step (a 2-D array): linear TD over the features, a state's value the
        weights (``values``) times its features, so cues shown together add
        (Sutton & Barto 1990). One-hot features give the tabular learner,
        to the last bit. The last transition enters the terminal state.
        Returns the TD error of every transition.
        """
        if len(states) != len(rewards):
            raise ValueError(f"an episode needs one reward per state: got {len(states)} states "
                             f"and {len(rewards)} rewards")
        linear = np.ndim(states) == 2
        features = np.asarray(states, dtype=float) if linear else None
        value = (lambda k: features[k] @ self.values) if linear else (lambda k: self.values[states[k]])
        trace = np.zeros_like(self.values)
        errors = np.empty(len(states))
        for k, r in enumerate(rewards):
            v_next = value(k + 1) if k + 1 < len(states) else 0.0
            errors[k] = r + self.gamma * v_next - value(k)
            trace *= self.gamma * self.lam
            if linear:
                trace += features[k]
            else:
                trace[states[k]] += 1.0
            size = np.sign(errors[k]) if self.quantile else errors[k]
            scaled = size * 2 * (self.tau if errors[k] > 0 else 1 - self.tau)
            self.values += self.alpha * scaled * trace * self.learns
        return errors


def TD0(n_states: int, alpha: float = 0.02, gamma: float = 1.0, frozen=()) -> TDLambda:
    """Tabular TD(0) (Sutton 1988): TD(lambda) with lambda = 0.

    Parameters
    ----------
    n_states : int
        states (serial-compound steps)
    alpha : float
        learning rate
    gamma : float
        discount per step
    frozen : sequence of int
        states whose value stays 0 (the time before a cue)
    """
    return TDLambda(n_states, alpha=alpha, lam=0.0, gamma=gamma, frozen=frozen)
