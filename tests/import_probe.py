"""What a fresh interpreter has imported after running some code: layer tests use it to keep
heavy libraries (Textual, matplotlib, gymnasium, numba) out of places that do not need them."""

import json
import subprocess
import sys


def loaded_after(code: str) -> list[str]:
    """The top-level packages in ``sys.modules`` after ``code`` runs in a new interpreter
    (warnings are errors)."""
    source = code + "\nimport json, sys\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    result = subprocess.run([sys.executable, "-W", "error", "-c", source], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
