"""How the circuit reads its task: input regions' rates and a population's sensing, as generated code.

A task hands over its signals either precomputed (``TimedArray`` columns,
sampled every millisecond) or, in a closed loop, as the state of its task
group (see :mod:`dopasim.circuits.loop`). :class:`SignalReader` turns a
region's reading of a named signal into code that works either way.
"""

from __future__ import annotations

from dopasim.circuits.loop import TaskLoop, expand, task_names
from dopasim.params import ConfigError


def input_group(region: str, spec, params: dict, n: int, mode: str, timed: dict, loop: TaskLoop | None,
                batch=None):
    """An input region: cells whose rate follows the task (Poisson spikes in spiking mode).

    The rate is a state variable set once per step, not an expression every
    synapse re-evaluates. It reads a precomputed signal (a ``TimedArray``) or,
    in a closed loop, the task's state through linked variables. With a
    ``batch`` (:class:`dopasim.circuits.batch.Batch`), the group holds every
    subject's ``n`` cells, each reading its subject's signals.
    """
    import brian2 as b2

    reader = SignalReader(region, timed, loop)
    signal = reader.signal(spec.signal)
    rate = spec.input_rate(params, signal)
    code = reader.code() + f"rate = {rate}"
    eqs = "rate : Hz\n" + reader.declarations()
    threshold = "rand() < rate * dt" if mode == "spiking" else None
    if batch is None:
        group = b2.NeuronGroup(n, eqs, threshold=threshold, namespace=reader.namespace, name=region)
    else:
        group = batch.group(n, eqs, threshold=threshold, namespace=reader.namespace, name=region)
        code = batch.local(code)
    reader.link(group)
    group.run_regularly(code, when="start", name=f"{region}_signal")
    return group


class SignalReader:
    """Code that reads the task's signals: precomputed ``TimedArray`` columns, or the closed loop's state.

    ``signal(name)`` returns a function of a column index (an expression, or
    None for a scalar signal) giving the name of a temporary that holds its
    value now; :meth:`code` assigns the temporaries. Each use becomes a
    temporary first: Brian2 cannot compare function calls symbolically.
    """

    def __init__(self, region: str, timed: dict, loop: TaskLoop | None):
        self.region, self.timed, self.loop = region, timed, loop
        self.namespace, self.linked, self.temporaries = {}, set(), {}

    def signal(self, name: str):
        if name in self.timed:
            def value(index):
                return f"sig_{name}(t)" if index is None else f"sig_{name}(t, {index})"
            self.namespace[f"sig_{name}"] = self.timed[name]
        elif self.loop is not None and name in self.loop.program.signals:
            def value(index):
                return expand(self.loop.program.signals[name].format(index=index))
            self.namespace.update(self.loop.namespace)
            self.linked.update(task_names(self.loop.program.signals[name]))
        else:
            provided = sorted(set(self.timed) | set(self.loop.program.signals if self.loop else ()))
            raise ConfigError(f"region {self.region!r} reads the signal {name!r}, which this task "
                              f"does not provide (it provides: {', '.join(provided) or 'none'})")

        def temporary(index=None):
            key = (name, index)
            if key not in self.temporaries:
                self.temporaries[key] = (f"signal_{len(self.temporaries)}", value(index))
            return self.temporaries[key][0]
        return temporary

    def code(self) -> str:
        return "".join(f"{var} = {expr}\n" for var, expr in self.temporaries.values())

    def declarations(self) -> str:
        return self.loop.declarations(sorted(self.linked)) if self.linked else ""

    def link(self, group) -> None:
        if self.linked:
            self.loop.link(group, sorted(self.linked))
