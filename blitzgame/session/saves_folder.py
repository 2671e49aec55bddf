"""The saves folder: where saves live, the rotating autosaves, and the saves listed for loading."""

import os
from pathlib import Path

from blitzgame.session.saves import SaveError, read_save
from blitzgame.session.views import SaveInfo

AUTOSAVES = 3  # rotating autosave files kept per campaign
SAVES_ENV = "BLITZGAME_SAVES"  # a folder for saves instead of the per-user data folder


def saves_dir() -> Path:
    """Where the game keeps saves: ``$BLITZGAME_SAVES``, else the per-user data folder."""
    chosen = os.environ.get(SAVES_ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_data_dir

    return Path(user_data_dir("blitzgame")) / "saves"


def autosave_path(name: str, quarter: int, folder: Path | None = None) -> Path:
    """The autosave of campaign ``name`` at ``quarter``: the next of ``AUTOSAVES`` rotating files
    in ``folder`` (default ``saves_dir()``, made if missing), so the oldest is replaced."""
    folder = saves_dir() if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    slot = quarter % AUTOSAVES + 1
    return folder / f"{name}-auto{slot}.json"


def campaign_name(path: str | os.PathLike) -> str:
    """The campaign a save belongs to: the file's name without any ``-autoN``."""
    stem = Path(path).stem
    return stem.rsplit("-auto", 1)[0] if "-auto" in stem else stem


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every save in ``folder`` (default ``saves_dir()``), newest first; broken ones say why."""
    folder = saves_dir() if folder is None else folder
    infos = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            save = read_save(path)
        except SaveError as error:
            infos.append(SaveInfo(path, "?", "?", "?", None, str(error)))
            continue
        human = next((lab.name for lab in save.labs if lab.bot is None), save.labs[0].name)
        scenario = save.scenario.data
        if save.over or save.quarters_played == scenario.quarters:  # labelled by the last quarter played
            world_label = f"finished after {_label(scenario, save.quarters_played - 1)}"
        else:
            world_label = _label(scenario, save.quarters_played)
        infos.append(SaveInfo(path, human, world_label, scenario.id, save.saved_at))
    def newest_first(info: SaveInfo) -> tuple:
        saved = info.saved_at.timestamp() if info.saved_at else 0.0
        try:  # saved_at has whole seconds: the file's own time orders saves made within one
            written = info.path.stat().st_mtime
        except OSError:
            written = 0.0
        return info.saved_at is None, -saved, -written

    return sorted(infos, key=newest_first)


def _label(scenario, quarter: int) -> str:
    from blitzgame.schemas.assets import quarter_label

    return quarter_label(scenario.start, quarter)


__all__ = ["AUTOSAVES", "SAVES_ENV", "autosave_path", "campaign_name", "list_saves", "saves_dir"]
