"""``python -m thermosat`` is the ``thermosat`` command."""
from thermosat.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
