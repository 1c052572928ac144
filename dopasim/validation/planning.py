"""Findings of planning: model-based control on the two-step task (Daw et al. 2011), and its loss in OCD
(Gillan et al. 2016)."""

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
