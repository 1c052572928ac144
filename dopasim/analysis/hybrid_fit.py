"""Daw et al.'s (2011) hybrid learner fitted to two-step choices: the weight of model-based control that a
subject's choices imply.

The stay indices (``mb_index``, ``mf_index``) look one episode back; the fit
uses every choice. As in Daw et al. (2011): second-stage values ``Q2(s, b)``
learn from the reward at rate ``alpha``; model-free first-stage values
``Q1(a)`` learn from the second-stage value reached and then from the reward
(SARSA(lambda), ``lam``); model-based ones are ``sum_s T(a, s) max_b Q2(s, b)``
with the task's transition probabilities; the first choice is a softmax
(``beta``) of ``w Q_MB + (1 - w) Q_MF`` plus a stickiness ``perseveration``
for repeating the last first choice, the second a softmax of ``Q2``. The
fit maximises the likelihood of the observed choices over ``alpha``,
``beta``, ``w`` and ``perseveration`` (``lam`` fixed).
"""

from __future__ import annotations

import math

import numpy as np

#: (low, high) of each fitted parameter, in the order of the parameter vector
BOUNDS = {"alpha": (0.01, 1.0), "beta": (0.1, 30.0), "model_based_weight": (0.0, 1.0),
          "perseveration": (-3.0, 3.0)}


def _log_choice(values: tuple[float, float], beta: float, choice: int) -> float:
    """log P(choice) of a softmax over two values."""
    d = beta * (values[1 - choice] - values[choice])
    return -math.log1p(math.exp(d)) if d < 30 else -d


def hybrid_log_likelihood(params, first_choice, second_state, second_choice, reward, common_prob: float = 0.7,
                          lam: float = 0.6) -> float:
    """Log-likelihood of the choices of every episode; one whose first or second choice is missing
    (below 0) is skipped and does not teach. ``second_state`` is 1 or 2; action a commonly leads to a + 1."""
    alpha, beta, w, stick = params
    q1 = [0.0, 0.0]
    q2 = [[0.0, 0.0], [0.0, 0.0]]
    previous, total = -1, 0.0
    for a, s, b, r in zip(first_choice, second_state, second_choice, reward):
        if a < 0 or b < 0 or s < 1:
            previous = -1
            continue
        best = (max(q2[0]), max(q2[1]))
        q_mb = (common_prob * best[0] + (1 - common_prob) * best[1],
                (1 - common_prob) * best[0] + common_prob * best[1])
        net = tuple(w * q_mb[k] + (1 - w) * q1[k] + (stick / beta if k == previous else 0.0) for k in (0, 1))
        row = q2[s - 1]
        total += _log_choice(net, beta, a) + _log_choice((row[0], row[1]), beta, b)
        q1[a] += alpha * (row[b] - q1[a])
        delta = r - row[b]
        row[b] += alpha * delta
        q1[a] += alpha * lam * delta
        previous = a
    return total


def fit_hybrid(first_choice, second_state, second_choice, reward, common_prob: float = 0.7,
               lam: float = 0.6) -> dict[str, float]:
    """Maximum-likelihood ``alpha``, ``beta``, ``model_based_weight`` and ``perseveration`` (see the module
    docstring), and the maximised ``log_likelihood``; the best of three starting weights (0.2, 0.5, 0.8).

    Parameters
    ----------
    first_choice : array-like of int
        each episode's first-stage action
    second_state : array-like of int
        the second-stage state reached (1 or 2)
    second_choice : array-like of int
        the second-stage action
    reward : array-like
        each episode's reward (0 or 1)
    common_prob : float
        probability of the common transition
    lam : float
        the eligibility of the model-free first-stage values (SARSA(lambda))
    """
    data = [np.asarray(x).astype(int if k < 3 else float).tolist()
            for k, x in enumerate((first_choice, second_state, second_choice, reward))]
    bounds = list(BOUNDS.values())

    def loss(p):
        return -hybrid_log_likelihood(p, *data, common_prob=common_prob, lam=lam)

    from scipy.optimize import minimize  # here: importing it costs every command 0.3 s

    fits = [minimize(loss, x0=[0.3, 5.0, w0, 0.5], bounds=bounds, method="L-BFGS-B") for w0 in (0.2, 0.5, 0.8)]
    best = min(fits, key=lambda f: f.fun)
    return {**dict(zip(BOUNDS, (float(x) for x in best.x))), "log_likelihood": float(-best.fun)}
