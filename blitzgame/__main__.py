"""``python -m blitzgame``: the same as the ``blitzgame`` command."""

from blitzgame.cli import main

raise SystemExit(main())
