"""The circuit graph: regions as nodes, projections as edges, plain data.

A :class:`CircuitGraph` wraps a ``networkx.MultiDiGraph``. A node holds a region
(its type from :mod:`dopasim.circuits.regions` and its parameters); an edge holds
a projection: its sign (glutamate = ``excitatory``, GABA = ``inhibitory``, or
``dopamine``), weight, synaptic time constant, delay, connection probability and
optional plasticity rule. Every projection has a name, unique in the graph, by
which ``--set circuit.NAME.PARAM=VALUE`` reaches it.

The graph is checked when it is built and again by :meth:`validate` before it is
compiled; errors say which region or projection is wrong and what is allowed.
"""

from __future__ import annotations

import copy
import re

import networkx as nx

from dopasim.circuits.regions import REGIONS
from dopasim.models.plasticity import RULES
from dopasim.params import ConfigError, Param, resolve, unknown_name

SIGNS = ("excitatory", "inhibitory", "dopamine")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_name(what: str, name: str) -> None:
    # names become Brian2 object names and --set keys
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{what} name {name!r} must be lower case letters, digits and _, starting with a letter")
    if name.endswith(("_pre", "_post")):  # Brian2 reads these suffixes as the two ends of a synapse
        raise ConfigError(f"{what} name {name!r} must not end in _pre or _post")

PROJECTION_PARAMS = {
    "weight": Param(1.0, "total gain: Hz of target drive per Hz of mean source rate", low=0.0, high=10_000.0),
    "tau_ms": Param(5.0, "synaptic time constant", low=0.0, low_inclusive=False, high=10_000.0, unit="ms"),
    "delay_ms": Param(0.0, "axonal delay (spiking mode only)", low=0.0, high=1000.0, unit="ms"),
    "p": Param(1.0, "connection probability", low=0.0, high=1.0, low_inclusive=False),
    "topology": Param("all", "all: every cell to every cell (diffuse); channel: channel k to channel k "
                      "(focused)", choices=("all", "channel")),
    "control": Param("none", "arbitration (see the pfc's model_based_weight): goal_directed scales the weight "
                     "by model_based_weight, habitual by 1 - it", choices=("none", "goal_directed", "habitual")),
    "depression": Param(0.0, "short-term depression (Tsodyks & Markram 1997): fraction of a synapse's resources "
                        "each presynaptic spike uses (0: none; fixed synapses only)", low=0.0, high=1.0),
    "recovery_ms": Param(100.0, "time constant of the resources' recovery after use", low=0.0,
                         low_inclusive=False, high=100_000.0, unit="ms"),
    "dopamine_scaling": Param(0.0, "how the weight grows as the target loses resting dopamine: weight x (1 + "
                              "scaling x fraction of normal dopamine lost)", low=-1.0, high=10.0),
}

#: how the dopamine a projection releases reaches its target (dopamine projections only). Bursts and dips
#: are counted from what the cells release at rest (weight x resting rate), so cell loss scales them alike;
#: the resting level (with ``tonic_hz``) sets the receptors' operating point and the ``dopamine_scaling`` of
#: the target's inputs (see :func:`dopasim.circuits.dopamine.receptor_slope` and
#: :func:`~dopasim.circuits.dopamine.dopamine_scaling`)
DOPAMINE_PARAMS = {
    "burst_gain": Param(1.0, "gain on dopamine above the resting level (bursts) in plasticity", low=0.0,
                        high=100.0),
    "dip_gain": Param(1.0, "gain on dopamine below the resting level (dips) in plasticity", low=0.0, high=100.0),
    "tonic_hz": Param(0.0, "dopamine at the terminals whatever the cells fire (a drug: L-DOPA, a reuptake "
                      "blocker): raises the resting level, not the bursts and dips", low=-500.0, high=500.0,
                      unit="Hz"),
    "drug_hz": Param(0.0, "dopamine a drug adds at the terminals while the task delivers it, with dips masked "
                     "(reuptake blocked): an error never below this, whatever was predicted (Redish 2004)",
                     low=0.0, high=500.0, unit="Hz"),
}


def declared_params(sign: str, rule: str | None) -> dict[str, Param]:
    """The parameters a projection of this sign and plasticity rule has."""
    declared = dict(PROJECTION_PARAMS)
    if sign == "dopamine":
        declared.update(DOPAMINE_PARAMS)
    if rule is not None:
        declared.update(RULES[rule].params)
    return declared


class CircuitGraph:
    """Regions and projections, validated as they are added.

    Examples
    --------
    >>> g = CircuitGraph("demo")
    >>> g.add_region("cortex", "cortex")
    >>> g.add_region("ventral_striatum", "striatum", size=50)
    >>> g.add_projection("corticostriatal", "cortex", "ventral_striatum",
    ...                  "excitatory", weight=0.5, rule="three_factor")
    """

    def __init__(self, name: str = "circuit"):
        self.name = name
        self.graph = nx.MultiDiGraph(name=name)
        #: projections are numbered as added, so that a graph rebuilt from :meth:`to_dict` adds them in the
        #: same order and lists every region's inputs in the same order (the order of its drive's terms)
        self._added = 0
        #: the lesion and disease transforms applied, in order (see :mod:`dopasim.circuits.lesions`)
        self.lesions: list[dict] = []
        #: the run whose final plastic weights this circuit starts with (see :meth:`start_from`), or None
        self.init_from: dict | None = None

    # -- building -------------------------------------------------------
    def add_region(self, name: str, region: str, **params) -> None:
        """Add a region: a population (or input) of a registered region type.

        Parameters
        ----------
        name : str
            the region's name in this circuit (lower case, digits, ``_``): its
            Brian2 group's name and the ``circuit.NAME.PARAM`` of ``--set``.
        region : str
            its region type (``dopasim list regions``), e.g. ``"striatum"``,
            ``"vta"``, or one registered with :func:`dopasim.register_region`.
        **params
            the type's parameters (default, unit and range: ``dopasim list regions``).

        Examples
        --------
        >>> g = CircuitGraph("demo")
        >>> g.add_region("vta", "vta", size=40, baseline_hz=5.0)
        """
        _check_name("region", name)
        if region not in REGIONS:
            raise unknown_name("region type", region, REGIONS)
        if name in self.graph:
            raise ConfigError(f"region {name!r} is already in circuit {self.name!r}")
        spec = REGIONS[region]
        self.graph.add_node(name, region=region, kind=spec.kind,
                            params=resolve(f"circuit.{name}", spec.params, params))

    def add_projection(self, name: str, source: str, target: str, sign: str,
                       rule: str | None = None, **params) -> None:
        """Add a projection from ``source`` to ``target``.

        Parameters
        ----------
        name : str
            its name, unique in the circuit (``circuit.NAME.PARAM`` of ``--set``).
        source, target : str
            regions of this circuit; an input region takes no projections.
        sign : {"excitatory", "inhibitory", "dopamine"}
            glutamate adds to the target's drive, GABA subtracts; a dopamine
            projection (from a dopamine region) sets the target's dopamine level,
            which its plastic synapses read.
        rule : str, optional
            a plasticity rule (``dopasim list rules``); None: fixed weights.
        **params
            ``weight`` (Hz of target drive per Hz of mean source rate), ``tau_ms``,
            ``delay_ms``, ``p``, ``topology`` (``"all"`` or ``"channel"``) and the
            rule's own parameters.

        Examples
        --------
        >>> g = CircuitGraph("demo")
        >>> g.add_region("cortex", "cortex")
        >>> g.add_region("ventral_striatum", "striatum")
        >>> g.add_projection("corticostriatal", "cortex", "ventral_striatum", "excitatory",
        ...                  rule="three_factor", weight=0.5)
        """
        _check_name("projection", name)
        for end in (source, target):
            if end not in self.graph:
                raise unknown_name(f"region in projection {name!r}:", end, self.graph.nodes)
        if name in self.projection_names():
            raise ConfigError(f"projection {name!r} is already in circuit {self.name!r}")
        if sign not in SIGNS:
            raise ConfigError(f"projection {name!r}: sign {sign!r} is not one of {', '.join(SIGNS)}")
        if rule is not None and rule not in RULES:
            raise unknown_name(f"plasticity rule in projection {name!r}:", rule, RULES)
        self.graph.add_edge(source, target, key=name, sign=sign, rule=rule, added=self._added,
                            params=resolve(f"circuit.{name}", declared_params(sign, rule), params))
        self._added += 1

    def set(self, dotted: str, value) -> None:
        """Set one parameter of a region or projection, checked against its declared type and range.

        Parameters
        ----------
        dotted : str
            ``"REGION.PARAM"`` or ``"PROJECTION.PARAM"`` (as ``--set circuit.REGION.PARAM``).
        value : str, int, float or bool
            the new value; a string is read as the parameter's type.

        Examples
        --------
        >>> from dopasim import make_circuit
        >>> g = make_circuit("critic")
        >>> g.set("vta.baseline_hz", 6.0)
        >>> g.set("corticostriatal.learning_rate", "0.3")
        """
        owner, _, param = dotted.partition(".")
        if not param:
            raise ConfigError(f"circuit.{dotted}: expected circuit.REGION.PARAM or circuit.PROJECTION.PARAM")
        if owner in self.graph:
            attrs = self.graph.nodes[owner]
            declared = REGIONS[attrs["region"]].params
        else:
            edge = self._edge(owner)
            attrs = self.graph.edges[edge]
            declared = declared_params(attrs["sign"], attrs["rule"])
        if param not in declared:
            raise unknown_name(f"parameter of circuit.{owner}:", param, declared)
        attrs["params"][param] = declared[param].check(f"circuit.{owner}", param, value)

    def start_from(self, run_dir) -> None:
        """Start the plastic synapses where the run in ``run_dir`` left them (its ``weights.npz``).

        The circuit must have the same plastic projections, between regions of
        the same sizes (checked here and when it is built). The run directory
        and its weights' sha256 are recorded in :meth:`to_dict`, so a replay
        starts from the very same weights, or is refused.

        Parameters
        ----------
        run_dir : str or Path
            a run directory whose weights.npz the synapses start from

        Examples
        --------
        >>> g = make_circuit("critic")                 # doctest: +SKIP
        >>> g.start_from("runs/trained")               # doctest: +SKIP
        """
        from dopasim.circuits import weights

        found = weights.reference(run_dir)
        weights.check_projections(found, [name for name, _, _, attrs in self.projections() if attrs["rule"]])
        self.init_from = found

    def reroute(self, projection: str, source: str) -> None:
        """Let ``projection`` come from region ``source`` instead, its target and parameters unchanged.

        Parameters
        ----------
        projection : str
            the projection
        source : str
            its new source region
        """
        self.region(source)
        u, v, key = self._edge(projection)
        attrs = self.graph.edges[u, v, key]
        self.graph.remove_edge(u, v, key)
        self.graph.add_edge(source, v, key=key, **{**attrs, "added": self._added})
        self._added += 1

    # -- reading --------------------------------------------------------
    def equations(self, region: str, mode: str = "rate") -> str:
        """The Brian2 equations ``region`` compiles to at resolution ``mode`` (``"rate"`` or ``"spiking"``).

        Parameters
        ----------
        region : str
            the region
        mode : str
            rate or spiking

        Examples
        --------
        >>> from dopasim import make_circuit
        >>> print(make_circuit("critic").equations("vta", "rate"))  # doctest: +ELLIPSIS
        <BLANKLINE>
        drate/dt = (clip(drive, 0*Hz, max_rate) - rate) / tau : Hz
        drive = 5.0*Hz + I_value_fast - I_value_slow + I_reward_drive : Hz
        ...
        """
        from dopasim.circuits.compiler import region_equations

        return region_equations(self, region, mode)

    def regions(self) -> list[str]:
        """The regions' names, in the order they were added."""
        return list(self.graph.nodes)

    def region(self, name: str) -> dict:
        """The region ``name``'s attributes: ``region`` (its type), ``kind`` and ``params`` (resolved).

        Parameters
        ----------
        name : str
            the region
        """
        if name not in self.graph:
            raise unknown_name("region", name, self.graph.nodes)
        return self.graph.nodes[name]

    def projections(self) -> list[tuple[str, str, str, dict]]:
        """``(name, source, target, attributes)`` for every projection."""
        return [(k, u, v, d) for u, v, k, d in self.graph.edges(keys=True, data=True)]

    def projection_names(self) -> list[str]:
        """Every projection's name."""
        return [k for _, _, k in self.graph.edges(keys=True)]

    def projection(self, name: str) -> dict:
        """The projection ``name``'s attributes: ``sign``, ``rule`` (or None) and ``params`` (resolved).

        Parameters
        ----------
        name : str
            the projection
        """
        return self.graph.edges[self._edge(name)]

    def endpoints(self, projection: str) -> tuple[str, str]:
        """``(source, target)`` of ``projection``.

        Parameters
        ----------
        projection : str
            the projection
        """
        source, target, _ = self._edge(projection)
        return source, target

    def incoming(self, target: str) -> list[tuple[str, str, dict]]:
        """``(name, source, attributes)`` of every projection into ``target``.

        Parameters
        ----------
        target : str
            the target region
        """
        return [(k, u, d) for u, _, k, d in self.graph.in_edges(target, keys=True, data=True)]

    def _edge(self, name: str):
        for u, v, k in self.graph.edges(keys=True):
            if k == name:
                return u, v, k
        raise unknown_name("region or projection", name,
                           list(self.graph.nodes) + self.projection_names())

    # -- checking -------------------------------------------------------
    def validate(self) -> "CircuitGraph":
        """Check the whole graph; returns itself so calls can be chained."""
        if not self.graph.nodes:
            raise ConfigError(f"circuit {self.name!r} has no regions")
        for name, attrs in self.graph.nodes(data=True):
            spec = REGIONS[attrs["region"]]
            params = resolve(f"circuit.{name}", spec.params, attrs["params"])
            if not spec.is_input and params["size"] % params["channels"]:
                raise ConfigError(f"circuit.{name}: size={params['size']} does not split into "
                                  f"channels={params['channels']} equal channels")
        for name, source, target, attrs in self.projections():
            src_kind = self.graph.nodes[source]["kind"]
            tgt = REGIONS[self.graph.nodes[target]["region"]]
            if tgt.is_input:
                raise ConfigError(f"projection {name!r}: {target!r} is an input region and takes no projections")
            if attrs["params"]["topology"] == "channel":
                k_src, k_tgt = (self.channels(end) for end in (source, target))
                if k_src != k_tgt:
                    raise ConfigError(f"projection {name!r} is channel-to-channel but {source!r} has {k_src} "
                                      f"channels and {target!r} has {k_tgt}")
            if attrs["sign"] == "dopamine" and src_kind != "dopamine":
                raise ConfigError(f"projection {name!r}: only a dopamine region can send a dopamine projection, "
                                  f"and {source!r} is a {src_kind} region")
            if attrs["params"]["control"] != "none":
                self.control_region()
            if attrs["params"]["depression"] > 0 and (attrs["rule"] or attrs["sign"] == "dopamine"):
                kind = f"plastic ({attrs['rule']})" if attrs["rule"] else "a dopamine projection"
                raise ConfigError(f"projection {name!r}: depression={attrs['params']['depression']} is for fixed "
                                  f"excitatory or inhibitory synapses, and this one is {kind}")
            if attrs["rule"] and RULES[attrs["rule"]].dopamine_gated:
                if attrs["sign"] == "dopamine":
                    raise ConfigError(f"projection {name!r}: a dopamine projection cannot itself be plastic")
                if self.dopamine_source(target) is None:
                    raise ConfigError(f"projection {name!r} is plastic but {target!r} receives no dopamine "
                                      "projection to gate it")
        for region in self.graph.nodes:
            n = sum(1 for _, _, d in self.incoming(region) if d["sign"] == "dopamine")
            if n > 1:
                raise ConfigError(f"region {region!r} receives {n} dopamine projections; at most one is allowed")
        return self

    def channels(self, region: str) -> int:
        """How many action channels ``region``'s cells are split into (1: none).

        Parameters
        ----------
        region : str
            the region
        """
        attrs = self.region(region)
        return REGIONS[attrs["region"]].channels(attrs["params"])

    def control_region(self) -> str:
        """The region whose ``model_based_weight`` arbitrates between controllers (the PFC or hippocampus)."""
        found = [r for r, d in self.graph.nodes(data=True) if "model_based_weight" in d["params"]]
        if len(found) != 1:
            raise ConfigError(f"circuit {self.name!r} has projections with a control (goal_directed or habitual), "
                              f"so it needs exactly one pfc or hippocampus to arbitrate, and it has {len(found)}")
        return found[0]

    def dopamine_projection(self, target: str) -> tuple[str, str, dict] | None:
        """``(name, source, attributes)`` of the dopamine projection into ``target``, or None.

        Parameters
        ----------
        target : str
            the target region
        """
        for name, source, attrs in self.incoming(target):
            if attrs["sign"] == "dopamine":
                return name, source, attrs
        return None

    def dopamine_source(self, target: str) -> str | None:
        """The region whose dopamine reaches ``target`` (None: no dopamine projection into it).

        Parameters
        ----------
        target : str
            the target region
        """
        found = self.dopamine_projection(target)
        return found[1] if found else None

    # -- plain data -----------------------------------------------------
    def to_dict(self) -> dict:
        """The graph as plain data (what ``run.json`` records as ``circuit``); :meth:`from_dict` rebuilds it."""
        started = {"init_from": dict(self.init_from)} if self.init_from else {}
        return {
            "name": self.name,
            **started,
            "lesions": [dict(lesion) for lesion in self.lesions],
            "regions": {n: {"region": d["region"], **d["params"]} for n, d in self.graph.nodes(data=True)},
            "projections": {k: {"source": u, "target": v, "sign": d["sign"], "rule": d["rule"], **d["params"]}
                            for k, u, v, d in sorted(self.projections(), key=lambda p: p[3]["added"])},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CircuitGraph":
        """The graph :meth:`to_dict` described, every parameter checked again."""
        g = cls(data.get("name", "circuit"))
        g.lesions = [dict(lesion) for lesion in data.get("lesions", [])]
        if data.get("init_from") is not None:
            found = data["init_from"]
            if not isinstance(found, dict) or set(found) != {"run", "weights_sha256"}:
                raise ConfigError(f"circuit.init_from={found!r} must name a run and its weights' sha256")
            g.init_from = dict(found)
        for name, spec in data["regions"].items():
            spec = dict(spec)
            g.add_region(name, spec.pop("region"), **spec)
        for name, spec in data["projections"].items():
            spec = dict(spec)
            g.add_projection(name, spec.pop("source"), spec.pop("target"), spec.pop("sign"),
                             rule=spec.pop("rule", None), **spec)
        if g.init_from is not None:
            from dopasim.circuits import weights

            weights.check_projections(g.init_from, [n for n, _, _, attrs in g.projections() if attrs["rule"]])
        return g

    def copy(self) -> "CircuitGraph":
        """An independent copy (lesions and settings on it leave this graph as it is)."""
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        return (f"CircuitGraph({self.name!r}, {self.graph.number_of_nodes()} regions, "
                f"{self.graph.number_of_edges()} projections)")
