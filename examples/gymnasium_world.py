"""
Gymnasium both ways: the circuit crosses FrozenLake, an agent plays a dopasim task
===================================================================================

dopasim meets Gymnasium from both sides. Any environment with discrete states
and actions and a transition table (the toy-text worlds) can be played by the
circuit: ``dopasim run gym:FrozenLake-v1`` compiles the world into the closed
loop, and the basal ganglia choose every step while the critic's dopamine
assigns credit across the steps (Sutton & Barto 2018, ch. 6). And every
dopasim task is itself a ``gymnasium.Env``, so any agent can play it.

    python examples/gymnasium_world.py
"""

# %%
# The circuit on a 4 x 4 FrozenLake without slipping: the return per episode
# (circuit and the reference TD learner on the same episodes) and the policy
# the D1/D2 weights came to.
import gymnasium
import matplotlib.pyplot as plt
import numpy as np
from gymnasium.utils.env_checker import check_env

import dopasim
import dopasim.tasks  # noqa: F401 (registers every task with Gymnasium as dopasim/TASK-v0)
from dopasim.analysis.plots import episode_learning, maze_policy

res = dopasim.run("gym:FrozenLake-v1", mode="rate", trials=200, seed=2, progress=False,
                  params={"task.is_slippery": False})
print(f"mean return over the last 50 episodes: {res.summary['mean_return_last50']:.2f}")
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
episode_learning(res, ax=axes[:2])
maze_policy(res, ax=axes[2])
plt.show()

# %%
# The other way: the bandit task as a Gymnasium environment, played by a
# few lines of epsilon-greedy Q-learning. It passes Gymnasium's own checker.

env = gymnasium.make("dopasim/bandit-v0", reward_probs="0.3,0.8")
check_env(env.unwrapped)
rng = np.random.default_rng(0)
q, chosen = np.zeros(2), []
obs, _ = env.reset(seed=0)
for step in range(300):
    action = int(rng.integers(2)) if rng.random() < 0.1 else int(np.argmax(q))
    obs, reward, terminated, truncated, _ = env.step(action)
    q[action] += 0.1 * (reward - q[action])
    chosen.append(action)
    if terminated or truncated:
        obs, _ = env.reset()
print(f"Q-learning agent: Q = {np.round(q, 2)}, better arm chosen in {np.mean(np.array(chosen[-100:]) == 1):.0%} "
      "of the last 100 steps")
