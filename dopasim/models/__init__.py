"""Building blocks that know no region and no task: neuron equations,
plasticity rules and the abstract reference learners."""
