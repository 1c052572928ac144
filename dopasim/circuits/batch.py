"""Many subjects in one network: every population and projection B times over, each subject on its own.

A cohort is many runs of one circuit on one task that differ in their seed.
Run one network per subject and most of a short rate-mode run is overhead:
starting Python, building the Brian2 objects, compiling, drawing figures. A
batch pays it once: one C++ standalone network holds B subjects, each region a
group of B times its cells (subject-major: subject s holds cells
``s * n .. (s + 1) * n - 1``), each projection joining cells of one subject only.

Subjects stay independent, so a subject's run does not depend on which others
share its batch:

* every group and synapse knows its ``subject`` and every cell its index
  within the subject, ``i_in_subject``; the region types', rules' and tasks'
  code is written for one subject (``i`` is a cell's index), and is rewritten
  here (``i`` -> ``i_in_subject``, a signal's or table's column -> the
  subject's own column) before Brian2 sees it;
* every random draw inside the simulation (noise, Poisson input, initial
  weights and potentials, tie-breaks) comes from the subject's own stream, a
  xoshiro256** generator seeded from the subject's seed, whose state every
  object shares through the arrays of the ``subjects`` group: in every batched
  object, ``rand()`` and ``randn()`` read the stream of the element's subject;
* random connectivity is drawn in numpy from the subject's seed and the
  projection's name;
* the task's draws, signals and tables are the subject's own (its seed), as
  in a run of its own.

A batched subject is not the same run, draw for draw, as the same seed run
alone (``--batch 1`` keeps Brian2's own random stream); the speed page sets a
cohort run both ways side by side (``benchmarks/cohort.py``).
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from dopasim.params import ConfigError

#: what every batched group knows of its cells, and every batched synapse of itself (Brian2 reads a
#: synapse's ``subject`` as its postsynaptic cell's)
CELL_VARIABLES = "subject : integer (constant)\ni_in_subject : integer (constant)\n"
SUBJECT_VARIABLES = "synapse_subject : integer (constant)\n"

_STREAMS = r"""
#ifndef DOPASIM_SUBJECT_STREAMS
#define DOPASIM_SUBJECT_STREAMS
// Brian2 puts each code object's support code in an anonymous namespace, so a stream kept here would be one per
// code object. The streams live in the arrays of the ``subjects`` group instead, which every object shares: the
// xoshiro256** state (its four words' bits in rng_0 .. rng_3), a spare normal draw, and flags (1: seeded,
// 2: a spare is kept).
namespace dopasim_subjects {
inline uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
// a uniform draw in (0, 1) from the stream of subject s (xoshiro256**, seeded by splitmix64 from its seed)
inline double uniform(const int32_t s) {
    double* const words[4] = {brian::_array_subjects_rng_0, brian::_array_subjects_rng_1,
                              brian::_array_subjects_rng_2, brian::_array_subjects_rng_3};
    uint64_t st[4];
    if (!(brian::_array_subjects_flags[s] & 1)) {
        uint64_t x = (uint64_t)brian::_array_subjects_seed[s];
        for (int k = 0; k < 4; k++) st[k] = splitmix(x);
        brian::_array_subjects_flags[s] |= 1;
    } else {
        for (int k = 0; k < 4; k++) __builtin_memcpy(&st[k], &words[k][s], sizeof(uint64_t));
    }
    const uint64_t result = rotl(st[1] * 5, 7) * 9;
    const uint64_t t = st[1] << 17;
    st[2] ^= st[0]; st[3] ^= st[1]; st[1] ^= st[2]; st[0] ^= st[3];
    st[2] ^= t; st[3] = rotl(st[3], 45);
    for (int k = 0; k < 4; k++) __builtin_memcpy(&words[k][s], &st[k], sizeof(uint64_t));
    return ((result >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
// a standard normal draw from the stream of subject s (Marsaglia's polar method, the second draw kept)
inline double normal(const int32_t s) {
    if (brian::_array_subjects_flags[s] & 2) {
        brian::_array_subjects_flags[s] &= ~2;
        return brian::_array_subjects_spare[s];
    }
    double u, v, r2;
    do {
        u = 2.0 * uniform(s) - 1.0;
        v = 2.0 * uniform(s) - 1.0;
        r2 = u * u + v * v;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = sqrt(-2.0 * log(r2) / r2);
    brian::_array_subjects_spare[s] = v * f;
    brian::_array_subjects_flags[s] |= 2;
    return u * f;
}
}
#endif
"""


def _install_subject_draws() -> None:
    """Make ``rand()`` and ``randn()`` of every batched object draw from its elements' subjects' streams.

    Brian2 resolves its own ``rand`` before any namespace, so its C++ standalone
    implementation is replaced by one that asks each code object's owner: a
    batched group (it has ``i_in_subject``) or batched synapses (they have
    ``synapse_subject``) get the subjects' streams; every other object keeps
    Brian2's own code, unchanged.
    """
    from brian2.core.functions import DEFAULT_FUNCTIONS
    from brian2.devices.cpp_standalone.codeobject import CPPStandaloneCodeObject, generate_rand_code
    from brian2.devices.device import get_device
    from brian2.synapses.synapses import Synapses

    for kind, call in (("rand", "uniform"), ("randn", "normal")):
        implementations = DEFAULT_FUNCTIONS[kind].implementations
        if getattr(implementations[CPPStandaloneCodeObject], "dopasim_subjects", False):
            continue

        def code(owner, kind=kind, call=call):
            variables = getattr(owner, "variables", {})
            if "synapse_subject" in variables:
                subject = variables["synapse_subject"]
            elif "i_in_subject" in variables and not isinstance(owner, Synapses):
                subject = variables["subject"]
            else:
                return generate_rand_code(kind, owner)
            array = get_device().get_array_name(subject, access_data=False)
            return {"support_code": _STREAMS + f"""
            inline double _{kind}(const int _vectorisation_idx) {{
                return dopasim_subjects::{call}(brian::{array}[_vectorisation_idx]);
            }}
            """}

        implementations.add_dynamic_implementation(CPPStandaloneCodeObject, code=code, namespace=lambda owner: {},
                                                   name=f"_{kind}")
        implementations[CPPStandaloneCodeObject].dopasim_subjects = True


def _calls(code: str, name: str):
    """The spans of every call ``name(...)`` in ``code`` and its arguments' text (parentheses matched)."""
    for match in re.finditer(rf"\b{re.escape(name)}\(", code):
        depth, k = 1, match.end()
        while depth and k < len(code):
            depth += {"(": 1, ")": -1}.get(code[k], 0)
            k += 1
        yield match.start(), k, code[match.end():k - 1]


def _split_arguments(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, c in enumerate(text):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    return parts + [text[start:]]


class Batch:
    """B subjects of one circuit in one network: the layout, the code rewriting and the subjects' streams.

    Parameters
    ----------
    seeds : list of int
        one per subject: its task's draws and its random stream inside the simulation.
    """

    def __init__(self, seeds):
        self.seeds = [int(s) for s in seeds]
        if not self.seeds:
            raise ConfigError("a batch needs at least one subject")
        self.size = len(self.seeds)
        #: batched TimedArray name -> its columns per subject
        self.columns: dict[str, int] = {}
        #: projection -> the first synapse of each subject, and the total
        self.synapses: dict[str, np.ndarray] = {}
        #: plastic projection -> the first row of each subject's sampled weights, and the total
        self.weight_rows: dict[str, np.ndarray] = {}
        self.subjects = None

    # -- the subjects' streams -------------------------------------------------
    def start(self):
        """The group holding each subject's seed and random stream (read by every batched object's draws);
        made once, before any other."""
        import brian2 as b2

        if self.subjects is not None:
            return self.subjects
        _install_subject_draws()
        self.subjects = b2.NeuronGroup(self.size, "seed : integer (constant)\nflags : integer\nspare : 1\n"
                                       + "".join(f"rng_{k} : 1\n" for k in range(4)), name="subjects")
        self.subjects.seed = np.asarray(self.seeds, dtype=np.int64) % (2**31)
        return self.subjects

    # -- code written for one subject --------------------------------------------
    def local(self, code: str | None, synaptic: bool = False) -> str | None:
        """``code`` written for one subject, for its batched object.

        A cell's index ``i`` becomes ``i_in_subject`` (in synapses: ``i`` and ``i_pre`` of the presynaptic
        cell, ``j`` and ``j_post`` of the postsynaptic one); a call of a batched signal or table
        ``NAME(t, column)`` reads the subject's own column (``NAME(t)``: its only one).
        """
        if not code:
            return code
        if synaptic:
            code = re.sub(r"\b(i|i_pre)\b", "i_in_subject_pre", code)
            code = re.sub(r"\b(j|j_post)\b", "i_in_subject_post", code)
        else:
            code = re.sub(r"\bi\b", "i_in_subject", code)
        for name, columns in self.columns.items():
            pieces, last = [], 0
            for start, stop, arguments in _calls(code, name):
                args = _split_arguments(arguments)
                column = args[1].strip() if len(args) > 1 else "0"
                pieces += [code[last:start], f"{name}({args[0]}, subject * {columns} + ({column}))"]
                last = stop
            code = "".join(pieces) + code[last:]
        return code

    def table(self, name: str, per_subject: list[np.ndarray]) -> np.ndarray:
        """The subjects' own values of a signal or table, side by side: (rows, columns x subjects)."""
        arrays = [np.asarray(a, dtype=float) for a in per_subject]
        shapes = {a.shape for a in arrays}
        if len(shapes) != 1:
            raise ConfigError(f"the subjects of a batch differ in the shape of {name!r} ({sorted(shapes)}); "
                              "run them with --batch 1")
        arrays = [a.reshape(len(a), -1) for a in arrays]
        self.columns[name] = arrays[0].shape[1]
        return np.concatenate(arrays, axis=1)

    # -- objects ---------------------------------------------------------------
    def group(self, n: int, eqs: str, **kwargs):
        """A ``NeuronGroup`` of ``n`` cells per subject, its equations, threshold, reset and events written for
        one subject, each cell labelled with its ``subject`` and ``i_in_subject``."""
        import brian2 as b2

        for key in ("threshold", "reset"):
            if kwargs.get(key):
                kwargs[key] = self.local(kwargs[key])
        if "events" in kwargs:
            kwargs["events"] = {name: self.local(code) for name, code in kwargs["events"].items()}
        group = b2.NeuronGroup(n * self.size, self.local(eqs) + CELL_VARIABLES, **kwargs)
        self.label(group, n)
        return group

    def label(self, group, n: int) -> None:
        """Set each cell's ``subject`` and ``i_in_subject`` (``n`` cells per subject)."""
        group.subject = np.repeat(np.arange(self.size), n)
        group.i_in_subject = np.tile(np.arange(n), self.size)

    def one_subject(self, obj, n: int, synaptic: bool = False):
        """A view of a batched group (``n`` cells a subject) or synapses as a hook written for one subject
        sees it: its length is one subject's, arrays set on it are repeated for every subject, code is
        rewritten."""
        return _OneSubject(obj, n, self, synaptic)

    def connect_pairs(self, syn, name: str, n_pre: int, n_post: int, pairs) -> np.ndarray:
        """Join each subject's cells by ``pairs(rng) -> (i, j)`` (one subject's indices, drawn from the
        subject's own generator); set the synapses' ``synapse_subject``. Returns the first synapse of every
        subject and the total (B + 1 offsets)."""
        pre, post, offsets = [], [], [0]
        for s, seed in enumerate(self.seeds):
            i, j = pairs(np.random.default_rng([seed, zlib.crc32(name.encode())]))
            pre.append(np.asarray(i, dtype=np.int32) + s * n_pre)
            post.append(np.asarray(j, dtype=np.int32) + s * n_post)
            offsets.append(offsets[-1] + len(i))
        syn.connect(i=np.concatenate(pre), j=np.concatenate(post))
        syn.synapse_subject = np.repeat(np.arange(self.size), np.diff(offsets))
        return np.asarray(offsets)


class _OneSubject:
    def __init__(self, obj, n, batch, synaptic):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_n", n)
        object.__setattr__(self, "_batch", batch)
        object.__setattr__(self, "_synaptic", synaptic)

    def __len__(self):
        return self._n

    def __getattr__(self, name):
        value = getattr(self._obj, name)
        if name == "variables":
            return value
        return _OneSubjectVariable(value, self)

    def __setattr__(self, name, value):
        setattr(self._obj, name, self._value(value))

    def _value(self, value):
        if isinstance(value, str):
            return self._batch.local(value, self._synaptic)
        array = np.asarray(value)
        if array.ndim and not self._synaptic and array.shape[0] == self._n:
            return np.tile(array, (self._batch.size,) + (1,) * (array.ndim - 1))
        if array.ndim and self._synaptic:
            raise ConfigError("a hook set a per-synapse array on a batched projection; set it with an expression")
        return value


class _OneSubjectVariable:
    def __init__(self, variable, view):
        self._variable, self._view = variable, view

    def __setitem__(self, key, value):
        if isinstance(key, str):
            key = self._view._batch.local(key, self._view._synaptic)
        self._variable[key] = self._view._value(value)
