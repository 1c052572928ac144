"""Gridworld: a small maze with one goal, crossed step by step (multi-step credit assignment).

The maze is drawn as text, rows separated by ``/``: ``S`` the start, ``G`` the
goal (reward 1, the episode ends), ``#`` a wall, ``.`` a free cell. The default
is a 4 x 4 room with a wall around the goal, which can be reached from the
start in 6 steps by two routes::

    S . . .
    . # # .
    . # G .
    . . . .

The actions move up, right, down or left; a move into a wall or off the grid
leaves the agent where it is. With ``slip`` > 0 a move goes to one of the two
sideways directions instead, each with probability slip / 2 (FrozenLake's
slippery ice, tunable). The value of a state must travel back from the goal
over several moves before the actor can learn the first step: the problem of
temporal credit assignment that TD learning solves (Sutton & Barto 2018, ch. 6;
the basal ganglia actor-critic of Barto 1995). Summary: ``steps_to_goal_last10``
against ``optimal_steps`` (breadth-first search), see
:mod:`dopasim.tasks.episodic` for the session and the trial table.
"""

from __future__ import annotations

from dopasim.params import ConfigError, Param, resolve
from dopasim.tasks.episodic import STEP_TIMING_PARAMS, EpisodicTask

ACTIONS = ("up", "right", "down", "left")
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))
DEFAULT_LAYOUT = "S.../.##./.#G./...."


class Gridworld(EpisodicTask):
    name = "gridworld"
    summary = "maze with a goal, step by step; steps_to_goal_last10 vs the optimal number"
    params = {
        "layout": Param(DEFAULT_LAYOUT, "the maze, rows separated by '/': S start, G goal, # wall, . free"),
        "slip": Param(0.0, "probability that a move goes sideways instead", low=0.0, high=1.0),
        "max_steps": Param(50, "steps after which an episode is given up", low=1, high=10_000),
        "replay_steps": Param(0, "moves replayed after each episode (its last ones, in order), through the same "
                              "circuit and plasticity; 0: no replay", low=0, high=10_000),
        **STEP_TIMING_PARAMS,
    }
    default_trials = 100

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        self.rows = [row.strip() for row in str(self.p["layout"]).replace("\n", "/").split("/") if row.strip()]
        self._check_layout()
        self.cells = [(r, c) for r, row in enumerate(self.rows) for c, ch in enumerate(row) if ch != "#"]
        index = {cell: i for i, cell in enumerate(self.cells)}
        self.start = index[self._find("S")]
        self.goal = index[self._find("G")]
        self.n_states, self.n_actions = len(self.cells), len(ACTIONS)
        self.max_steps = self.p["max_steps"]
        self.replay_steps = self.p["replay_steps"]
        slip = self.p["slip"]
        self.P = {}
        for s, (r, c) in enumerate(self.cells):
            self.P[s] = {}
            for a in range(self.n_actions):
                if s == self.goal:
                    # the goal is terminal: nothing is ever done there
                    self.P[s][a] = [(1.0, s, 0.0, True)]
                    continue
                options = [(1.0 - slip, a)] + ([(slip / 2, (a + 1) % 4), (slip / 2, (a + 3) % 4)] if slip else [])
                self.P[s][a] = []
                for p, direction in options:
                    dr, dc = MOVES[direction]
                    s2 = index.get((r + dr, c + dc), s)
                    self.P[s][a].append((p, s2, float(s2 == self.goal), s2 == self.goal))
        self._init_world()
        shortest = self.shortest_paths()[self.start]
        if not shortest < float("inf"):
            raise ConfigError(f"task.layout={self.p['layout']!r}: the goal cannot be reached from the start")
        if self.max_steps < shortest:
            raise ConfigError(f"task.max_steps={self.max_steps} is fewer than the {shortest:.0f} steps of the "
                              "shortest way to the goal")

    def start_state(self, rng) -> int:
        return self.start

    action_moves = MOVES

    def grid(self):
        """The layout's rows and the state of each free cell (for the maze figure)."""
        return self.rows, {cell: s for s, cell in enumerate(self.cells)}

    def _find(self, mark: str) -> tuple[int, int]:
        return next((r, row.index(mark)) for r, row in enumerate(self.rows) if mark in row)

    def _check_layout(self) -> None:
        text = self.p["layout"]
        bad = sorted(set("".join(self.rows)) - set("SG#."))
        if bad:
            raise ConfigError(f"task.layout={text!r} has the marks {bad}; valid: S start, G goal, # wall, . free")
        if len({len(row) for row in self.rows}) != 1:
            raise ConfigError(f"task.layout={text!r}: every row must be as long as the first")
        for mark, what in (("S", "start"), ("G", "goal")):
            if "".join(self.rows).count(mark) != 1:
                raise ConfigError(f"task.layout={text!r} needs exactly one {mark} ({what})")
