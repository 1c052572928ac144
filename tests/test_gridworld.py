"""Episodic tasks: a maze crossed step by step, and external Gymnasium worlds (gym:ENV)."""

import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from dopasim.circuits.dopamine import resting_drive
from dopasim.experiment import configure, run
from dopasim.params import ConfigError
from dopasim.tasks import make

#: a small room: the goal 3 steps from the start, by several routes
ROOM = "S../..G"


def test_the_maze_moves_stop_at_walls_and_the_goal_ends_the_episode():
    maze = make("gridworld", layout="S.#/..G")
    up, right, down, left = range(4)
    assert maze.n_states == 5 and maze.shortest_paths()[maze.start] == 3
    assert maze.move(maze.start, up, 0.5) == (maze.start, 0.0, False)      # off the grid: stay
    assert maze.move(1, right, 0.5) == (1, 0.0, False)                     # into the wall: stay
    assert maze.move(maze.start, down, 0.5) == (2, 0.0, False)
    assert maze.move(3, right, 0.5) == (maze.goal, 1.0, True)
    # slippery: a move goes sideways with probability slip / 2 each way, by the same draw as the circuit's
    slippery = make("gridworld", layout="S.#/..G", slip=0.4)
    assert [p for p, *_ in slippery.P[3][right]] == pytest.approx([0.6, 0.2, 0.2])
    assert slippery.move(3, right, 0.59)[0] == slippery.goal
    assert slippery.move(3, right, 0.61)[0] == 3  # down: off the grid, so it stays
    assert slippery.move(3, right, 0.81)[0] == 1  # up
    check_env(slippery.unwrapped)


@pytest.mark.parametrize("layout, message", [
    ("S.X/..G", "marks"), ("S../...", "exactly one G"), ("S.#/.#G/", "cannot be reached"), ("S../.G", "as long"),
])
def test_bad_mazes_are_refused_with_the_reason(layout, message):
    with pytest.raises(ConfigError, match=message):
        make("gridworld", layout=layout)


def test_an_external_gymnasium_world_is_wrapped_with_its_own_table():
    lake = make("gym:FrozenLake-v1", is_slippery="false")
    assert (lake.n_states, lake.n_actions, lake.max_steps) == (16, 4, 100)
    assert lake.shortest_paths()[0] == 6
    check_env(lake.unwrapped)
    with pytest.raises(ConfigError, match="FrozenLak"):
        make("gym:FrozenLak-v1")
    with pytest.raises(ConfigError, match="discrete observations"):
        make("gym:CartPole-v1")
    with pytest.raises(ConfigError, match="rewards go down to -"):
        make("gym:CliffWalking-v1")
    with pytest.raises(ConfigError, match="keyword"):
        make("gym:FrozenLake-v1", slipperiness="0.3")
    # the circuit is shaped to the world: a cue and a critic state per lake cell, a channel per move
    _, graph, _, _ = configure("gym:FrozenLake-v1", params={"task.is_slippery": "false"})
    assert graph.channels("cue") == 16 and graph.channels("thalamus") == 4
    # its critic's ventral striatum rests above the LIF's noise floor, and its DA cells still rest at 5 Hz:
    # their baseline makes up what the discounting value routes take off that resting rate
    assert graph.region("ventral_striatum")["params"]["baseline_hz"] > 0
    for dopamine in ("vta", "snc"):
        assert graph.region(dopamine)["params"]["baseline_hz"] > 5.0
        assert resting_drive(graph, dopamine) == pytest.approx(5.0)


@pytest.mark.slow
def test_on_the_lake_every_step_follows_the_worlds_table_and_episodes_follow_each_other():
    res = run("gym:FrozenLake-v1", mode="rate", trials=5, seed=3, params={"task.is_slippery": "false"},
              progress=False)
    t, lake = res.trials, res.task
    assert res.summary["episodes"] == 5 and list(np.unique(t["episode"])) == list(range(5))
    for i in range(len(t["trial"])):
        if t["choice"][i] < 0:
            assert t["next_state"][i] in (t["state"][i], -1)
            continue
        next_state, reward, terminal = lake.move(t["state"][i], t["choice"][i], 0.5)
        assert t["reward"][i] == reward and t["done"][i] == terminal
        assert t["next_state"][i] == (-1 if terminal or t["timeout"][i] else next_state)
        if t["next_state"][i] >= 0:  # the state moved to is the next step's
            assert t["state"][i + 1] == t["next_state"][i] and t["step"][i + 1] == t["step"][i] + 1
    starts = t["step"] == 1
    assert np.all(t["state"][starts] == 0) and starts.sum() == 5
    # every episode ends in a hole, at the goal or at the time limit, and a gap slot follows it
    ends = np.flatnonzero(np.isfinite(t["episode_steps"]))
    assert len(ends) == 5 and np.all(t["done"][ends] + t["timeout"][ends] == 1)
    assert np.all(np.diff(t["trial"])[ends[:-1]] == 2)
    assert res.recording.duration == pytest.approx((t["trial"][-1] + 1) * lake.duration)


@pytest.fixture(scope="module")
def room():
    return run("gridworld", mode="rate", trials=40, seed=2, params={"task.layout": ROOM}, progress=False)


@pytest.mark.slow
def test_the_circuit_learns_the_shortest_way_through_a_room_from_its_own_dopamine(room):
    s = room.summary
    assert s["optimal_steps"] == 3
    assert s["goal_rate_last10"] == 1.0
    assert s["steps_to_goal_last10"] <= 1.5 * s["optimal_steps"]
    # the first episodes wander longer
    assert np.mean(room.task.episodes(room.trials)["steps"][:5]) >= 1.5 * s["steps_to_goal_last10"]


@pytest.mark.slow
def test_dopamine_signals_the_td_error_of_each_move(room):
    t = room.trials
    assert room.summary["corr_da_td_outcome"] > 0.6
    # the goal: a burst while it is unexpected, smaller once the value of the last state predicts it
    goal = np.flatnonzero((t["reward"] > 0))
    assert len(goal) >= 20
    assert t["da_outcome"][goal[:3]].mean() > 2 * t["da_outcome"][goal[-5:]].mean()


def test_a_time_limit_shorter_than_the_way_to_the_goal_is_refused():
    with pytest.raises(ConfigError, match="max_steps=2 is fewer than the 3 steps"):
        make("gridworld", layout=ROOM, max_steps=2)


# -- replay: the episode's last moves played again through the same circuit -------------------------------

@pytest.fixture(scope="module")
def replayed_room():
    return run("gridworld", mode="rate", trials=40, seed=2, params={"task.layout": ROOM, "task.replay_steps": "3"},
               progress=False)


@pytest.mark.slow
def test_after_each_episode_its_last_moves_are_replayed_with_the_remembered_outcomes(replayed_room):
    t, events = replayed_room.trials, replayed_room.recording.events
    assert "replayed" not in t and len(t["trial"]) == ((events["replayed"] == 0) & (events["stimulus"] >= 0)).sum()
    replays = (events["replayed"] == 1) & (events["stimulus"] >= 0)
    last = t["episode"].max()
    for episode in range(last):  # the session ends before the last episode's replay
        lived = np.flatnonzero(t["episode"] == episode)[-3:]
        again = np.flatnonzero(replays & (events["episode"] == episode))
        assert len(again) == len(lived)
        assert list(events["stimulus"][again]) == list(t["state"][lived])
        assert list(events["choice"][again]) == list(t["choice"][lived])
        assert list(events["reward"][again]) == list(t["reward"][lived])
        assert list(events["world_state"][again]) == list(t["next_state"][lived])
    assert not np.any(replays & (events["episode"] == last))


@pytest.mark.slow
def test_replay_reaches_the_criterion_in_fewer_episodes_and_fewer_real_steps(room, replayed_room):
    without, replayed = room.summary, replayed_room.summary
    assert replayed["episodes_to_criterion"] < without["episodes_to_criterion"]
    assert replayed["steps_to_criterion"] < without["steps_to_criterion"]


def _episodes_to_criterion(learner: str, replay_steps: int, seeds=range(20), n=100) -> float:
    from dopasim.models.rl import make_learner
    from dopasim.tasks.episodic import criterion

    maze = make("gridworld", replay_steps=replay_steps)
    counts = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        draws = maze.draws(n, rng)
        agent = make_learner(maze.n_states, maze.n_actions, learner, alpha=0.1, alpha_actor=0.1, beta=20.0,
                             gamma=0.9, planning_steps=10)
        paths = [maze.play_episode(agent, rng, draws["start"][e], draws["luck"][e]) for e in range(n)]
        returns = np.array([sum(r for *_, r in path) for path in paths])
        steps = np.where(returns > 0, [len(path) for path in paths], maze.max_steps)
        episodes, _ = criterion({"start": draws["start"], "steps": steps, "return": returns},
                                maze.shortest_paths())
        counts.append(episodes or n)
    return float(np.mean(counts))


@pytest.mark.slow
def test_reference_learners_reach_the_criterion_sooner_with_replay():
    # the circuit's replay (the episode's last 6 moves, once) in the abstract actor-critic, and Dyna-Q's
    # 10 replays of remembered moves after every real one, against Q-learning: 20 seeds of the default maze
    assert _episodes_to_criterion("actor_critic", 6) < 0.75 * _episodes_to_criterion("actor_critic", 0)
    assert _episodes_to_criterion("dyna", 0) < 0.5 * _episodes_to_criterion("q_learning", 0)
