"""Findings of planning: model-based control on the two-step task (Daw et al. 2011) and its loss in OCD
(Gillan et al. 2016), replanning after a revaluation (Momennejad et al. 2017), and crossing a maze by
credit carried back over several moves (Sutton & Barto 2018)."""

from dopasim.validation import Finding, register_finding

DAW_2011 = "Daw, Gershman, Seymour, Dayan & Dolan (2011) Neuron 69:1204"

register_finding(Finding(
    name="model_free_stays_after_reward", paper=DAW_2011,
    claim="a model-free circuit repeats a rewarded first-stage choice whether its transition was common or rare",
    task="two_step", measure="mf_index", expect="above", threshold=0.0, modes=("rate",),
    sets=(("circuit.pfc.model_based_weight", 0.0),)))

register_finding(Finding(
    name="model_based_reward_by_transition", paper=DAW_2011,
    claim="a model-based circuit repeats a rewarded choice after a common transition and switches after a rare "
          "one (the reward x transition interaction)",
    task="two_step", measure="mb_index", expect="above", threshold=0.0, modes=("rate",),
    sets=(("circuit.pfc.model_based_weight", 1.0),)))

register_finding(Finding(
    name="ocd_loses_goal_directed_control", paper="Gillan et al. (2016) eLife 5:e11305; Voon et al. (2015) "
    "Mol Psychiatry 20:345",
    claim="with goal-directed control cut (OCD), the hybrid learner fitted to the choices weighs the model less",
    task="two_step", measure="fitted_model_based_weight", group="ocd", against="healthy", expect="below",
    threshold=0.0, modes=("rate",), trials=1000))

MOMENNEJAD_2017 = "Momennejad et al. (2017) Nat Hum Behav 1:680; Russek et al. (2017) PLoS Comput Biol 13:e1005768"
#: the two revaluations of Momennejad et al., each in a block of its own, the replanning circuit in charge
REVALUATION = (("task.conditions", "reward,transition"),)

register_finding(Finding(
    name="successor_replans_after_reward_revaluation", paper=MOMENNEJAD_2017,
    claim="a hippocampal successor representation replans after a reward revaluation more than after a "
          "transition revaluation",
    task="revaluation", circuit="successor", measure="revaluation_score_reward",
    minus="revaluation_score_transition", expect="above", threshold=0.0, modes=("rate",),
    sets=REVALUATION + (("circuit.hippocampus.model_based_weight", 1.0),)))

register_finding(Finding(
    name="model_based_replans_after_transition_revaluation", paper=MOMENNEJAD_2017,
    claim="a prefrontal model of the transitions replans after a transition revaluation (most of the way to a "
          "full switch)",
    task="revaluation", circuit="model_based", measure="revaluation_score_transition", expect="above",
    threshold=0.5, modes=("rate",), sets=REVALUATION + (("circuit.pfc.model_based_weight", 1.0),)))

register_finding(Finding(
    name="maze_crossed_near_the_shortest_way", paper="Sutton & Barto (2018), ch. 6; Barto (1995)",
    claim="after 100 episodes the circuit crosses the maze in less than twice the fewest steps: the goal's value "
          "has travelled back over every move",
    task="gridworld", measure="steps_over_optimal", expect="below", threshold=2.0))

register_finding(Finding(
    name="frozen_lake_crossed", paper="Towers et al. (2024) Gymnasium, arXiv:2407.17032; Sutton & Barto (2018), "
    "ch. 6",
    claim="in Gymnasium's FrozenLake (not slippery), an environment written for machine learning, the circuit "
          "reaches the goal in most of its last 50 of 400 episodes",
    task="gym:FrozenLake-v1", measure="mean_return_last50", expect="above", threshold=0.5, trials=400,
    modes=("rate",), sets=(("task.is_slippery", False),)))

register_finding(Finding(
    name="replay_speeds_learning", paper="Foster & Wilson (2006) Nature 440:680; Sutton (1990) ICML; Mattar & Daw "
    "(2018) Nat Neurosci 21:1609",
    claim="replaying its last 6 moves after each episode, the circuit reaches the maze's criterion (5 episodes in "
          "a row near the shortest way) in fewer episodes",
    task="gridworld", measure="episodes_to_criterion", group="replay", against="healthy", expect="below",
    threshold=0.0, modes=("rate",), variants=(("replay", (("task.replay_steps", 6),)),)))

#: the state shown for 100 ms, responses counted from 250 ms: the planner must read the state from the memory
MEMORY_GUIDED = (("task.cue_ms", 100), ("task.go_ms", 250), ("circuit.pfc.model_based_weight", 1.0))

register_finding(Finding(
    name="memory_guides_planned_choice", paper="Funahashi, Bruce & Goldman-Rakic (1989) J Neurophysiol 61:331; "
    + DAW_2011,
    claim="with each state shown only briefly, the planner chooses the better second-stage action from the "
          "state its prefrontal pools hold, and cutting the pools' recurrent excitation takes that away",
    task="two_step", circuit="model_based", measure="second_stage_best_choice", group="healthy",
    against="memory_cut", expect="above", threshold=0.0, trials=200, modes=("rate",), sets=MEMORY_GUIDED,
    variants=(("memory_cut", (("circuit.memory_recurrent.weight", 0.0),)),)))
