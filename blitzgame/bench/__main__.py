"""``python -m blitzgame.bench [--json] [--quick]``: ``blitzgame bench`` without the CLI."""

import json
import sys

from blitzgame.bench import render, run

results = run(quick="--quick" in sys.argv[1:])
print(json.dumps(results, indent=2) if "--json" in sys.argv[1:] else render(results))
