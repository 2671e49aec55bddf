"""Every lab's derived figures in one compiled call: what an observation shows of each lab
beyond its state row (one call a quarter, not one per figure per lab)."""

from blitzgame.engine import layout as F
from blitzgame.engine.jit import kernel
from blitzgame.engine.markets import debt_room
from blitzgame.engine.metrics import burn, mw_building, quality_rank, quarters_to_escape, runway
from blitzgame.engine.people import talent_density
from blitzgame.engine.turn import stage

FIG_QUALITY_RANK = 0
FIG_STAGE = 1
FIG_ESCAPE_IN = 2
FIG_RUNWAY = 3
FIG_BURN = 4
FIG_DEBT_ROOM = 5
FIG_TALENT_DENSITY = 6
FIG_MW_BUILDING = 7  # then one column per hub: MW under construction there
FIGURES = FIG_MW_BUILDING + F.MAX_HUBS


@kernel
def lab_figures(lab, world, params, out):
    """Fill ``out[i]`` (``FIGURES`` columns, as above) for every lab ``i``: ``metrics.quality_rank``,
    ``turn.stage`` of its GPUs online, ``metrics.quarters_to_escape``, ``metrics.runway``,
    ``metrics.burn``, ``markets.debt_room``, ``people.talent_density`` and ``metrics.mw_building``
    at every hub slot."""
    for i in range(lab.shape[0]):
        out[i, FIG_QUALITY_RANK] = quality_rank(lab, i)
        out[i, FIG_STAGE] = stage(lab[i, F.ONLINE])
        out[i, FIG_ESCAPE_IN] = quarters_to_escape(lab, i, params)
        out[i, FIG_RUNWAY] = runway(lab, i)
        out[i, FIG_BURN] = burn(lab, i)
        out[i, FIG_DEBT_ROOM] = debt_room(lab, i, world, params)
        out[i, FIG_TALENT_DENSITY] = talent_density(lab, i, params)
        for h in range(F.MAX_HUBS):
            out[i, FIG_MW_BUILDING + h] = mw_building(lab, i, h)
