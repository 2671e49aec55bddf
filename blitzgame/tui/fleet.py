"""The lab's fleet in whole GPUs, as every screen writes it: per hub (the hubs view, the orders
form) and idle, for want of power or dark in a heatwave (the hubs view, HQ)."""

from blitzgame.formats import ledger_values
from blitzgame.session.views import idle_shown


def footprint(me) -> list[tuple[int, int, int, int]]:
    """Per hub, the lab's GPUs owned, online, idle and on order as the hubs view shows them: whole,
    and rounded so that each column adds up to the lab's own total as HQ and the report show it
    (``formats.ledger_values``), with owned = online + idle in every row and each figure within a
    GPU of the hub's own."""
    hubs = me.hubs
    _, online, online_total = ledger_values("gpus", 0.0, [hub.online for hub in hubs], me.online)
    _, idle, _ = ledger_values("gpus", 0.0, [hub.stranded for hub in hubs], round(me.gpus) - online_total)
    _, backlog, _ = ledger_values("gpus", 0.0, [hub.backlog for hub in hubs], me.backlog)
    online = [round(o) for o in online]
    # a row whose online and idle both rounded the same way can show a whole GPU more (or fewer) owned
    # than it has: a GPU online moves to a row that rounded the other way, the column's total kept
    for r, hub in enumerate(hubs):
        off = online[r] + idle[r] - hub.gpus
        if abs(off) < 1.0:
            continue
        move = 1 if off > 0 else -1  # a GPU online out of row r (or, -1, into it)
        for s, other in enumerate(hubs):
            if (s != r and abs(online[s] + move - other.online) < 1.0 and abs(online[s] + move + idle[s] - other.gpus) < 1.0
                    and abs(online[r] - move - hub.online) < 1.0):
                online[r] -= move
                online[s] += move
                break
    return [(round(o + i), o, round(i), round(b)) for o, i, b in zip(online, idle, backlog)]


def idle_split(me) -> tuple[int, int]:
    """The lab's GPUs owned but not running, whole: (idle for want of power, dark in a heatwave),
    as HQ, the hubs view (whose idle column adds up to them, ``footprint``) and the report say them."""
    return idle_shown(me.gpus, me.online, me.stranded, me.last_quarter.heat_dark)
