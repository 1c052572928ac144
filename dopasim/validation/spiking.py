"""Findings that need spikes: beta oscillations with dopamine loss, and the distal reward problem."""

from dopasim.validation import Finding, register_finding

register_finding(Finding(
    name="parkinsons_beta", paper="Brown et al. (2001) J Neurosci 21:1033; Mallet et al. (2008) J Neurosci 28:4795",
    claim="with 80% of the SNc lost, the STN and GPe ring in the beta band (13-30 Hz) at rest",
    task="rest", measure="beta_fraction_lfp", group="parkinsons", against="healthy", expect="above",
    threshold=0.0, modes=("spiking",)))

register_finding(Finding(
    name="distal_reward_credited", paper="Izhikevich (2007) Cereb Cortex 17:2443",
    claim="a synapse whose pairing a dopamine burst follows 1-3 s later ends above the other plastic synapses' "
          "99th percentile in more subjects than the 1% that chance gives any one synapse",
    task="distal_reward", measure="chosen_weight", minus="others_p99", each_above=0.0, expect="above",
    threshold=0.01, modes=("spiking",)))
