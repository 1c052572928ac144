"""Disease presets: named lists of lesion transforms, each with its mechanism and paper.

A disease is data, not a code path: ``lesions`` is a list of records that
:func:`dopasim.circuits.lesions.apply` replays on any circuit. A record whose
region or projection a circuit lacks (the SNc of the Pavlovian critic) is
skipped (run.json lists the records applied); a disease none of whose records
apply is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.lesions import apply
from dopasim.params import ConfigError, unknown_name


@dataclass(frozen=True)
class Disease:
    name: str
    mechanism: str
    paper: str
    lesions: list[dict] = field(default_factory=list)
    #: why the disease cannot be modelled yet (None: it can)
    unavailable: str | None = None


#: SNc cell loss at the onset of motor symptoms (Fearnley & Lees 1991: 60-80%)
PD_CELL_LOSS = 0.8
#: L-DOPA: dopamine at the striatal terminals whatever the cells fire, raising the resting level from a fifth
#: of normal to twice normal (Hz of DA cell rate)
LDOPA_HZ = 9.0
#: a drug's dopamine at the ventral striatum while it acts (Hz of DA cell rate): a fifth of the tonic
#: level, enough to drive a cue's value up without end
DRUG_HZ = 1.0

#: compulsivity goes with a smaller model-based share of two-step choices (Gillan et al. 2016: about half
#: the mb index at high compulsivity; Voon et al. 2015: OCD patients' model-based weight lower)
OCD_GOAL_DIRECTED = 0.4

DISEASES = {d.name: d for d in (
    Disease("parkinsons", f"{PD_CELL_LOSS:.0%} of SNc dopamine cells lost, unmedicated: weak bursts",
            "Frank, Seeberger & O'Reilly 2004",
            [{"transform": "kill_cells", "region": "snc", "fraction": PD_CELL_LOSS}]),
    Disease("parkinsons_medicated", "SNc cell loss plus L-DOPA: raised tonic dopamine that masks dips",
            "Frank, Seeberger & O'Reilly 2004",
            [{"transform": "kill_cells", "region": "snc", "fraction": PD_CELL_LOSS},
             {"transform": "tonic_dopamine", "source": "snc", "change_hz": LDOPA_HZ}]),
    Disease("addiction", "a drug adds dopamine that no prediction cancels (with task.drug=true)",
            "Redish 2004",
            [{"transform": "drug_action", "source": "vta", "dopamine_hz": DRUG_HZ}]),
    Disease("depression", "halved reward sensitivity (anhedonia): smaller reward-evoked dopamine",
            "Huys et al. 2013",
            [{"transform": "scale_projection", "projection": "reward_drive", "factor": 0.5},
             {"transform": "scale_projection", "projection": "reward_drive_snc", "factor": 0.5}]),
    Disease("schizophrenia", "aberrant salience: noisy, elevated tonic dopamine",
            "Kapur 2003; Maia & Frank 2017",
            [{"transform": "dopamine_noise", "region": "vta", "noise_hz": 20.0},
             {"transform": "dopamine_noise", "region": "snc", "noise_hz": 20.0},
             {"transform": "tonic_dopamine", "source": "vta", "change_hz": 1.0},
             {"transform": "tonic_dopamine", "source": "snc", "change_hz": 1.0}]),
    Disease("huntington", "half of the D2 (indirect pathway) striatal cells lost",
            "Albin, Young & Penney 1989; Reiner et al. 1988",
            [{"transform": "kill_cells", "region": "striatum_d2", "fraction": 0.5}]),
    Disease("ocd", "goal-directed (model-based) control cut to 40%, habit takes over (circuit model_based)",
            "Gillan et al. 2016; Voon et al. 2015",
            [{"transform": "goal_directed", "factor": OCD_GOAL_DIRECTED}]),
)}


def disease(name: str) -> Disease:
    if name not in DISEASES:
        raise unknown_name("disease", name, DISEASES)
    found = DISEASES[name]
    if found.unavailable:
        raise ConfigError(f"disease {name!r} cannot be modelled yet: {found.unavailable}")
    return found


def _targets(lesion: dict) -> list[str]:
    return [lesion[k] for k in ("region", "projection", "source") if k in lesion]


def apply_disease(graph: CircuitGraph, name: str) -> CircuitGraph:
    """``graph`` with disease ``name``'s lesions, those whose targets it has.

    >>> from dopasim.circuits import make_circuit
    >>> sick = apply_disease(make_circuit("actor_critic"), "parkinsons")
    >>> sick.region("snc")["params"]["size"]
    20
    """
    found = disease(name)
    present = set(graph.regions()) | set(graph.projection_names())
    usable = [lesion for lesion in found.lesions if all(t in present for t in _targets(lesion))]
    if not usable:
        needed = sorted({t for lesion in found.lesions for t in _targets(lesion)})
        raise ConfigError(f"disease {name!r} acts on {', '.join(needed)}, none of which circuit "
                          f"{graph.name!r} has")
    return apply(graph, [{**lesion, "disease": name} for lesion in usable])
