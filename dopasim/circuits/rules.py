"""Plasticity rules build themselves: one builder per rule, registered by name.

A rule (:class:`dopasim.models.plasticity.Rule`) declares its parameters; its
builder turns one plastic projection into Brian2 code: what the synapse model
adds, what a presynaptic and a postsynaptic spike do, the constants they read,
and the weight update run every ``PLASTICITY_DT_MS``. The compiler calls the
builder of the projection's rule and never asks which rule it is (Nengo's
``@Builder.register`` in one function per rule).

A rule of one's own is a :class:`~dopasim.models.plasticity.Rule` and a
builder, given to :func:`register_rule` from any file::

    def build_my_rule(projection: Projection) -> SynapseCode:
        ...
    register_rule(Rule("my_rule", "what it does", params={...}), build_my_rule)

(``examples/extend_habenula.py`` adds one.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from dopasim.circuits.dopamine import dopamine_terms, receptor_slope
from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.regions.pfc import pfc_outcome
from dopasim.models.plasticity import (DA_STDP_EQUATIONS, REWARD_PREDICTION_EQUATIONS, REWARD_PREDICTION_UPDATE,
                                      RULES, STATE_PREDICTION_UPDATE, WEIGHT_UPDATE, Rule, forgetting,
                                      three_factor_equations, weight_update)
from dopasim.params import ConfigError


@dataclass
class SynapseCode:
    """What a rule adds to a projection's ``Synapses``.

    ``model``, ``on_pre`` and ``on_post`` are added to the synapse's own
    (``w : 1`` and its drive); ``namespace`` holds the constants they read;
    ``update`` is run every plasticity step and must keep ``w`` in
    ``[0, w_max]``; ``drive_gain`` multiplies the synapse's drive (e.g.
    ``" * gain"``); ``initialise(synapses)`` runs once the synapses exist.
    The synapse may read its target's ``dopamine_post`` (Hz) and, in rate
    mode, both ends' ``rate``. The weights start at ``weight * (1 +-
    w_init_spread)`` within ``[0, w_max]``: a rule declares both parameters.

    Attributes
    ----------
    model, on_pre, on_post : str
        Brian2 synapse equations and spike code added to the synapse's own
    namespace : dict
        the constants they read
    update : str
        run every plasticity step; keeps w in [0, w_max]
    drive_gain : str
        multiplies the synapse's drive
    initialise : callable, optional
        run once with the synapses
    """

    model: str
    on_pre: str = ""
    on_post: str = ""
    namespace: dict = field(default_factory=dict)
    update: str = WEIGHT_UPDATE
    drive_gain: str = ""
    initialise: Callable | None = None


@dataclass
class Projection:
    """One plastic projection as a builder sees it: its names, parameters and both ends.

    ``source_variables`` and ``target_variables`` hold the names of the two
    groups' variables (``in`` tells what each end provides: ``rate``,
    ``experienced``, ``observed`` ...); ``timed`` the task's precomputed signals.

    Attributes
    ----------
    graph : CircuitGraph
        the circuit
    name, source, target : str
        the projection and its two regions
    mode : str
        rate or spiking
    params : dict
        the projection's resolved parameters
    source_variables, target_variables : object
        the names of the two groups' variables
    source_size : int
        cells in the source
    timed : dict
        the task's precomputed signals
    """

    graph: CircuitGraph
    name: str
    source: str
    target: str
    mode: str
    params: dict
    source_variables: object
    target_variables: object
    source_size: int
    timed: dict

    def region_type(self, end: str) -> str:
        """The region type of ``end`` (``source`` or ``target``), for messages.

        Parameters
        ----------
        end : str
            source or target
        """
        return self.graph.region(getattr(self, end))["region"]

    def dopamine(self) -> dict:
        """The dopamine constants of the target: ``dopamine_sign`` (D1 +1, D2 -1) and ``dopamine_tonic``."""
        return dopamine_terms(self.graph, self.target)

    def release(self) -> tuple[str, dict]:
        """The dopamine projection into the target and its release parameters, burst and dip gains scaled by
        the receptors' occupancy at the resting level (:func:`dopasim.circuits.dopamine.receptor_slope`)."""
        release_name, _, release = self.graph.dopamine_projection(self.target)
        release = dict(release["params"])
        slope = receptor_slope(self.graph, self.target)
        release.update(burst_gain=release["burst_gain"] * slope, dip_gain=release["dip_gain"] * slope)
        return release_name, release


#: rule name -> builder
BUILDERS: dict[str, Callable[[Projection], SynapseCode]] = {}


def register_rule(rule: Rule, build: Callable[[Projection], SynapseCode], replace: bool = False) -> Rule:
    """Make ``rule`` available by its name to :meth:`CircuitGraph.add_projection`, built by ``build``.

    Parameters
    ----------
    rule : Rule
        its name, one-line summary, parameters (with ``w_max`` and ``w_init_spread``), whether it reads
        the target's dopamine and the resolutions it works at.
    build : callable
        ``build(projection: Projection) -> SynapseCode``: the synapse equations, update and constants of
        one plastic projection.
    replace : bool
        replace a rule of the same name; otherwise a name already taken is refused.

    Returns
    -------
    Rule
        ``rule``, registered.

    Examples
    --------
    See ``examples/extend_habenula.py``: a rule whose weights grow with dopamine dips.
    """
    if not isinstance(rule, Rule) or not callable(build):
        raise ConfigError("register_rule takes a Rule and its builder (a function of the projection)")
    if rule.name in RULES and not replace:
        raise ConfigError(f"plasticity rule {rule.name!r} is already registered (replace=True replaces it)")
    RULES[rule.name] = rule
    BUILDERS[rule.name] = build
    return rule


def builds(name: str):
    """Decorator: the builder of the built-in rule ``name``."""
    def register(build):
        BUILDERS[name] = build
        return build
    return register


def build_synapses(projection: Projection) -> SynapseCode:
    """The code of ``projection``'s rule, refused at a resolution the rule does not work at."""
    rule = RULES[projection.graph.projection(projection.name)["rule"]]
    if projection.mode not in rule.modes:
        raise ConfigError(f"projection {projection.name!r}: the {rule.name} rule works in "
                          f"{' and '.join(rule.modes)} mode only ({rule.summary}); use --mode {rule.modes[0]}")
    return BUILDERS[rule.name](projection)


def _common(projection: Projection) -> dict:
    """The constants every built-in rule's eligibility and bound read."""
    import brian2 as b2

    p = projection.params
    ns = dict(elig_tau=p["eligibility_ms"] * b2.ms, w_max=p["w_max"], spread=p["w_init_spread"],
              learning_rate=p["learning_rate"])
    if "tag_ms" in p:
        ns["tag_tau"] = p["tag_ms"] * b2.ms
    if "experienced" in projection.source_variables:
        ns["present_rate"] = projection.graph.region(projection.source)["params"]["present_hz"] * b2.Hz
    return ns


@builds("state_prediction")
def state_prediction(projection: Projection) -> SynapseCode:
    import brian2 as b2

    p, ns = projection.params, _common(projection)
    if "observed" not in projection.target_variables:
        raise ConfigError(f"projection {projection.name!r}: the state_prediction rule learns what a PFC or "
                          f"hippocampus observes, but {projection.target!r} is a {projection.region_type('target')} "
                          "region")
    ns.update(gain=p["gain"], post_ref=p["post_ref_hz"] * b2.Hz, post_threshold=p["post_threshold_hz"] * b2.Hz)
    model, on_pre, on_post = three_factor_equations(projection.mode, "gate")
    # a learned transition model's weights are probabilities: its drive has a gain of its own
    return SynapseCode(model, on_pre, on_post, ns, STATE_PREDICTION_UPDATE, drive_gain=" * gain")


@builds("da_stdp")
def da_stdp(projection: Projection) -> SynapseCode:
    import brian2 as b2

    p, ns = projection.params, _common(projection)
    ns.update(a_plus=p["a_plus"], a_minus=p["a_minus"], tau_plus=p["tau_plus_ms"] * b2.ms,
              tau_minus=p["tau_minus_ms"] * b2.ms, learning_rate=p["learning_rate"])  # per Hz per s
    ns.update(projection.dopamine())
    return SynapseCode(*DA_STDP_EQUATIONS, ns, WEIGHT_UPDATE)


@builds("reward_prediction")
def reward_prediction(projection: Projection) -> SynapseCode:
    ns = _common(projection)
    if "experienced" not in projection.source_variables:
        raise ConfigError(f"projection {projection.name!r}: the reward_prediction rule learns the reward of the "
                          f"states a hippocampus or PFC senses, but {projection.source!r} is a "
                          f"{projection.region_type('source')} region")
    return SynapseCode(REWARD_PREDICTION_EQUATIONS, "", "", ns, REWARD_PREDICTION_UPDATE)


@builds("three_factor")
def three_factor(projection: Projection) -> SynapseCode:
    import brian2 as b2

    p, ns = projection.params, _common(projection)
    initialise = None
    if p["pre"] == "experienced":
        if "experienced" not in projection.source_variables or p["post"] != "none":
            raise ConfigError(f"circuit.{projection.name}.pre='experienced' needs a source that senses what is "
                              f"present (a pfc or hippocampus; it is a {projection.region_type('source')}) and "
                              f"post='none' (it is {p['post']!r})")
        # the reward outcome is never experienced as a state: its weight is its fixed worth
        source_params = projection.graph.region(projection.source)["params"]
        reward_cells = f"{pfc_outcome(projection.source_size, source_params)} == {source_params['outcomes'] - 1}"

        def initialise(synapses):
            synapses.w[reward_cells] = p["reward_outcome_weight"]
    release_name, release = projection.release()
    ns.update(projection.dopamine())
    ns.update(post_ref=p["post_ref_hz"] * b2.Hz, post_threshold=p["post_threshold_hz"] * b2.Hz,
              learning_rate=p["learning_rate"] * b2.second, burst_gain=release["burst_gain"],
              dip_gain=release["dip_gain"])
    if p["forget_s"]:
        ns["forget"] = p["forget_s"] * b2.second
    if release["drug_hz"]:
        if "drug" not in projection.timed:
            raise ConfigError(f"circuit.{release_name}.drug_hz: the circuit has a drug action but this task "
                              "delivers no drug (pavlovian with task.drug=true does)")
        ns.update(drug=release["drug_hz"] * b2.Hz, sig_drug=projection.timed["drug"])
    model, on_pre, on_post = three_factor_equations(projection.mode, p["post"], p["pre"], p["tag_stages"])
    return SynapseCode(model, on_pre, on_post, ns, forgetting(weight_update(release), p["forget_s"]),
                       initialise=initialise)
