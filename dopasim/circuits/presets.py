"""Named circuits, made only from regions and projections.

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

``critic``: the Pavlovian critic of Houk, Adams & Barto (1995) and Schultz,
Dayan & Montague (1997). Cortex carries a serial compound of the CS onto the
ventral striatum through plastic synapses; ventral striatum reaches the VTA by
a fast excitatory route (net disinhibition through the ventral pallidum) and a
slow inhibitory one (striosomal GABA-B); the reward input excites the VTA with
the same slow kernel; the VTA returns dopamine to the ventral striatum.
"""

from __future__ import annotations

import inspect

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.regions import REGIONS
from dopasim.params import ConfigError, unknown_name

#: time constant of the slow value inhibition and of the reward input (ms)
SLOW_MS = 100.0
#: fast value excitation (ms): long enough to smooth striatal shot noise
FAST_MS = 20.0


def critic() -> CircuitGraph:
    g = CircuitGraph("critic")
    g.add_region("cortex", "cortex")
    g.add_region("reward", "reward")
    g.add_region("ventral_striatum", "striatum")
    g.add_region("vta", "vta")

    # cortex -> ventral striatum: the plastic corticostriatal synapses that learn value
    g.add_projection("corticostriatal", "cortex", "ventral_striatum", "excitatory",
                     rule="three_factor", weight=0.5, tau_ms=5.0)
    # ventral striatum -> VTA, fast and net excitatory (via ventral pallidum): + V(t)
    g.add_projection("value_fast", "ventral_striatum", "vta", "excitatory", weight=1.0, tau_ms=FAST_MS)
    # ventral striatum -> VTA, slow and inhibitory (striosomes, GABA-B): - V(t - ~100 ms)
    g.add_projection("value_slow", "ventral_striatum", "vta", "inhibitory", weight=1.0, tau_ms=SLOW_MS)
    # reward -> VTA: primary reward excites DA cells, with the slow kernel so a predicted reward cancels
    g.add_projection("reward_drive", "reward", "vta", "excitatory", weight=0.3, tau_ms=SLOW_MS)
    # VTA -> ventral striatum: dopamine release, the third factor
    g.add_projection("mesolimbic", "vta", "ventral_striatum", "dopamine", weight=1.0, tau_ms=20.0)
    return g


#: distributional critic: value channels, each with DA cells of its own asymmetry (tau from 0.1 to 0.9)
VALUE_CHANNELS = 20
ASYMMETRY_SPREAD = 0.8
#: DA cells per value channel: a channel's response is read from their mean rate
DA_CELLS_PER_CHANNEL = 20
#: value cells' spikes per Hz of value drive a DA cell receives (the critic's: 1)
VALUE_SPIKES_PER_HZ = 3.0
#: the distributional critic's fast value route (ms; the critic's: FAST_MS)
DISTRIBUTIONAL_FAST_MS = 60.0


def distributional(channels: int = VALUE_CHANNELS, asymmetry_spread: float = ASYMMETRY_SPREAD) -> CircuitGraph:
    """The critic split into ``channels`` value channels, each paired with its own DA cells.

    Every channel's ventral striatal cells learn the cue's value from all of the
    cortex, but only from their own channel's dopamine, and send value back only
    to it; the DA cells of channel c scale positive errors by ``2 tau_c`` and
    negative ones by ``2 (1 - tau_c)`` (see :mod:`dopasim.circuits.regions.vta`).
    So channel c learns the ``tau_c``-expectile of the reward: the population
    codes the reward's distribution (Dabney et al. 2020; Rowland et al. 2019).

    A sign-dependent gain turns zero-mean input noise into drive: noise of
    s.d. ``s`` adds ``(g+ - g-) s / sqrt(2 pi)`` to a cell's mean net input,
    which pushes optimistic values up and pessimistic ones down, and more
    value means more noise (spiking mode; measured in the README,
    ``variable_magnitude``). So value reaches the DA cells on more spikes
    (``VALUE_SPIKES_PER_HZ``: the value cells' weight onto the DA cells is a
    third, the corticostriatal weights, their bound and learning rate three
    times, so a trial teaches the same value and the value cells fire three
    times as fast, faster than real MSNs) and through a slower fast route
    (``DISTRIBUTIONAL_FAST_MS``: its difference from the slow route passes
    less of that noise), and each channel has ``DA_CELLS_PER_CHANNEL`` DA
    cells. In rate mode, which has no such noise, the scaling changes
    nothing; the slower fast route leaves the values a little low (README).
    """
    g = critic()
    g.name = "distributional"
    for region in ("ventral_striatum", "vta"):
        g.set(f"{region}.channels", channels)
    g.set("vta.size", channels * DA_CELLS_PER_CHANNEL)
    g.set("vta.asymmetry_spread", asymmetry_spread)
    for projection in ("value_fast", "value_slow", "mesolimbic"):
        g.set(f"{projection}.topology", "channel")
    # the critic's value on VALUE_SPIKES_PER_HZ times the spikes, learned as fast
    for projection in ("value_fast", "value_slow"):
        g.set(f"{projection}.weight", g.projection(projection)["params"]["weight"] / VALUE_SPIKES_PER_HZ)
    for param in ("weight", "learning_rate", "w_max"):
        g.set(f"corticostriatal.{param}", g.projection("corticostriatal")["params"][param] * VALUE_SPIKES_PER_HZ)
    g.set("value_fast.tau_ms", DISTRIBUTIONAL_FAST_MS)
    return g


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


#: the PFC's cells per (action, outcome), and the drive of a predicted probability of 1 per Hz of cue rate
PFC_CELLS = 10
PROSPECTIVE_GAIN = 0.5
#: the dorsomedial striatum's value weights change G times as fast as the critic's, from G times its start,
#: so they are G times the critic's value of each outcome: G sets how far apart two actions' values drive it
GOAL_VALUE_GAIN = 10.0
DMS_LATERAL_INHIBITION = 3.0
CUE_DMS = 2 * ACTOR_WEIGHT_D1
#: the critic's weight for a state whose reward (of 1) is certain, measured: the worth of the PFC's reward outcome
REWARD_WORTH = 1.0


def model_based(stimuli: int = 2, actions: int = 2, topology: str = "channel", critic_stimuli: int = 1,
                critic_elements: int = CRITIC_ELEMENTS, critic_element_ms: float = 100.0,
                critic_horizon_s: float | None = None, critic_tag_stages: int = 2,
                critic_learning_gain: float = 1.0,
                actor_eligibility_ms: float = ACTOR_ELIGIBILITY_MS, actor_forget_s: float = 0.0,
                actor_learning_gain: float = 1.0, model_based_weight: float = 0.5,
                dms_lateral_inhibition: float = DMS_LATERAL_INHIBITION,
                cells_per_channel: int = CELLS_PER_CHANNEL, working_memory: bool = False) -> CircuitGraph:
    """The actor-critic with a PFC that plans: model-based and model-free control, arbitrated.

    Habitual (model-free) control is the actor-critic's dorsolateral striatum:
    cached action values in cue -> D1/D2 weights (see :func:`actor_critic`).
    Goal-directed (model-based) control adds the PFC (see
    :mod:`dopasim.circuits.regions.pfc`): while a state's cue is on, cell (a, o)
    fires with the learned probability that action a leads to outcome o
    (``transition_model``, the state prediction error rule of Glascher et al.
    2010), and drives the dorsomedial striatum's channel a through weights that
    learned each outcome's value from dopamine when it was present
    (``prospective_value``): channel a's drive is then sum_o T(s, a, o) V(o),
    the model-based value of a (Daw et al. 2011). The reward is one of the
    outcomes, so the last step before it is valued by the learned reward
    probability. Both striata inhibit the GPi: the dorsomedial by
    ``model_based_weight`` of the direct pathway's weight, the dorsolateral's
    direct and indirect pathways by 1 - it (Daw, Niv & Dayan 2005; the
    dorsomedial/dorsolateral split of goal-directed and habitual control:
    Yin & Knowlton 2006).

    With ``working_memory`` (a task whose cue is brief asks for it), the item
    pools of :func:`working_memory` hold the state after its cue is gone, until
    the next state's cue replaces it, and the goal-directed side reads it from
    them with the cue's weights: the PFC's transition model, the dorsomedial
    striatum's drive and the hyperdirect hold (a held pool fires at about the
    cue's rate, 47 Hz in the 200 ms after a 100 ms cue). The dorsolateral
    (habitual) striatum still sees only the cue.
    """
    g, scale, outcomes = _with_planner(
        "model_based", "pfc", model_based_weight, stimuli, actions, topology, critic_stimuli, critic_elements,
        critic_element_ms, critic_horizon_s, critic_tag_stages=critic_tag_stages,
        critic_learning_gain=critic_learning_gain, actor_eligibility_ms=actor_eligibility_ms,
        actor_forget_s=actor_forget_s, actor_learning_gain=actor_learning_gain,
        cells_per_channel=cells_per_channel)
    state = "cue"
    if working_memory:
        _add_working_memory(g, cells_per_channel)
        state = "pfc_memory"
        g.reroute("hyperdirect", state)
    # an uninformed model to start with: every outcome equally likely after every action
    g.add_projection("transition_model", state, "pfc", "excitatory", rule="state_prediction", weight=1 / outcomes,
                     gain=PROSPECTIVE_GAIN * scale, topology="all")
    critic = g.projection("corticostriatal")["params"]
    _goal_directed_striatum(g, "pfc", actions, scale, topology, dms_lateral_inhibition, state)
    g.add_projection("prospective_value", "pfc", "dms", "excitatory", rule="three_factor", pre="experienced",
                     topology="channel", weight=GOAL_VALUE_GAIN * critic["weight"],
                     reward_outcome_weight=GOAL_VALUE_GAIN * REWARD_WORTH,
                     learning_rate=GOAL_VALUE_GAIN * critic["learning_rate"],
                     eligibility_ms=critic["eligibility_ms"], tag_ms=critic["tag_ms"],
                     tag_stages=critic["tag_stages"],
                     w_max=GOAL_VALUE_GAIN * critic["w_max"], w_init_spread=0.0)
    g.add_projection("nigrostriatal_dms", "snc", "dms", "dopamine", weight=1.0, tau_ms=20.0)
    return g


def _with_planner(name: str, planner: str, model_based_weight: float, stimuli: int, actions: int, topology: str,
                  *args, **kwargs) -> tuple[CircuitGraph, int, int]:
    """The actor-critic (``args``, ``kwargs``: its shape) named ``name``, with a ``planner`` region (a PFC or
    hippocampus: one cell group per action channel and outcome, each state and then the reward).

    Returns the graph, the cue weights' scale and the number of outcomes.
    """
    g = actor_critic(stimuli, actions, topology, *args, **kwargs)
    g.name = name
    outcomes = stimuli + 1
    g.add_region(planner, planner, size=actions * outcomes * PFC_CELLS, channels=actions, outcomes=outcomes,
                 model_based_weight=model_based_weight)
    return g, stimuli if topology == "all" else 1, outcomes


def _goal_directed_striatum(g: CircuitGraph, planner: str, actions: int, scale: int, topology: str,
                            lateral_inhibition: float, state: str = "cue") -> None:
    """The dorsomedial striatum of goal-directed control, its drive from the ``state`` region (the cue, or
    the working memory that holds it), and the arbitration.

    The ``planner`` (PFC or hippocampus) hears the efference copy, which lifts the chosen action's cells;
    the caller adds the planner's value projection into the DMS.
    """
    # the efference copy lifts the chosen action's cells, so only its predictions are updated
    g.add_projection(f"motor_{planner}", "motor", planner, "excitatory", weight=1.0, topology="channel")
    # as many cells per channel as the dorsolateral striatum
    g.add_region("dms", "striatum", size=g.region("striatum_d1")["params"]["size"], channels=actions,
                 baseline_hz=STRIATUM_THRESHOLD_HZ, noise_hz=STRIATAL_NOISE_HZ)
    # the cue drives it as it first drives the dorsolateral D1 cells, so the two share the pallidum evenly
    g.add_projection("cue_dms", state, "dms", "excitatory", weight=CUE_DMS * scale, topology=topology)
    # lateral inhibition among its channels (collaterals and fast-spiking interneurons: Tepper et al. 2004):
    # what all actions' values share is damped by 1 + weight, what sets them apart passes
    g.add_projection("dms_lateral", "dms", "dms", "inhibitory", weight=lateral_inhibition)
    g.add_projection("direct_dms", "dms", "gpi", "inhibitory", weight=W_DIRECT_ACTOR, topology="channel",
                     control="goal_directed")
    for projection in ("direct", "indirect"):
        g.set(f"{projection}.control", "habitual")


#: the hippocampus' successor trace, about two steps of an episodic task (a discount of 0.6 per 800 ms step)
SUCCESSOR_TRACE_MS = 1600.0
#: the worth of a reward certain to follow a state, in the SR readout's weights (the PFC's reward outcome's)
SR_REWARD_WORTH = GOAL_VALUE_GAIN * REWARD_WORTH


def successor(stimuli: int = 2, actions: int = 2, topology: str = "channel", critic_stimuli: int = 1,
              critic_elements: int = CRITIC_ELEMENTS, critic_element_ms: float = 100.0,
              critic_horizon_s: float | None = None, critic_tag_stages: int = 2,
              critic_learning_gain: float = 1.0,
              actor_eligibility_ms: float = ACTOR_ELIGIBILITY_MS, actor_forget_s: float = 0.0,
              actor_learning_gain: float = 1.0, model_based_weight: float = 0.5,
              dms_lateral_inhibition: float = DMS_LATERAL_INHIBITION,
              cells_per_channel: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """The actor-critic with a hippocampal successor representation: SR and model-free control, arbitrated.

    As :func:`model_based`, with the hippocampus in the PFC's place (see
    :mod:`dopasim.circuits.regions.hippocampus`): while a state's cue is on,
    cell (a, x) fires with the learned discounted occupancy of state x after
    action a (``successor_map``: the state prediction rule with a trace of
    about two steps), and drives the dorsomedial striatum's channel a through
    weights that learned the immediate reward of leaving x
    (``reward_model``): channel a's drive is sum_x M(s, a, x) R(x), the SR
    value of a (Stachenfeld et al. 2017; Russek et al. 2017). The dorsomedial
    striatum inhibits the GPi by ``model_based_weight`` of the direct pathway's
    weight, the dorsolateral by 1 - it.
    """
    g, scale, outcomes = _with_planner(
        "successor", "hippocampus", model_based_weight, stimuli, actions, topology, critic_stimuli,
        critic_elements, critic_element_ms, critic_horizon_s, critic_tag_stages=critic_tag_stages,
        critic_learning_gain=critic_learning_gain, actor_eligibility_ms=actor_eligibility_ms,
        actor_forget_s=actor_forget_s, actor_learning_gain=actor_learning_gain,
        cells_per_channel=cells_per_channel)
    # no occupancy to start with: the SR is learned from experience
    g.add_projection("successor_map", "cue", "hippocampus", "excitatory", rule="state_prediction", weight=0.0,
                     gain=PROSPECTIVE_GAIN * scale, eligibility_ms=SUCCESSOR_TRACE_MS, topology="all")
    _goal_directed_striatum(g, "hippocampus", actions, scale, topology, dms_lateral_inhibition)
    g.add_projection("reward_model", "hippocampus", "dms", "excitatory", rule="reward_prediction", weight=0.0,
                     topology="channel", w_max=SR_REWARD_WORTH)
    return g


#: working memory: a pool's recurrent gain and the use and recovery of its synapses' resources (with the
#: region's 12 Hz threshold: steady rates 8 Hz, unstable, and 30 Hz, held); the reset's share of a cue
MEMORY_RECURRENT_GAIN = 3.5
MEMORY_DEPRESSION = 0.5
MEMORY_RECOVERY_MS = 100.0
MEMORY_RESET = 0.5


def working_memory(items: int = 3, cells_per_item: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """Prefrontal working memory for ``items`` task states (see :mod:`dopasim.circuits.regions.working_memory`).

    The cue (one channel per item, ``salience`` signal) drives its item's pool
    and, through feed-forward inhibition (cortical interneurons), every pool:
    while a cue is on, a pool it does not name is pushed below its threshold,
    so the new item replaces the held one (a cue drives its own pool by 50 Hz
    and all of them down by ``MEMORY_RESET`` x 50 Hz x its share of the cue's
    cells). Each pool excites itself through slow depressing synapses
    (``memory_recurrent``, tau 50 ms, NMDA-like: Wang 1999) and holds its item
    once the cue is gone; cutting them leaves activity that ends with the cue.
    """
    g = CircuitGraph("working_memory")
    g.add_region("cue", "salience", channels=items, peak_rate_hz=CUE_RATE_HZ)
    _add_working_memory(g, cells_per_item)
    return g


def _add_working_memory(g: CircuitGraph, cells_per_item: int, source: str = "cue") -> None:
    """The item pools ``pfc_memory`` of :func:`working_memory`, one per channel of the ``source`` region,
    which drives them through ``{source}_memory`` and resets them through ``{source}_reset``."""
    items = g.channels(source)
    g.add_region("pfc_memory", "working_memory", size=items * cells_per_item, channels=items)
    g.add_projection(f"{source}_memory", source, "pfc_memory", "excitatory", weight=1.0, topology="channel")
    g.add_projection(f"{source}_reset", source, "pfc_memory", "inhibitory", weight=MEMORY_RESET * items)
    g.add_projection("memory_recurrent", "pfc_memory", "pfc_memory", "excitatory", weight=MEMORY_RECURRENT_GAIN,
                     topology="channel", tau_ms=50.0, depression=MEMORY_DEPRESSION, recovery_ms=MEMORY_RECOVERY_MS)


#: meta-RL: the actor's slow weights learn at this fraction of the bandit's rate, so one episode hardly moves
#: them; the held outcome's synapses onto the striatum start at this share of a cue's
META_SLOW_LEARNING = 0.2
META_MEMORY_SHARE = 0.5
#: the cue's weights relax to their start in this time (as two_step's actor), so no arm is locked in across
#: episodes; the memory's weights keep what they learn
META_CUE_FORGET_S = 20.0


def meta_rl(stimuli: int = 2, actions: int = 2, topology: str = "channel", critic_stimuli: int = 1,
            actor_learning_gain: float = META_SLOW_LEARNING, memory_share: float = META_MEMORY_SHARE,
            actor_forget_s: float = META_CUE_FORGET_S, cells_per_channel: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """The actor-critic with a prefrontal memory of the last action and outcome, read by a slow-learning actor.

    Meta-reinforcement learning after Wang et al. (2018): dopamine trains slow
    weights across many episodes so that activity alone adapts within one. The
    ``feedback`` input (channel 2a + r: action a, rewarded or not) sets one
    item pool of the PFC's working memory (:func:`working_memory`) at each
    outcome, which holds it into the next trial. Each pool reaches the D1 and
    D2 cells of every action channel through plastic synapses trained by SNc
    dopamine like the cue's (``memory_d1``, ``memory_d2``; three-factor, pre x
    post tag), all starting at ``memory_share`` of a cue's weight: across
    episodes they learn which action pays after which held outcome. The
    actor learns ``actor_learning_gain`` times as fast as in a plain bandit,
    so its cue weights follow a new episode only slowly. Unlike Wang et al.'s
    network, the memory's recurrent weights are fixed, not trained: it can
    learn what to do given the last outcome (win-stay, lose-shift, or any
    other map from it), not what to remember.
    """
    g = actor_critic(stimuli, actions, topology, critic_stimuli, actor_learning_gain=actor_learning_gain,
                     actor_forget_s=actor_forget_s, cells_per_channel=cells_per_channel)
    g.name = "meta_rl"
    items = 2 * actions
    g.add_region("feedback", "feedback", channels=items, peak_rate_hz=CUE_RATE_HZ)
    _add_working_memory(g, CELLS_PER_CHANNEL, source="feedback")
    for d in ("d1", "d2"):
        cue = dict(g.projection(f"cue_{d}")["params"])
        # diffuse: every held outcome reaches every action channel (weights x items: one pool drives as one cue)
        cue.update(weight=cue["weight"] * memory_share * items, w_max=cue["w_max"] * items,
                   learning_rate=cue["learning_rate"] * items, topology="all", forget_s=0.0)
        g.add_projection(f"memory_{d}", "pfc_memory", f"striatum_{d}", "excitatory", rule="three_factor", **cue)
    return g


PRESETS = {
    "actor_critic": (actor_critic, "basal ganglia actor-critic: cue -> D1/D2 actor learning from SNc, "
                     "ventral striatum critic, VTA RPE (default for choice tasks)"),
    "model_based": (model_based, "actor-critic plus a PFC that plans with a learned transition model, its "
                    "model-based values arbitrated with the model-free actor's (Daw et al. 2005, 2011)"),
    "successor": (successor, "actor-critic plus a hippocampal successor representation, its SR values "
                  "arbitrated with the model-free actor's (Stachenfeld et al. 2017; Russek et al. 2017)"),
    "critic": (critic, "Pavlovian critic: cortex (serial compound) -> ventral striatum value -> VTA RPE"),
    "distributional": (distributional, "critic with value channels, each trained by DA cells of its own "
                       "asymmetry: expectiles of the reward distribution (Dabney et al. 2020)"),
    "selection": (selection, "action selection: D1/D2 striatum, GPe, STN, GPi, thalamus "
                  "(Gurney, Prescott & Redgrave 2001)"),
    "meta_rl": (meta_rl, "actor-critic plus a prefrontal memory of the last action and outcome, read by "
                "slow-learning D1/D2 synapses: learning to learn a bandit (Wang et al. 2018)"),
    "working_memory": (working_memory, "prefrontal item pools with depressing recurrent excitation: "
                       "persistent activity holds the last cued item (Compte et al. 2000)"),
}


def make_circuit(name: str, **kwargs) -> CircuitGraph:
    """The circuit preset ``name``, built with the keyword arguments that preset takes.

    Parameters
    ----------
    name : str
        a preset of :data:`PRESETS` (``dopasim list`` shows them).
    **kwargs
        the preset's own arguments (e.g. ``stimuli``, ``actions`` of ``actor_critic``); one it does not
        take is refused, naming those it does.

    Returns
    -------
    CircuitGraph
        a new graph, free to change (``graph.set``, lesions, ``add_region``).

    Examples
    --------
    >>> g = make_circuit("actor_critic", stimuli=3, actions=3)
    >>> g.channels("thalamus")
    3
    """
    if name not in PRESETS:
        raise unknown_name("circuit preset", name, PRESETS)
    build = PRESETS[name][0]
    accepted = inspect.signature(build).parameters
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise ConfigError(f"circuit preset {name!r} takes no {', '.join(unknown)}; it takes: "
                          f"{', '.join(accepted) or 'no arguments'}")
    return build(**kwargs)


def shaped_circuit(name: str, shape: dict) -> CircuitGraph:
    """The preset ``name`` shaped to a task: of the task's ``shape`` (stimuli, actions, topology ...), the
    preset gets what it takes; a preset with no such argument keeps its own shape (the task then checks it)."""
    if name not in PRESETS:
        raise unknown_name("circuit preset", name, PRESETS)
    accepted = inspect.signature(PRESETS[name][0]).parameters
    return make_circuit(name, **{k: v for k, v in shape.items() if k in accepted})
