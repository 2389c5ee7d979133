"""atheris fuzz harnesses, one ``fuzz_*.py`` per parser; ``python -m fuzz`` runs them all."""
