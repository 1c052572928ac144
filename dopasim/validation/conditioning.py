"""Findings of classical conditioning: the dopamine response moves from the reward to the cue, a withheld
reward dips it, and it follows the TD error (Schultz, Dayan & Montague 1997)."""

from dopasim.validation import Finding, register_finding

SCHULTZ_1997 = "Schultz, Dayan & Montague (1997) Science 275:1593"
#: probe trials whose reward is withheld, late in a 150-trial session
OMITTED = (("task.omit_trials", "130,140"),)

register_finding(Finding(
    name="cs_response_grows", paper=SCHULTZ_1997,
    claim="after training, the cue (CS) evokes a dopamine burst it did not evoke at first",
    task="pavlovian", measure="da_cs_late", minus="da_cs_early", expect="above", threshold=1.0, trials=150))

register_finding(Finding(
    name="us_response_fades", paper=SCHULTZ_1997,
    claim="a fully predicted reward (US) evokes less than a third of the burst it evoked at first",
    task="pavlovian", measure="da_us_late_over_early", expect="below", threshold=1 / 3, trials=150))

register_finding(Finding(
    name="omission_dip", paper=SCHULTZ_1997,
    claim="a predicted reward withheld late in training pauses the dopamine cells below their tonic rate",
    task="pavlovian", measure="da_us_omitted_late", expect="below", threshold=0.0, trials=150, sets=OMITTED))

register_finding(Finding(
    name="dopamine_is_td_error", paper="Montague, Dayan & Sejnowski (1996) J Neurosci 16:1936",
    claim="trial by trial, the dopamine response at the cue follows the reference TD(lambda) error (r > 0.8)",
    task="pavlovian", measure="corr_da_td_cs", expect="above", threshold=0.8, trials=150))

register_finding(Finding(
    name="addictive_cue_value_keeps_rising", paper="Redish (2004) Science 306:1944",
    claim="a cue that predicts a drug keeps gaining value, where a cue that predicts a plain reward levels off",
    task="pavlovian", measure="value_slope_late", group="addiction", against="healthy", expect="above",
    threshold=0.0, trials=150, sets=(("task.drug", True),), modes=("rate",)))

DABNEY_2020 = "Dabney et al. (2020) Nature 577:671"
#: a bimodal reward distribution: three small and three large magnitudes
BIMODAL = (("task.magnitudes", "0.1,0.3,0.5,1.1,1.3,1.5"),)

register_finding(Finding(
    name="distributional_reversal_points", paper=DABNEY_2020,
    claim="dopamine cells that scale positive errors up reverse at larger rewards: asymmetry and reversal point "
          "correlate across cells",
    task="variable_magnitude", measure="asymmetry_reversal_corr", expect="above", threshold=0.5, sets=BIMODAL))

register_finding(Finding(
    name="distributional_code_is_bimodal", paper=DABNEY_2020,
    claim="the reward distribution decoded from the dopamine cells' reversal points has the two modes of a "
          "bimodal reward",
    task="variable_magnitude", measure="decoded_modes", expect="above", threshold=1.5, sets=BIMODAL,
    # in spiking mode the decode finds one mode in about one subject of ten: a cohort of 5 cannot establish it
    modes=("rate",)))
