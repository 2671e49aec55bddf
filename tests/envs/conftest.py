"""Every environment test steps compiled kernels: wait until they are in the compile cache."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _env_kernels_compiled(env_kernels) -> None:
    return None
