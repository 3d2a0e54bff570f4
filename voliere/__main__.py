"""`python -m voliere …` is the `voliere` command."""

from voliere.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
