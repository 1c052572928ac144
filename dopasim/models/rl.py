"""Abstract reference learners for choice tasks: Q-learning and a tabular actor-critic.

Both choose by softmax over their action preferences with inverse temperature
``beta`` and learn from the TD error ``delta = r + gamma * V(s') - V(s)``
(``V(s')`` = 0 at the end of an episode):

* Q-learning (Watkins 1989): ``Q(s, a) += alpha * (r + gamma * max Q(s', .) - Q(s, a))``;
* actor-critic (Barto, Sutton & Anderson 1983; Barto 1995): a critic
  ``V(s) += alpha * delta`` and an actor ``H(s, a) += alpha_actor * delta``, the
  abstract form of the circuit's ventral striatum and D1 - D2 striatum.

They play the task's own Gymnasium environment, with the outcome draws of the
circuit's session, so circuit and reference face the identical trial sequence.
"""

from __future__ import annotations

import numpy as np

from dopasim.params import Param

LEARNERS = ("actor_critic", "q_learning")

REFERENCE_PARAMS = {
    "learner": Param("actor_critic", "reference learner", choices=LEARNERS),
    "alpha": Param(0.1, "learning rate (Q-values, or the critic)", low=0.0, high=1.0),
    "alpha_actor": Param(0.1, "learning rate of the actor's preferences", low=0.0, high=1.0),
    "beta": Param(5.0, "softmax inverse temperature", low=0.0, high=1000.0),
    "gamma": Param(0.9, "discount per decision", low=0.0, high=1.0),
}


def softmax_choice(preferences: np.ndarray, beta: float, rng: np.random.Generator, allowed=None) -> int:
    """A softmax draw over ``preferences``, among the ``allowed`` actions only (all if None)."""
    options = np.arange(len(preferences)) if allowed is None else np.asarray(allowed)
    prefs = preferences[options]
    z = beta * (prefs - prefs.max())
    p = np.exp(z) / np.exp(z).sum()
    return int(options[rng.choice(len(p), p=p)])


class QLearning:
    def __init__(self, n_states: int, n_actions: int, alpha: float, beta: float, gamma: float, **_):
        self.q = np.zeros((n_states, n_actions))
        self.alpha, self.beta, self.gamma = alpha, beta, gamma

    def choose(self, state: int, rng: np.random.Generator, allowed=None) -> int:
        return softmax_choice(self.q[state], self.beta, rng, allowed)

    def learn(self, state: int, action: int, reward: float, next_state: int, done: bool) -> float:
        target = reward + (0.0 if done else self.gamma * self.q[next_state].max())
        delta = target - self.q[state, action]
        self.q[state, action] += self.alpha * delta
        return float(delta)


class ActorCritic:
    def __init__(self, n_states: int, n_actions: int, alpha: float, alpha_actor: float, beta: float,
                 gamma: float, **_):
        self.v = np.zeros(n_states)
        self.h = np.zeros((n_states, n_actions))
        self.alpha, self.alpha_actor, self.beta, self.gamma = alpha, alpha_actor, beta, gamma

    def choose(self, state: int, rng: np.random.Generator, allowed=None) -> int:
        return softmax_choice(self.h[state], self.beta, rng, allowed)

    def learn(self, state: int, action: int, reward: float, next_state: int, done: bool) -> float:
        delta = reward + (0.0 if done else self.gamma * self.v[next_state]) - self.v[state]
        self.v[state] += self.alpha * delta
        self.h[state, action] += self.alpha_actor * delta
        return float(delta)


def make_learner(n_states: int, n_actions: int, learner: str, **params):
    return {"q_learning": QLearning, "actor_critic": ActorCritic}[learner](n_states, n_actions, **params)
