"""``python -m govanalysis``: the same command line as ``govanalysis``."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
