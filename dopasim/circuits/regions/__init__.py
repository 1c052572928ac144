"""Region types: one module per brain region, registered here by name.

A region type declares its parameters (with units and ranges), its kind (which
colours it in plots and tells what it is) and how it builds itself: for input
regions, the expression that turns the task's signal into firing rates; for
populations, optional hooks on the shared population equations (how the
synaptic inputs sum into the drive, what the cells sense of the task, per-cell
constants, the dopamine receptor they carry). The compiler calls these hooks
and never asks which region it is building.

A region type of one's own is one :class:`RegionType` passed to
:func:`register_region`, from any file (see ``examples/extend_habenula.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from dopasim.params import Param

#: the kinds of the built-in region types (figures colour regions by kind; a region type of one's own may
#: bring a kind of its own)
KINDS = ("input", "cortex", "striatum", "dopamine", "pallidum", "thalamus", "hippocampus")


def population_params(size: int, tau_ms: float, baseline_hz: float) -> dict[str, Param]:
    """Parameters every simulated (non-input) population has.

    ``channels`` splits the population into equal action channels (Gurney,
    Prescott & Redgrave 2001); a projection with ``topology="channel"`` connects
    channel k only to channel k. ``baseline_hz`` may be negative: a threshold
    the input must exceed before the cells fire.

    Parameters
    ----------
    size : int
        default number of cells
    tau_ms : float
        default time constant (ms)
    baseline_hz : float
        default tonic drive (Hz)
    """
    return {
        "size": Param(size, "number of neurons (rate units in rate mode)", low=1, high=100_000),
        "channels": Param(1, "number of action channels the cells are split into", low=1, high=1000),
        "tau_ms": Param(tau_ms, "membrane (spiking) or rate (rate mode) time constant",
                        low=0.0, low_inclusive=False, high=1000.0, unit="ms"),
        "baseline_hz": Param(baseline_hz, "tonic drive: the rate with no input (negative: a threshold)",
                             low=-500.0, high=500.0, unit="Hz"),
        "max_rate_hz": Param(200.0, "ceiling of the rate-mode transfer function", low=1.0, high=1000.0, unit="Hz"),
        "noise_hz": Param(0.0, "s.d. of an Ornstein-Uhlenbeck fluctuation of each cell's drive", low=0.0,
                          high=500.0, unit="Hz"),
        "noise_tau_ms": Param(50.0, "correlation time of the drive fluctuation", low=0.0, low_inclusive=False,
                              high=10_000.0, unit="ms"),
        # optogenetic-style clamp: a drive added over a window of the session (or of every period)
        "clamp_hz": Param(0.0, "drive added while the clamp is on: positive excites, negative silences",
                          low=-1000.0, high=1000.0, unit="Hz"),
        "clamp_start_s": Param(0.0, "clamp onset (session time, or time within each period)", low=0.0,
                               high=1e6, unit="s"),
        "clamp_stop_s": Param(0.0, "clamp offset", low=0.0, high=1e6, unit="s"),
        "clamp_period_s": Param(0.0, "repeat the window every period, e.g. every trial (0: once)", low=0.0,
                                high=1e6, unit="s"),
    }


@dataclass(frozen=True)
class RegionType:
    """A kind of brain region: its parameters, and how it builds itself (see the module's docstring).

    Attributes
    ----------
    name : str
        the type's name, as add_region takes it
    kind : str
        what it is (cortex, striatum, dopamine ...): colours it in figures
    summary : str
        one line for listings
    params : dict of str to Param
        its parameters
    input_rate, signal, input_size, rate_mode_params : callable or str, optional
        for input regions, how the task's signal becomes their rate and how many cells they have
    drive_inputs, sensed_variables, senses, prepare, receptor : callable or str, optional
        hooks on the shared population equations (see the module's description)
    """

    name: str
    kind: str
    summary: str
    params: dict[str, Param] = field(default_factory=dict)
    #: for input regions: (params, signal) -> rate expression in Hz, where ``signal()`` is the
    #: expression of the task's signal now, and ``signal(index)`` of its column ``index``
    input_rate: Callable[[dict, Callable[..., str]], str] | None = None
    #: the task signal an input region reads (or a population senses: the PFC's present outcome)
    signal: str | None = None
    #: for input regions: number of cells from the parameters
    input_size: Callable[[dict], int] | None = None
    #: rate mode: parameters with cells that are identical by construction merged into one unit
    rate_mode_params: Callable[[dict], dict] | None = None
    #: populations: how the synaptic input terms (``["+ I_a", "- I_b"]``) enter the drive, given the parameters:
    #: ``(params, terms) -> (drive terms, extra equations)``; None: summed as they are
    drive_inputs: Callable[[dict, list[str]], tuple[list[str], str]] | None = None
    #: populations that sense the task without firing for it (a PFC): the variables they hold, and
    #: ``(reader, params, n) -> code`` that sets them at the start of every step, reading the task's signals
    #: through ``reader`` (:class:`dopasim.circuits.signals.SignalReader`)
    sensed_variables: str = ""
    senses: Callable | None = None
    #: once the Brian2 group exists: ``(group, params, channels)`` sets per-cell constants
    prepare: Callable | None = None
    #: the dopamine receptor of the cells (``"d1"``, ``"d2"``) from the parameters; None: no receptor, no
    #: dopamine-gated plasticity sign flip and no receptor occupancy (see :mod:`dopasim.circuits.dopamine`)
    receptor: Callable[[dict], str | None] = field(default=lambda params: None)

    @property
    def is_input(self) -> bool:
        return self.input_rate is not None

    def size(self, params: dict) -> int:
        """Number of cells of a region of this type.

        Parameters
        ----------
        params : dict
            the region's resolved parameters.
        """
        return self.input_size(params) if self.is_input else params["size"]

    def channels(self, params: dict) -> int:
        """Number of action channels of a region of this type.

        Parameters
        ----------
        params : dict
            the region's resolved parameters.
        """
        return params.get("channels", 1)


from dopasim.circuits.regions import (  # noqa: E402
    cortex, cortical_population, feedback, gpe, gpi, hippocampus, motor, pfc, punishment, reward, salience, snc, stn,
    striatum, thalamus, vta, working_memory)

REGIONS: dict[str, RegionType] = {r.name: r for r in (
    cortex.REGION, reward.REGION, punishment.REGION, salience.REGION, striatum.REGION, vta.REGION,
    gpe.REGION, stn.REGION, gpi.REGION, thalamus.REGION, snc.REGION, motor.REGION, pfc.REGION,
    hippocampus.REGION, working_memory.REGION, feedback.REGION, cortical_population.REGION)}


def register_region(region: RegionType, replace: bool = False) -> RegionType:
    """Make ``region`` available by its name to :meth:`CircuitGraph.add_region`.

    Parameters
    ----------
    region : RegionType
        the new type: its name, kind, one-line summary, parameters (``population_params`` and its own),
        and any build hooks.
    replace : bool
        replace a type of the same name; otherwise a name already taken is refused, so that a new type
        cannot silently change circuits built from the old one.

    Returns
    -------
    RegionType
        ``region``, registered.

    Examples
    --------
    >>> from dopasim.circuits.regions import RegionType, population_params, register_region
    >>> habenula = register_region(RegionType(
    ...     name="my_habenula", kind="pallidum", summary="lateral habenula",
    ...     params=population_params(size=20, tau_ms=20.0, baseline_hz=2.0)), replace=True)
    """
    from dopasim.params import ConfigError

    if not isinstance(region, RegionType):
        raise ConfigError(f"register_region takes a RegionType, not {type(region).__name__}")
    if not isinstance(region.kind, str) or not region.kind:
        raise ConfigError(f"region type {region.name!r}: kind {region.kind!r} must be a word (the built-in ones: "
                          f"{', '.join(KINDS)}; 'dopamine' may send dopamine projections, 'input' reads a signal)")
    if region.name in REGIONS and not replace:
        raise ConfigError(f"region type {region.name!r} is already registered (replace=True replaces it)")
    REGIONS[region.name] = region
    return region
