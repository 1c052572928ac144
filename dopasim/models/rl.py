"""Abstract reference learners for choice tasks: Q-learning, a tabular actor-critic, model-based, hybrid, SR.

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

LEARNERS = ("actor_critic", "q_learning", "model_based", "hybrid", "successor", "dyna")

REFERENCE_PARAMS = {
    "learner": Param("actor_critic", "reference learner", choices=LEARNERS),
    "alpha": Param(0.1, "learning rate (Q-values, or the critic)", low=0.0, high=1.0),
    "alpha_actor": Param(0.1, "learning rate of the actor's preferences", low=0.0, high=1.0),
    "beta": Param(5.0, "softmax inverse temperature", low=0.0, high=1000.0),
    "gamma": Param(0.9, "discount per decision", low=0.0, high=1.0),
    "lam": Param(0.6, "hybrid: eligibility of the previous step within an episode (lambda)", low=0.0, high=1.0),
    "eta": Param(0.2, "model_based, hybrid: learning rate of the transition model; successor: of the "
                 "successor representation", low=0.0, high=1.0),
    "model_based_weight": Param(0.5, "hybrid: weight of the model-based values in the choice", low=0.0,
                                high=1.0),
    "planning_steps": Param(10, "dyna: remembered moves replayed after each real one", low=0, high=10_000),
}


def softmax_choice(preferences: np.ndarray, beta: float, rng: np.random.Generator, allowed=None) -> int:
    """A softmax draw over ``preferences``, among the ``allowed`` actions only (all if None).

    Parameters
    ----------
    preferences : ndarray
        one value per action
    beta : float
        inverse temperature
    rng : numpy.random.Generator
        the draw's source
    allowed : sequence of int, optional
        the actions on offer (all if None)
    """
    options = np.arange(len(preferences)) if allowed is None else np.asarray(allowed)
    prefs = preferences[options]
    z = beta * (prefs - prefs.max())
    p = np.exp(z) / np.exp(z).sum()
    return int(options[rng.choice(len(p), p=p)])


class QLearning:
    """Tabular Q-learning with softmax choice (Watkins 1989): ``Q(s, a) += alpha (r + gamma max Q(s') - Q(s, a))``.

    Parameters
    ----------
    n_states, n_actions : int
        the task's states and actions.
    alpha : float
        learning rate.
    beta : float
        softmax inverse temperature.
    gamma : float
        discount per step.
    """

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
    """The tabular actor-critic (Barto 1995): a critic's TD error trains both state values and action preferences.

    Parameters
    ----------
    n_states, n_actions : int
        the task's states and actions.
    alpha : float
        the critic's learning rate.
    alpha_actor : float
        the actor's learning rate.
    beta : float
        softmax inverse temperature.
    gamma : float
        discount per step.
    """

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


class ModelBased:
    """Model-based control (Daw et al. 2011): a learned model, planned over by value iteration.

    The transition model moves toward each observed outcome by a state
    prediction error (``eta``; Glascher et al. 2010), with the end of the
    episode as one more outcome; the immediate reward of each state and action
    by a reward prediction error (``alpha``). Values are recomputed from the
    model after every step: ``Q(s, a) = R(s, a) + gamma sum_s' T(s, a, s') max Q(s', .)``.
    """

    def __init__(self, n_states: int, n_actions: int, alpha: float, beta: float, gamma: float, eta: float,
                 **_):
        self.transitions = np.full((n_states, n_actions, n_states + 1), 1.0 / (n_states + 1))
        self.rewards = np.zeros((n_states, n_actions))
        self.q = np.zeros((n_states, n_actions))
        self.alpha, self.beta, self.gamma, self.eta = alpha, beta, gamma, eta

    def choose(self, state: int, rng: np.random.Generator, allowed=None) -> int:
        return softmax_choice(self.q[state], self.beta, rng, allowed)

    def plan(self, sweeps: int = 50) -> None:
        n_states = self.q.shape[0]
        for _ in range(sweeps):
            self.q = self.rewards + self.gamma * self.transitions[:, :, :n_states] @ self.q.max(axis=1)

    def learn(self, state: int, action: int, reward: float, next_state: int, done: bool) -> float:
        outcome = np.zeros(self.transitions.shape[2])
        outcome[-1 if done else next_state] = 1.0
        self.transitions[state, action] += self.eta * (outcome - self.transitions[state, action])
        delta = reward - self.rewards[state, action]
        self.rewards[state, action] += self.alpha * delta
        self.plan()
        return float(delta)


class Hybrid:
    """Daw et al. (2011): choices by ``w Q_MB + (1 - w) Q_MF``, ``w = model_based_weight``.

    Q_MF is Q-learning whose error also updates the previous step of the
    episode by ``lam`` (so a second-stage reward reaches the first-stage
    choice, as in SARSA(lambda)); Q_MB is :class:`ModelBased`.
    """

    def __init__(self, n_states: int, n_actions: int, alpha: float, beta: float, gamma: float, eta: float,
                 lam: float, model_based_weight: float, **_):
        self.model = ModelBased(n_states, n_actions, alpha=alpha, beta=beta, gamma=gamma, eta=eta)
        self.q_mf = np.zeros((n_states, n_actions))
        self.alpha, self.beta, self.gamma, self.lam, self.w = alpha, beta, gamma, lam, model_based_weight
        self.previous = None

    def choose(self, state: int, rng: np.random.Generator, allowed=None) -> int:
        return softmax_choice(self.w * self.model.q[state] + (1 - self.w) * self.q_mf[state], self.beta, rng,
                              allowed)

    def learn(self, state: int, action: int, reward: float, next_state: int, done: bool) -> float:
        self.model.learn(state, action, reward, next_state, done)
        delta = reward + (0.0 if done else self.gamma * self.q_mf[next_state].max()) - self.q_mf[state, action]
        self.q_mf[state, action] += self.alpha * delta
        if self.previous is not None:
            self.q_mf[self.previous] += self.alpha * self.lam * delta
        self.previous = None if done else (state, action)
        return float(delta)


class Successor:
    """SR-TD (Russek, Momennejad, Botvinick, Gershman & Daw 2017): values from a successor representation.

    ``M(s, a, x)`` is the discounted expected number of future visits to state
    ``x`` after action ``a`` in ``s`` (Dayan 1993), learned by TD after each
    move to ``s'``: ``M(s, a) += eta * (onehot(s') + gamma * M_pi(s') - M(s, a))``,
    with ``M_pi(s')`` the expectation over the learner's own softmax policy
    at ``s'`` (0 at the end of an episode). Rewards are learned apart, by a
    reward prediction error (``alpha``): ``R(s, a)`` the immediate reward of a
    move and ``R(x)`` the mean immediate reward of leaving state x. Then
    ``Q(s, a) = R(s, a) + gamma * sum_x M(s, a, x) R(x)``: a change of reward is
    felt at once in every state that leads to it, a change of transition only
    where it was experienced (Stachenfeld, Botvinick & Gershman 2017;
    Momennejad et al. 2017).
    """

    def __init__(self, n_states: int, n_actions: int, alpha: float, beta: float, gamma: float, eta: float, **_):
        self.m = np.zeros((n_states, n_actions, n_states))
        self.move_reward = np.zeros((n_states, n_actions))
        self.state_reward = np.zeros(n_states)
        self.alpha, self.beta, self.gamma, self.eta = alpha, beta, gamma, eta

    def values(self, state: int) -> np.ndarray:
        """Q(state, .) from the SR and the learned rewards."""
        return self.move_reward[state] + self.gamma * self.m[state] @ self.state_reward

    def choose(self, state: int, rng: np.random.Generator, allowed=None) -> int:
        return softmax_choice(self.values(state), self.beta, rng, allowed)

    def learn(self, state: int, action: int, reward: float, next_state: int, done: bool) -> float:
        occupancy = np.zeros(self.m.shape[2])
        if not done:
            occupancy[next_state] = 1.0
            q = self.values(next_state)
            z = self.beta * (q - q.max())
            policy = np.exp(z) / np.exp(z).sum()
            occupancy += self.gamma * policy @ self.m[next_state]
        self.m[state, action] += self.eta * (occupancy - self.m[state, action])
        delta = reward - self.move_reward[state, action]
        self.move_reward[state, action] += self.alpha * delta
        self.state_reward[state] += self.alpha * (reward - self.state_reward[state])
        return float(delta)


class Dyna(QLearning):
    """Dyna-Q (Sutton 1990): Q-learning, plus ``planning_steps`` replays after each real move.

    Each replay draws a move made before (uniformly among the state-action pairs
    tried) and learns from its last remembered outcome, as from a real one:
    offline replay of experience, the hippocampal reading of Dyna (Johnson &
    Redish 2005; Mattar & Daw 2018).
    """

    def __init__(self, n_states: int, n_actions: int, alpha: float, beta: float, gamma: float,
                 planning_steps: int, **_):
        super().__init__(n_states, n_actions, alpha=alpha, beta=beta, gamma=gamma)
        self.planning_steps = planning_steps
        self.memory: dict[tuple[int, int], tuple[float, int, bool]] = {}
        self.rng = None

    def choose(self, state: int, rng: np.random.Generator, allowed=None) -> int:
        self.rng = rng  # the replays draw from the choices' generator: one seed fixes both
        return super().choose(state, rng, allowed)

    def learn(self, state: int, action: int, reward: float, next_state: int, done: bool) -> float:
        delta = super().learn(state, action, reward, next_state, done)
        self.memory[state, action] = (reward, next_state, done)
        tried = list(self.memory)
        for k in self.rng.integers(len(tried), size=self.planning_steps):
            s, a = tried[k]
            super().learn(s, a, *self.memory[s, a])
        return delta


def make_learner(n_states: int, n_actions: int, learner: str, **params):
    """The reference learner a choice task's ``reference.learner`` names.

    Parameters
    ----------
    n_states, n_actions : int
        the task's states and actions.
    learner : str
        ``q_learning``, ``actor_critic``, ``model_based``, ``hybrid``, ``successor`` or ``dyna``.
    **params
        the learner's own parameters (the task's resolved ``reference.*``).
    """
    kinds = {"q_learning": QLearning, "actor_critic": ActorCritic, "model_based": ModelBased, "hybrid": Hybrid,
             "successor": Successor, "dyna": Dyna}
    return kinds[learner](n_states, n_actions, **params)
