"""dopasim: the brain's reinforcement-learning circuit on Brian2, in rate or spiking mode."""

__version__ = "0.1.0"
