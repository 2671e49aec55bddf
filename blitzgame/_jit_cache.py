"""Where numba keeps compiled kernels: a per-user directory, one per version of the engine.

numba only notices edits to the file a kernel is defined in, not to the kernels it
calls, so the directory name also fingerprints every source file that defines kernels.
"""

import hashlib
import os
from pathlib import Path

_PACKAGE = Path(__file__).parent
_KERNEL_DIRS = ("engine", "bots", "envs")  # every package that defines compiled kernels


def engine_fingerprint() -> str:
    """A short hash of the kernel source files (name, size, modification time)."""
    digest = hashlib.sha256()
    for path in sorted(p for d in _KERNEL_DIRS for p in (_PACKAGE / d).glob("*.py")):
        stat = path.stat()
        digest.update(f"{path.parent.name}/{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:12]


def configure() -> None:
    """Point numba's cache at the per-user, per-version directory unless the user chose one."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    import numba.core.config
    from platformdirs import user_cache_dir

    from blitzgame import __version__

    path = Path(user_cache_dir("blitzgame")) / f"numba-{__version__}-{engine_fingerprint()}"
    numba.core.config.CACHE_DIR = str(path)
