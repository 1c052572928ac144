"""Episodic tasks: a small world of discrete states, crossed one step at a time.

The circuit moves through the states of a tabular Markov decision process (a
maze, or an external Gymnasium environment's) one decision at a time. Each step
is one decision slot of ``trial_ms``: the state's cue is on in the response
window, the chosen action is taken at the outcome, the world answers with the
next state and a reward, and the next step begins. Multi-step credit
assignment is the critic's: the cortex shows the state as a presence code from
the moment it is entered (an outcome) until it is left (the next outcome), so
the ventral striatal value steps from V(s) to V(s') at each move and the DA
cells see ``r + V(s') - V(s)``, the TD error of the move (Schultz, Dayan &
Montague 1997; in continuous time, Doya 2000); the actor's D1/D2 weights of the
state's cue and the chosen action learn from it, as in the basal ganglia
actor-critic maze runner of Barto (1995).

An episode ends at a terminal state (a goal, a hole) or after ``max_steps``
steps; a gap slot follows with no state shown, and the next episode's start
state appears at the gap's outcome. A missed response leaves the circuit where
it is (the step still counts). The world is compiled into static tables of the
generated code: for each state, action and possible outcome (Gymnasium's
``P[s][a]`` list of probability, next state, reward, terminal) the cumulative
probability, next state, reward and terminal flag. All randomness is drawn
beforehand from the seed: one uniform number per (episode, step) picks the
outcome, and each episode's start state comes from the environment's own
``reset``. The reference learner plays the same world with the same draws, its
own trajectory; ``--trials`` counts episodes.

Trial table: one row per step, ``trial`` (decision slot), ``episode``,
``step`` (1, 2, ... within the episode), ``state``, ``choice`` (-1: no
response), ``tied``, ``rt_ms``, ``reward``, ``next_state`` (-1 once the episode
is over), ``done`` (a terminal state was reached), ``timeout``, the DA and
value columns of every choice task and the TD error of an abstract TD(0)
critic on the circuit's own moves (``td_outcome``). The last step of each
episode also holds ``episode_steps``, ``episode_return`` and the reference's
``ref_episode_steps``, ``ref_episode_return`` for the same episode.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import numpy as np
from gymnasium import spaces

from dopasim.circuits.loop import Memory
from dopasim.models.rl import REFERENCE_PARAMS, make_learner
from dopasim.params import ConfigError, with_defaults
from dopasim.tasks.base import Task
from dopasim.tasks.choice import TIMING_PARAMS, ChoiceTask
from dopasim.tasks.pavlovian import corr

#: slot timing of one step: shorter than a choice trial, as nothing is learned about timing within it
STEP_TIMING_PARAMS = {
    **TIMING_PARAMS,
    "trial_ms": replace(TIMING_PARAMS["trial_ms"], default=800.0, help="duration of one step (one decision)"),
    "response_window_ms": replace(TIMING_PARAMS["response_window_ms"], default=400.0,
                                  help="cue onset to the move: the time allowed to respond"),
}


#: the state after a real step: the one moved to, the same one after a missed response, -1 once it is over
REAL_NEXT = "playing * ((1 - over) * (valid * moved_to + stay) - over)"
#: replay's task variables, and its trial start: a replayed move's action is the remembered one
REPLAY_VARIABLES = "replaying : integer\nreplayed : integer\nreplay_left : integer\nreplay_end : integer\n"
REPLAY_START = "replayed = replaying\nchoice = replaying * (int(recalled_choice + 1.5) - 1) - (1 - replaying)\n"

#: the critic's discount time constant, in steps: gamma = exp(-1 / 10) = 0.90 per step
CRITIC_HORIZON_STEPS = 10


class EpisodicTask(ChoiceTask):
    """A tabular world ``P`` (Gymnasium's format) played by the circuit, episode after episode.

    Subclasses set ``P`` (``P[s][a]`` = list of (probability, next state, reward,
    terminal)), ``n_states``, ``n_actions``, ``max_steps`` and ``start_state(rng)``.
    """

    batchable = False  # the session ends with its last episode

    topology = "all"
    unit = "episodes"
    #: discounted values over several steps differ by little, so the reference's softmax is sharper
    reference_params = with_defaults(REFERENCE_PARAMS, beta=20.0)
    default_trials = 100
    max_steps = 50
    #: moves replayed after each episode (the episode's last ones; 0: no replay)
    replay_steps = 0

    def _init_world(self) -> None:
        self._init_timing()
        self.n_stimuli = self.n_states
        self.critic_stimuli = self.n_states
        self.observation_space = spaces.Discrete(self.n_states)
        self.action_space = spaces.Discrete(self.n_actions)
        rewards = [r for s in self.P for a in self.P[s] for _, _, r, _ in self.P[s][a]]
        if min(rewards) < 0:
            raise ConfigError(f"task {self.name}: rewards go down to {min(rewards)}, but the circuit's reward "
                              "input carries rewards from 0 up (punishment is not modelled yet)")
        self._state, self._steps, self._luck = 0, 0, None

    def circuit_shape(self, mode: str | None = None) -> dict:
        # the critic's cortex: one presence element per state, on for a whole step
        # and a discounting critic: staying put costs time, so the shortest way is worth most
        return {**super().circuit_shape(), "critic_elements": 1, "critic_element_ms": self.p["trial_ms"],
                "critic_horizon_s": CRITIC_HORIZON_STEPS * self.p["trial_ms"] / 1000}

    def check_circuit(self, graph) -> None:
        Task.check_circuit(self, graph)  # the regions; a world's channels are checked here
        cortex = graph.region("cortex")["params"]
        for region, n, what, has in (("thalamus", self.n_actions, "actions", graph.channels("thalamus")),
                                     ("cue", self.n_states, "states", graph.channels("cue")),
                                     ("cortex", self.n_states, "states", cortex["stimuli"])):
            if has != n:
                raise ConfigError(f"task {self.name} has {n} {what}, but circuit.{region} has {has}")
        if cortex["n_elements"] * cortex["element_ms"] < self.p["trial_ms"]:
            raise ConfigError(f"circuit.cortex: {cortex['n_elements']} elements of {cortex['element_ms']:.0f} ms "
                              f"do not cover one step (task.trial_ms={self.p['trial_ms']:.0f})")

    def length(self, n_trials: int) -> str:
        return f"at most {self.max_steps} steps each"

    def figures(self) -> dict:
        from dopasim.analysis import plots

        figures = {"learning": plots.episode_learning}
        if self.grid() is not None:
            figures["maze"] = plots.maze_policy
        return {**figures, "choice_activity": plots.choice_activity}

    # -- the world -----------------------------------------------------------
    def grid(self):
        """Rows of the map and the state of each cell, for the maze figure (None: no map)."""
        return None

    def move(self, state: int, action: int, luck: float) -> tuple[int, float, bool]:
        """Next state, reward and terminal flag of ``action`` in ``state`` when the draw is ``luck``."""
        options = self.P[state][action]
        cumulative = np.cumsum([p for p, *_ in options])
        k = min(int(np.sum(luck >= cumulative[:-1])), len(options) - 1)
        _, next_state, reward, terminal = options[k]
        return int(next_state), float(reward), bool(terminal)

    def shortest_paths(self) -> np.ndarray:
        """Fewest steps from each state to a rewarded terminal move (inf where none), over possible moves."""
        into_goal = {s for s in self.P for a in self.P[s] for p, _, r, done in self.P[s][a] if p > 0 and done
                     and r > 0}
        previous = {s: set() for s in self.P}
        for s in self.P:
            for a in self.P[s]:
                for p, s2, _, done in self.P[s][a]:
                    if p > 0 and not done:
                        previous[s2].add(s)
        dist = np.full(self.n_states, np.inf)
        queue = deque()
        for s in into_goal:
            dist[s] = 1
            queue.append(s)
        while queue:
            s = queue.popleft()
            for s0 in previous[s]:
                if dist[s0] == np.inf:
                    dist[s0] = dist[s] + 1
                    queue.append(s0)
        return dist

    # -- Gymnasium view: one episode ---------------------------------------------
    def reset(self, *, seed=None, options=None):
        """Start an episode; ``options={"start": s, "luck": u}`` replays a session's draws (u per step)."""
        super().reset(seed=seed)
        options = options or {}
        self._state = int(options["start"]) if "start" in options else self.start_state(self.np_random)
        self._luck, self._steps = options.get("luck"), 0
        return self._state, {}

    def step(self, action):
        if not self.action_space.contains(action):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        luck = self.np_random.random() if self._luck is None else self._luck[self._steps]
        self._state, reward, terminal = self.move(self._state, int(action), luck)
        self._steps += 1
        return self._state, reward, terminal, self._steps >= self.max_steps and not terminal, {}

    # -- the circuit's session -------------------------------------------------
    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Start state per episode and one uniform number per (episode, step)."""
        starts = np.array([self.start_state(rng) for _ in range(n_trials)])
        return {"start": starts, "luck": rng.random((n_trials, self.max_steps))}

    def episode_worlds(self, draws: dict) -> list[dict]:
        """The world of each episode, in Gymnasium's ``P`` format: one ``P`` for all (a world that drifts gives
        one per episode, indexed by episode in the generated code)."""
        return [self.P]

    def world_tables(self, world: dict | None = None) -> tuple[dict[str, np.ndarray], int]:
        """``world`` (default ``P``) as tables indexed ``[state, action, k]`` (k: the K possible outcomes), and K."""
        world = self.P if world is None else world
        k_max = max(len(world[s][a]) for s in range(self.n_states) for a in range(self.n_actions))
        shape = (self.n_states, self.n_actions, k_max)
        cumulative, nxt, reward, terminal = np.ones(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)
        for s in range(self.n_states):
            for a in range(self.n_actions):
                options = world[s][a]
                cum = np.cumsum([p for p, *_ in options])
                for k in range(k_max):
                    _, s2, r, done = options[min(k, len(options) - 1)]
                    nxt[s, a, k], reward[s, a, k], terminal[s, a, k] = s2, r, float(done)
                    cumulative[s, a, k] = cum[k] if k < len(options) - 1 else 2.0
        return {"world_cumulative": cumulative, "world_next": nxt, "world_reward": reward,
                "world_terminal": terminal}, k_max

    def program(self, draws: dict, n_trials: int):
        worlds = [self.world_tables(world) for world in self.episode_worlds(draws)]
        k_max = worlds[0][1]
        # one row per episode (a fixed world has one row, which the lookups past it keep reading)
        tables = {name: np.stack([w[0][name].reshape(-1) for w in worlds]) for name in worlds[0][0]}
        tables.update(start_state=draws["start"].astype(float), luck=draws["luck"].reshape(-1))
        pick = " + ".join(f"int(u >= world_cumulative(world_row, base + {k}))" for k in range(k_max - 1)) or "0"
        replay = self.replay_steps
        # a real step (with replay on: not a replayed one)
        playing = "int(world_state >= 0) * (1 - replaying)" if replay else "int(world_state >= 0)"
        on_outcome = (
            ("gap = int(world_state < 0)\n" if replay else "")
            + f"playing = {playing}\n"
            "valid = playing * int(choice >= 0)\n"
            "base = ((world_state * playing) * N_ACTIONS + choice * valid) * N_OUTCOMES\n"
            "u = luck((episode * playing * MAX_STEPS + step * playing) * TRIAL_STEPS * dt)\n"
            "world_row = episode * playing * TRIAL_STEPS * dt\n"
            f"col = base + {pick}\n"
            "moved_to = int(world_next(world_row, col) + 0.5)\n"
            "reward = valid * world_reward(world_row, col)\n"
            "done = valid * int(world_terminal(world_row, col) > 0.5)\n"
            f"step = (step + 1) * playing{' + replaying * step' if replay else ''}\n"
            "timeout = playing * (1 - done) * int(step >= MAX_STEPS)\n"
            "over = int(done + timeout > 0)\n"
            "first = int(start_state((episode + 1) * TRIAL_STEPS * dt) + 0.5)\n"
            "stay = (1 - valid) * world_state\n")
        if not replay:
            on_outcome += (f"world_state = {REAL_NEXT} + (1 - playing) * first\n"
                           "episode += 1 - playing\n")
        else:
            on_outcome += self._replay_outcome()
        on_outcome += "onset = t\n"
        shown = "int(task_world_state == {index})"
        since = "(t - task_onset) / second"
        # and for a PFC: which outcome is present (each state, then a reward just delivered), time since the move
        present = f"int(task_world_state == ({{index}})) + int(({{index}}) == {self.n_states}) * int(task_reward > 0)"
        signals = {"salience": f"in_stimulus * {shown}", "cs": f"{shown} * {since} - (1 - {shown})",
                   "present": present, "moved": since}
        slots = self.max_steps + 1 + (min(replay, self.max_steps) + 1 if replay else 0)
        program = self.program_base(
            n_trials * slots + 1, tables=tables,
            variables="world_state : integer\nepisode : integer\nstep : integer\nonset : second\n"
                      "done : integer\ntimeout : integer\n" + (REPLAY_VARIABLES if replay else ""),
            on_trial_start="stimulus = world_state\ndone = 0\ntimeout = 0\n" + (REPLAY_START if replay else ""),
            on_outcome=on_outcome,
            offered="int(task_world_state >= 0)" + (" * (1 - task_replaying)" if replay else ""),
            stop_when=f"world_state < 0 and episode >= {n_trials - 1}",
            log=("trial", "episode", "step", "stimulus", "choice", "tied", "choice_time", "reward", "world_state",
                 "done", "timeout") + (("replayed",) if replay else ()),
            constants={"N_OUTCOMES": k_max, "MAX_STEPS": self.max_steps, **({"REPLAY_STEPS": replay} if replay
                                                                              else {})},
            initial={"world_state": -1, "episode": -1}, progress=("episode", n_trials, "episode"),
            memory=Memory(replay, ("stimulus", "choice", "reward", "world_state", "done"),
                          store_when="task_replayed == 0 and task_stimulus >= 0",
                          slot="(task_step - 1) % REPLAY_STEPS") if replay else None)
        program.signals.update(signals)
        return program

    @staticmethod
    def _replay_outcome() -> str:
        """The outcome's code with replay on: the next state of a real step, a replayed one or a gap.

        A gap slot after an episode shows, at its outcome, the first remembered
        state of the episode's last ``REPLAY_STEPS`` moves, and the replay slots
        that follow each show the remembered move's outcome; the gap after the
        replay brings the next episode's start.
        """
        return ("recall = gap * int(replay_left > 0)\n"
                "recalled_next = int(recalled_world_state + 1.5) - 1\n"
                f"world_state = ({REAL_NEXT}"
                " + gap * ((1 - recall) * first + recall * int(recalled_stimulus + 0.5))"
                " + replaying * recalled_next)\n"
                "reward += replaying * recalled_reward\n"
                "done += replaying * int(recalled_done > 0.5)\n"
                "episode += gap * (1 - recall)\n"
                "ended = playing * over\n"
                "replay_end = ended * step + (1 - ended) * replay_end\n"
                "replay_left = ended * int(clip(step, 0, REPLAY_STEPS)) + (1 - ended) * (replay_left - replaying)\n"
                "replaying = recall + replaying * int(replay_left > 0)\n"
                "recall_index = (replay_end - replay_left) % REPLAY_STEPS\n")

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        """One row per step (the gap slots between episodes, and replayed moves, are left out)."""
        steps = events["stimulus"] >= 0
        if "replayed" in events:
            steps &= events["replayed"] == 0
        out = super().table({k: v[steps] for k, v in events.items()}, draws)
        state = out.pop("stimulus")
        out = {"trial": out.pop("trial"), "episode": events["episode"][steps], "step": events["step"][steps],
               "state": state, **out, "next_state": events["world_state"][steps],
               "done": events["done"][steps], "timeout": events["timeout"][steps]}
        over = (out["done"] + out["timeout"]) > 0
        n_steps = np.full(len(over), np.nan)
        n_steps[over] = out["step"][over]
        returns = np.full(len(over), np.nan)
        ends = np.flatnonzero(over)
        sums = np.add.reduceat(out["reward"], np.r_[0, ends[:-1] + 1]) if len(ends) else []
        returns[ends] = sums
        out.update(episode_steps=n_steps, episode_return=returns)
        return out

    def critic_errors(self, table: dict, alpha: float, gamma: float = 0.9) -> np.ndarray:
        """TD(0) errors of an abstract critic on the circuit's own moves: r + gamma V(s') - V(s).

        It learns again from each episode's last ``replay_steps`` moves, as the circuit replays them.
        """
        values = np.zeros(self.n_states)
        errors = np.zeros(len(table["state"]))

        def learn(i):
            s, r, s2 = table["state"][i], table["reward"][i], table["next_state"][i]
            error = r + (gamma * values[s2] if s2 >= 0 else 0.0) - values[s]
            values[s] += alpha * error
            return error

        for i in range(len(errors)):
            errors[i] = learn(i)
            if self.replay_steps and table["next_state"][i] < 0:
                for j in range(i + 1 - min(self.replay_steps, table["step"][i]), i + 1):
                    learn(j)
        return errors

    def play_reference(self, draws: dict, table: dict, rng: np.random.Generator, learner: str, **params):
        """The reference plays as many episodes as the circuit did, from the same starts with the same draws."""
        agent = make_learner(self.n_states, self.n_actions, learner, **params)
        ends = np.flatnonzero(np.isfinite(table["episode_steps"]))
        steps, returns = np.full(len(table["state"]), np.nan), np.full(len(table["state"]), np.nan)
        for row in ends:
            episode = table["episode"][row]
            path = self.play_episode(agent, rng, draws["start"][episode], draws["luck"][episode])
            steps[row], returns[row] = self._steps, sum(reward for *_, reward in path)
        return {"ref_episode_steps": steps, "ref_episode_return": returns}

    def play_episode(self, agent, rng: np.random.Generator, start: int, luck) -> list[tuple[int, int, float]]:
        """``agent`` plays (and learns) one episode from ``start`` with the draws ``luck``, in the world ``P``.

        Then it learns once more from the episode's last ``replay_steps`` moves,
        in the order they were made, as the circuit replays them. Returns its
        moves: (action, next state, reward) per step.
        """
        state, _ = self.reset(options={"start": start, "luck": luck})
        moves, over = [], False
        while not over:
            action = agent.choose(state, rng)
            next_state, reward, terminal, truncated, _ = self.step(action)
            agent.learn(state, action, reward, next_state, terminal)
            moves.append((state, action, reward, next_state, terminal))
            state, over = next_state, terminal or truncated
        for move in moves[len(moves) - min(self.replay_steps, len(moves)):]:
            agent.learn(*move)
        return [(action, next_state, reward) for _, action, reward, next_state, _ in moves]

    # -- measures --------------------------------------------------------------
    def episodes(self, table: dict, prefix: str = "") -> dict[str, np.ndarray]:
        """Per finished episode: its start state, steps taken (max_steps if the goal was not reached), return."""
        ends = np.flatnonzero(np.isfinite(table["episode_steps"]))
        firsts = np.flatnonzero(table["step"] == 1)
        returns = table[f"{prefix}episode_return"][ends]
        steps = np.where(returns > 0, table[f"{prefix}episode_steps"][ends], self.max_steps)
        return {"start": table["state"][firsts[:len(ends)]], "steps": steps, "return": returns}

    def headline(self, table: dict) -> dict:
        optimal = self.shortest_paths()
        out = {"episodes": int(np.isfinite(table["episode_steps"]).sum())}
        for prefix in ("", "ref_"):
            ep = self.episodes(table, prefix)
            out[f"{prefix}steps_to_goal_last10"] = _tail_mean(ep["steps"], 10)
            out[f"{prefix}goal_rate_last10"] = _tail_mean(ep["return"] > 0, 10)
            out[f"{prefix}mean_return_last50"] = _tail_mean(ep["return"], 50)
            out[f"{prefix}episodes_to_criterion"], out[f"{prefix}steps_to_criterion"] = criterion(ep, optimal)
            if not prefix:
                best = _tail_mean(optimal[ep["start"]], 10)
                out["optimal_steps"] = best if best is None or np.isfinite(best) else None
        for prefix in ("", "ref_"):
            ratio = None
            if out["optimal_steps"] and out[f"{prefix}steps_to_goal_last10"] is not None:
                ratio = out[f"{prefix}steps_to_goal_last10"] / out["optimal_steps"]
            out[f"{prefix}steps_over_optimal"] = ratio
        out["no_response_rate"] = float(np.mean(table["choice"] < 0)) if len(table["choice"]) else None
        out["corr_da_td_outcome"] = corr(table["da_outcome"], table["td_outcome"])
        return out


#: the learning criterion: this many episodes in a row that reach the goal within 1.5 x the fewest steps
CRITERION_EPISODES = 5
CRITERION_SLACK = 1.5


def criterion(episodes: dict, optimal: np.ndarray) -> tuple[int | None, int | None]:
    """Episodes played until the criterion was first met (the run included), and the real steps they took."""
    good = (episodes["return"] > 0) & (episodes["steps"] <= CRITERION_SLACK * optimal[episodes["start"]])
    run = np.convolve(good.astype(int), np.ones(CRITERION_EPISODES, dtype=int), "valid")
    met = np.flatnonzero(run == CRITERION_EPISODES)
    if not met.size:
        return None, None
    n = int(met[0]) + CRITERION_EPISODES
    return n, int(episodes["steps"][:n].sum())


def _tail_mean(x, n: int) -> float | None:
    x = np.asarray(x, dtype=float)[-n:]
    return float(x.mean()) if x.size else None
