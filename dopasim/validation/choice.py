"""Findings of choice: learning which arm pays and relearning when it reverses, and learning from gains
and from losses with dopamine (Frank, Seeberger & O'Reilly 2004)."""

from dopasim.validation import Finding, register_finding

FRANK_2004 = "Frank, Seeberger & O'Reilly (2004) Science 306:1940"
#: healthy probabilistic-selection cohorts: each subject's choose_a and avoid_b rest on 24 test choices after a
#: training that samples B a few times, so subjects scatter by about 0.2 (seeds 1-4); 20 subjects, as Frank et
#: al.'s groups, give the cohort mean an interval of about +-0.09
HEALTHY_COHORT = 20

register_finding(Finding(
    name="bandit_learns_the_better_arm", paper="Sutton & Barto (2018), ch. 2; Daw et al. (2006) Nature 441:876",
    claim="on a two-armed bandit (0.8 / 0.2), the circuit chooses the richer arm in most of its last 100 trials",
    task="bandit", measure="p_best_last100", expect="above", threshold=0.5))

register_finding(Finding(
    name="reversal_relearned", paper="Cools, Clark, Owen & Robbins (2002) J Neurosci 22:4563",
    claim="after the contingencies swap, the circuit comes to choose the new richer arm",
    task="reversal", measure="p_best_post", expect="above", threshold=0.6, modes=("rate",)))
# not claimed in spiking mode: a spiking subject can keep to the old arm for most of the 150 trials after the
# swap (one of five chose the new arm in 30% of its last 50 trials), so its cohort interval spans the threshold

register_finding(Finding(
    name="healthy_choose_a", paper=FRANK_2004,
    claim="healthy subjects learn from gains: they choose A (rewarded 80%) over novel pairings",
    task="probabilistic_selection", measure="choose_a", expect="above", threshold=0.5, subjects=HEALTHY_COHORT))

register_finding(Finding(
    name="healthy_avoid_b", paper=FRANK_2004,
    claim="healthy subjects learn from losses: they avoid B (rewarded 20%) in novel pairings",
    task="probabilistic_selection", measure="avoid_b", expect="above", threshold=0.5, subjects=HEALTHY_COHORT))

register_finding(Finding(
    name="parkinsons_medication_reverses_bias", paper=FRANK_2004,
    claim="medication moves Parkinson's patients' learning towards gains: their bias (choose A minus avoid B) is "
          "lower off medication than on",
    task="probabilistic_selection", measure="choose_a", minus="avoid_b", group="parkinsons",
    against="parkinsons_medicated", expect="below", threshold=0.0, modes=("rate",),
    # a difference of two groups' biases, each measured on 24 test choices: cohorts the size of Frank et al.'s
    # (19 patients) to tell it from none
    subjects=20))

register_finding(Finding(
    name="depression_blunts_reward_dopamine", paper="Huys, Pizzagalli, Bogdan & Dayan (2013) Biol Mood Anxiety "
    "Disord 3:12",
    claim="with halved reward sensitivity (anhedonia), a reward evokes a smaller dopamine burst",
    task="bandit", measure="da_rewarded", group="depression", against="healthy", expect="below", threshold=0.0,
    modes=("rate",)))

register_finding(Finding(
    name="meta_rl_learns_within_episodes", paper="Wang et al. (2018) Nat Neurosci 21:860; Harlow (1949) "
    "Psychol Rev 56:51",
    claim="trained over many episodes of a re-drawn bandit, the circuit finds each episode's better arm more "
          "often than a learner with slow weights alone (the reference, on the same draws)",
    task="meta_bandit", measure="p_best_late", minus="ref_p_best_late", expect="above", threshold=0.0,
    modes=("rate",)))
