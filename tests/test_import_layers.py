"""The layers of docs/design.md §6, as `import-linter` contracts in pyproject.toml."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_keeps_to_its_layer():
    tool = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert tool, "import-linter is a test dependency (pyproject.toml [test])"
    done = subprocess.run([tool, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_every_module_of_the_package_is_in_a_layer():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    layered = {name.strip() for layer in contracts[0]["layers"] for part in layer.split("|") for name in part.split(":")}
    package = ROOT / "blitzgame"
    top = {f"blitzgame.{p.stem}" for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    top |= {f"blitzgame.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert top - layered == set()
