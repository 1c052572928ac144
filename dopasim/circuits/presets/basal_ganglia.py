"""The basal ganglia: action selection and the actor-critic.

``selection``: the action-selection circuit of Gurney, Prescott & Redgrave
(2001), weights and thresholds as published (rates of 1 model unit = 100 Hz).
Each competing action is a channel. Salience drives D1 and D2 striatum and STN
channel by channel. D1 inhibits its GPi channel (direct pathway), D2 its GPe
channel (indirect). STN excites all GPe and GPi channels (diffuse). GPe
inhibits its STN and GPi channels. The channel whose GPi falls silent releases
its thalamus: that is the action.

``actor_critic``: the two joined into the basal ganglia actor-critic (Barto
1995; Joel, Niv & Ruppin 2002; Frank 2005). A ``cue`` input (one group of cells
per stimulus, or per state) drives the ventral striatum (critic: value through
plastic synapses, VTA computes the RPE) and the dorsal striatum's D1 and D2
cells of every action channel through plastic synapses (actor). SNc cells
receive the same value and reward inputs as the VTA and return the RPE to the
dorsal striatum: bursts strengthen cue -> D1 and weaken cue -> D2 synapses of
the active (chosen) channel, dips the reverse. The premotor efference copy of
the choice makes the chosen channel's striatal cells the most active, so their
pre x post tag carries the credit. Drive noise in the striatum explores.
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.presets.conditioning import FAST_MS, SLOW_MS
from dopasim.circuits.regions import REGIONS
from dopasim.params import ConfigError


#: Gurney, Prescott & Redgrave (2001): weights of the selection circuit
W_STN_DIFFUSE = 0.9  # wp: STN -> GPe, GPi, summed over channels
W_GPE_GPI = 0.3  # we
DA_GAIN = 0.2  # lambda: tonic dopamine raises D1 (1 + lambda) and lowers D2 (1 - lambda) input gain
#: thresholds epsilon as baseline drive at 100 Hz per model unit: striatum 0.2, STN -0.25, GPe/GPi -0.2
STRIATUM_THRESHOLD_HZ = -20.0
#: GPi -> thalamus: tonic GPi output (~17 Hz at rest) holds the thalamus (30 Hz tonic drive) near 5 Hz
W_NIGROTHALAMIC = 1.5
CELLS_PER_CHANNEL = 20


def selection(channels: int = 3, cells_per_channel: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    g = CircuitGraph("selection")
    n = cells_per_channel * channels
    g.add_region("salience", "salience", channels=channels)
    g.add_region("striatum_d1", "striatum", size=n, channels=channels, baseline_hz=STRIATUM_THRESHOLD_HZ)
    g.add_region("striatum_d2", "striatum", size=n, channels=channels, baseline_hz=STRIATUM_THRESHOLD_HZ)
    for region in ("stn", "gpe", "gpi", "thalamus"):
        g.add_region(region, region, size=n, channels=channels)

    # cortex -> striatum, focused; tonic dopamine tilts the gain towards D1
    g.add_projection("cortex_d1", "salience", "striatum_d1", "excitatory", weight=1 + DA_GAIN, topology="channel")
    g.add_projection("cortex_d2", "salience", "striatum_d2", "excitatory", weight=1 - DA_GAIN, topology="channel")
    # cortex -> STN, focused: the hyperdirect pathway
    g.add_projection("hyperdirect", "salience", "stn", "excitatory", weight=1.0, topology="channel")
    # D1 striatum -| GPi, focused: the direct (selection) pathway
    g.add_projection("direct", "striatum_d1", "gpi", "inhibitory", weight=1.0, topology="channel")
    # D2 striatum -| GPe, focused: the indirect (control) pathway
    g.add_projection("indirect", "striatum_d2", "gpe", "inhibitory", weight=1.0, topology="channel")
    # STN -> GPe and GPi, diffuse: each channel sums every STN channel (mean rate x channels)
    g.add_projection("stn_gpe", "stn", "gpe", "excitatory", weight=W_STN_DIFFUSE * channels)
    g.add_projection("stn_gpi", "stn", "gpi", "excitatory", weight=W_STN_DIFFUSE * channels)
    # GPe -| STN and GPe -| GPi, focused
    g.add_projection("gpe_stn", "gpe", "stn", "inhibitory", weight=1.0, topology="channel")
    g.add_projection("gpe_gpi", "gpe", "gpi", "inhibitory", weight=W_GPE_GPI, topology="channel")
    # GPi -| thalamus, focused: tonic inhibition, released for the selected channel
    g.add_projection("nigrothalamic", "gpi", "thalamus", "inhibitory", weight=W_NIGROTHALAMIC, topology="channel")
    return g


#: actor-critic: rate of an active cue cell, striatal drive noise
CUE_RATE_HZ = 50.0
STRIATAL_NOISE_HZ = 8.0
#: learning rates of the actor (cue -> D1/D2, pre x post tag) and the critic (cue -> ventral striatum);
#: D2 cells start less driven (ACTOR_WEIGHT_D2), so their tags are smaller: a doubled rate balances Go and NoGo
ACTOR_LEARNING_RATE = 1.5e-3
ACTOR_D2_LEARNING_GAIN = 2.0
#: the actor's eligibility ends within the inter-trial interval, so the next trial's cue burst (the value
#: of the new trial) is not credited to this trial's choice; it still spans the outcome after the choice
ACTOR_ELIGIBILITY_MS = 150.0
CRITIC_LEARNING_RATE = 0.02
CRITIC_WEIGHT = 0.25
#: elements of 100 ms in the critic's serial compound: covers a response window of up to 1 s
CRITIC_ELEMENTS = 10
#: the critic's eligibility outlasts its cue by less than the inter-trial interval, so the next trial's
#: cue burst is not credited to this trial's last element
CRITIC_ELIGIBILITY_MS = 200.0
#: bounded preferences: a Go weight of 1.6 drives the striatum at 60 Hz, so a few dips can overturn it
ACTOR_W_MAX = 1.6
#: only cells driven above this rate (the chosen channel's, lifted by the efference copy) are tagged
ACTOR_POST_THRESHOLD_HZ = 25.0
#: initial cue -> D1/D2 weights: the striatum fires well below the GPR operating point, so that the
#: efference copy (30 Hz) makes the chosen channel's cells several times more active than the rest;
#: the direct pathway's gain is doubled so that these lower striatal rates still release a channel
ACTOR_WEIGHT_D1 = 0.7
ACTOR_WEIGHT_D2 = 0.5
W_DIRECT_ACTOR = 2.0
#: channels whose summed hyperdirect drive a state in topology "all" matches (the two cues of a choice)
HYPERDIRECT_OFFERED = 2.0
#: reward -> DA gain: small enough that the dip of an omitted, fully predicted reward stays above 0 Hz
REWARD_DRIVE_ACTOR = 0.1
#: a world's discounting critic: the value of a state k steps from the goal is a fraction of the goal's, and
#: each step's TD error a fraction of that, so a larger reward gain and more DA cells (less shot noise in
#: the population rate) keep those errors above the spiking DA cells' noise (100 cells: 0.25 Hz per step)
REWARD_DRIVE_WORLD = 0.3
DOPAMINE_CELLS_WORLD = 500
#: and a bounded value: one state drives its ventral striatum at most about 30 Hz above rest (25 times the
#: initial weight), so that a run of noisy bursts cannot inflate a value without end
CRITIC_W_MAX_WORLD = 25 * CRITIC_WEIGHT
#: dopamine loss strengthens GPe -> STN inhibition (D2 receptors on GPe terminals in the STN: Baufreton &
#: Bevan 2008; more GPe-STN synapses after DA loss: Fan et al. 2012) and STN -> GPe excitation (Holgado,
#: Terry & Bogacz 2010): each weight x (1 + 1.25 x the fraction of nigral dopamine lost), doubled at 80% loss
STN_GPE_DOPAMINE_SCALING = 1.25
#: dopamine's tonic action on striatal excitability: as resting dopamine is lost, cortical (and premotor) drive
#: of D1 cells weakens and of D2 cells strengthens, each weight x (1 -/+ 0.5 x the fraction lost) (Mallet et al.
#: 2006; Surmeier et al. 2007; OpAL's rho, Collins & Frank 2014); 1 at the normal level, so a healthy circuit is
#: untouched. It is what lets an unmedicated Parkinson's circuit avoid B better than it chooses A (README)
D1_D2_EXCITABILITY_SCALING = 0.5
#: and its ventral striatum rests at a low rate, so that small values of distant states are read in the range
#: where a noisy LIF's rate follows its drive, not lost in the noise-driven floor below it (1.7 Hz at no drive)
VALUE_RESTING_HZ = 4.0


def actor_critic(stimuli: int = 2, actions: int = 2, topology: str = "channel",
                 critic_stimuli: int = 1, critic_elements: int = CRITIC_ELEMENTS,
                 critic_element_ms: float = 100.0, critic_horizon_s: float | None = None,
                 stn_baseline_hz: float | None = None, loop_delay_ms: float = 0.0,
                 punishment: bool = False, critic_tag_stages: int = 2, critic_learning_gain: float = 1.0,
                 actor_eligibility_ms: float = ACTOR_ELIGIBILITY_MS, actor_forget_s: float = 0.0,
                 actor_learning_gain: float = 1.0, cells_per_channel: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """The basal ganglia actor-critic for ``actions`` choices among ``stimuli`` cues.

    ``topology="channel"``: stimulus k stands for action k (choose a stimulus, as in
    bandits and the probabilistic selection task; ``stimuli == actions``).
    ``topology="all"``: every stimulus (a state) reaches every action channel (mazes).
    Weights of diffuse cue projections are scaled by the number of stimuli, so one
    active stimulus drives its targets as hard in both topologies.
    ``critic_stimuli``: how many stimuli the critic tells apart (1: every trial
    starts from the same state, as in a bandit).
    ``critic_elements`` x ``critic_element_ms``: the cortex's serial compound; a
    maze uses one element as long as a step, a presence code of the state (one
    value per state, as in tabular TD; Sutton & Barto 1990).
    ``critic_horizon_s``: the time constant of discounting (Doya 2000): the fast
    value route is weakened so that the DA cells see ``dV/dt - V / horizon``, a
    cost of time that makes shorter paths worth more (None: undiscounted, as
    suits trials that each end in their own outcome). A discounting critic
    gets ``REWARD_DRIVE_WORLD``, ``DOPAMINE_CELLS_WORLD``, a critic weight
    bounded by ``CRITIC_W_MAX_WORLD`` and a ventral striatum resting at
    ``VALUE_RESTING_HZ``; the DA cells' own drive is raised
    by what the weakened fast route takes off that resting rate, so that they
    still rest at their tonic rate.
    ``stn_baseline_hz`` and ``loop_delay_ms`` set the STN's resting drive and the
    STN <-> GPe axonal delays (spiking mode) for the resting state (the ``rest``
    task): an STN that fires at rest, as it does in vivo, in a loop that rings
    at beta once dopamine loss has strengthened it (see ``STN_GPE_DOPAMINE_SCALING``).
    ``punishment``: a punishment input (negative feedback, through the lateral
    habenula) that inhibits the VTA and SNc as the reward input excites them,
    for tasks whose outcomes can be negative.
    ``critic_learning_gain`` multiplies the critic's learning rate.
    ``critic_tag_stages``: stages of the critic's tag cascade (see
    :mod:`dopasim.models.plasticity`). ``actor_eligibility_ms``,
    ``actor_forget_s`` and ``actor_learning_gain`` (times the default learning
    rates) set the actor's cue -> D1/D2 synapses. ``cells_per_channel``: the
    cells of each action channel in the striatum, STN, GPe, GPi and thalamus
    (spiking mode: more cells, less shot noise in what the channels tell apart).
    """
    from dopasim.circuits.lesions import remove_region

    if topology == "channel" and stimuli != actions:
        raise ConfigError(f"actor_critic: topology 'channel' pairs stimulus k with action k, so stimuli "
                          f"({stimuli}) must equal actions ({actions})")
    g = remove_region(selection(actions, cells_per_channel), "salience")
    g.name, g.lesions = "actor_critic", []  # a preset built from another, not a lesioned circuit
    scale = stimuli if topology == "all" else 1
    g.add_region("cue", "salience", channels=stimuli, peak_rate_hz=CUE_RATE_HZ)
    for region in ("striatum_d1", "striatum_d2"):
        g.set(f"{region}.noise_hz", STRIATAL_NOISE_HZ)
    g.set("striatum_d2.dopamine_receptor", "d2")
    plastic = dict(rule="three_factor", post="rate", post_threshold_hz=ACTOR_POST_THRESHOLD_HZ,
                   eligibility_ms=actor_eligibility_ms, w_max=ACTOR_W_MAX * scale, w_init_spread=0.0,
                   topology=topology, forget_s=actor_forget_s)
    rate = ACTOR_LEARNING_RATE * actor_learning_gain * scale
    g.add_projection("cue_d1", "cue", "striatum_d1", "excitatory", weight=ACTOR_WEIGHT_D1 * scale,
                     learning_rate=rate, **plastic)
    g.add_projection("cue_d2", "cue", "striatum_d2", "excitatory", weight=ACTOR_WEIGHT_D2 * scale,
                     learning_rate=rate * ACTOR_D2_LEARNING_GAIN, **plastic)
    g.set("direct.weight", W_DIRECT_ACTOR)
    # hyperdirect (the global NoGo): in a choice among offered stimuli, two cues drive their STN channels; a
    # state reaching every channel shares the same summed drive among them, or the STN holds every channel back
    hyperdirect = 1.0 if topology == "channel" else HYPERDIRECT_OFFERED / actions
    g.add_projection("hyperdirect", "cue", "stn", "excitatory", weight=hyperdirect * scale, topology=topology)
    # efference copy of the choice: the chosen channel's striatal cells fire most, so their tag takes the credit
    g.add_region("motor", "motor", channels=actions)
    for region in ("striatum_d1", "striatum_d2"):
        g.add_projection(f"motor_{region[-2:]}", "motor", region, "excitatory", weight=1.0, topology="channel")
    for source in ("cue", "motor"):
        g.set(f"{source}_d1.dopamine_scaling", -D1_D2_EXCITABILITY_SCALING)
        g.set(f"{source}_d2.dopamine_scaling", D1_D2_EXCITABILITY_SCALING)

    # the critic: value of the cue in the ventral striatum, RPE in the VTA and in the SNc
    # (cortex holds a serial compound of the cue, per stimulus for state-dependent value, as in ``critic``)
    g.add_region("cortex", "cortex", stimuli=critic_stimuli, n_elements=critic_elements,
                 element_ms=critic_element_ms)
    g.add_region("reward", "reward")
    if punishment:
        g.add_region("punishment", "punishment")
    # fast minus slow value is (SLOW - FAST) x dV/dt; weakening the fast route by (SLOW - FAST) / horizon adds -V/horizon
    world = critic_horizon_s is not None
    discount = (SLOW_MS - FAST_MS) / 1000 / critic_horizon_s if world else 0.0
    value_fast = 1.0 - discount
    resting = VALUE_RESTING_HZ if world else 0.0
    g.add_region("ventral_striatum", "striatum", baseline_hz=resting)
    for da in ("vta", "snc"):
        tonic = REGIONS[da].params["baseline_hz"].default
        world_cells = dict(size=DOPAMINE_CELLS_WORLD, baseline_hz=tonic + discount * resting)
        g.add_region(da, da, **(world_cells if world else {}))
    # the drive is the mean over the cortex's cells: scaled so one active element drives as hard in every shape
    spread = critic_stimuli * critic_elements / CRITIC_ELEMENTS
    g.add_projection("corticostriatal", "cortex", "ventral_striatum", "excitatory", rule="three_factor",
                     weight=CRITIC_WEIGHT * spread,
                     learning_rate=CRITIC_LEARNING_RATE * critic_learning_gain * spread,
                     eligibility_ms=CRITIC_ELIGIBILITY_MS, tau_ms=5.0, tag_stages=critic_tag_stages,
                     **({"w_max": CRITIC_W_MAX_WORLD * spread} if world else {}))
    for da, suffix in (("vta", ""), ("snc", "_snc")):
        g.add_projection(f"value_fast{suffix}", "ventral_striatum", da, "excitatory", weight=value_fast,
                         tau_ms=FAST_MS)
        g.add_projection(f"value_slow{suffix}", "ventral_striatum", da, "inhibitory", weight=1.0, tau_ms=SLOW_MS)
        g.add_projection(f"reward_drive{suffix}", "reward", da, "excitatory", tau_ms=SLOW_MS,
                         weight=REWARD_DRIVE_WORLD if world else REWARD_DRIVE_ACTOR)
        if punishment:
            g.add_projection(f"punishment_drive{suffix}", "punishment", da, "inhibitory", tau_ms=SLOW_MS,
                             weight=REWARD_DRIVE_WORLD if world else REWARD_DRIVE_ACTOR)
    g.add_projection("mesolimbic", "vta", "ventral_striatum", "dopamine", weight=1.0, tau_ms=20.0)
    for region in ("striatum_d1", "striatum_d2"):
        g.add_projection(f"nigrostriatal_{region[-2:]}", "snc", region, "dopamine", weight=1.0, tau_ms=20.0)

    # nigral dopamine in the STN and GPe: its loss strengthens the STN <-> GPe coupling
    g.add_projection("nigrosubthalamic", "snc", "stn", "dopamine", weight=1.0)
    g.add_projection("nigropallidal", "snc", "gpe", "dopamine", weight=1.0)
    for projection in ("gpe_stn", "stn_gpe"):
        g.set(f"{projection}.dopamine_scaling", STN_GPE_DOPAMINE_SCALING)
        g.set(f"{projection}.delay_ms", loop_delay_ms)
    if stn_baseline_hz is not None:
        g.set("stn.baseline_hz", stn_baseline_hz)
    return g
