"""Brian2's C++ standalone device, as a session uses it: a progress bar drawn by the generated code, the
device set up and reset around one build, and the same random draws in every process.
"""

from __future__ import annotations

import contextlib


def progress_bar(trial_s: float, counter: tuple[str, int, str] | None = None) -> str:
    """C++ body of Brian2's standalone report function: a bar on stderr, in trials.

    A standalone run cannot call back into Python, so the bar is drawn by the
    generated code itself, once per report period. A task whose session ends
    early (episodes of a maze) counts its own ``counter``: (task variable, total,
    label), read from the task group's array.
    """
    if counter is None:
        done = "(int)(completed * duration / trial_s + 0.5)"
        total, label = "(int)(duration / trial_s + 0.5)", "trial"
        fraction = "completed"
    else:
        variable, n, label = counter
        done = f"std::max(0, (int)brian::_array_task_{variable}[0])"
        total = str(int(n))
        fraction = f"std::min(1.0, {done} / {float(n)!r})"
    return f"""
    const int width = 30;
    const double trial_s = {trial_s!r};
    const double fraction = {fraction};
    const int filled = (int)(fraction * width);
    std::cerr << "\\r  [" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << (int)(fraction * 100.) << "%  {label} " << {done}
              << "/" << {total} << "  " << (int)elapsed << " s";
    if (fraction > 0.0 && fraction < 1.0)
        std::cerr << ", ~" << (int)((1 - fraction) / fraction * elapsed + 0.5) << " s left   ";
    if (completed >= 1.0)
        std::cerr << std::endl;
    std::cerr << std::flush;
    """


class _SortedSet(set):
    """A set that iterates in sorted order."""

    def __iter__(self):
        return iter(sorted(set.__iter__(self)))


def stochastic_variables_in_sorted_order() -> None:
    """Make Brian2 draw a group's noise variables in the same order in every process.

    Brian2 (2.9) collects the white-noise variables of a group's equations
    (``xi``, ``xi_noise``: the membrane noise and the drive's Ornstein-Uhlenbeck
    noise of a spiking cell) in a set of strings and draws their ``randn()`` in
    its iteration order, which Python's per-process string hashing changes.
    So the same seed gave one of two sessions at random: two_step seed 2, 30
    episodes, gave the same trials under ``PYTHONHASHSEED`` 0, 1 and 2 and
    other trials under 3. The sets are made to iterate sorted.
    """
    from brian2.equations.codestrings import Expression
    from brian2.equations.equations import Equations, SingleEquation

    for cls in (Expression, Equations, SingleEquation):
        prop = cls.__dict__["stochastic_variables"]
        if not getattr(prop.fget, "sorted_order", False):
            def fget(self, _unsorted=prop.fget):
                return _SortedSet(_unsorted(self))
            fget.sorted_order = True
            cls.stochastic_variables = property(fget, doc=prop.__doc__)


@contextlib.contextmanager
def standalone():
    """Brian2's C++ standalone device, set up to build explicitly and reset afterwards."""
    import brian2 as b2
    from brian2.devices.device import reset_device

    b2.set_device("cpp_standalone", build_on_run=False)
    try:
        yield b2.get_device()
    finally:
        b2.get_device().reinit()
        reset_device()
