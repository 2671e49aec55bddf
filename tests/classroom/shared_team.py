"""One team of a shared class in its own process, as a student's terminal plays it (for the tests).

    python shared_team.py DIR TEAM BOT [--late Q,Q...] [--stop-after Q]

It claims TEAM, then every quarter asks BOT for its orders and submits them, and waits (polling)
until the quarter closes. In the quarters listed by ``--late`` it waits until the quarter has
closed before it submits: its orders must be refused as late. With ``--stop-after Q`` it
submits for quarter Q and exits without releasing its claim (a closed terminal). It prints one
line per event ("submitted 3", "late 5: <message>") and "done" at the end.
"""

import argparse
import sys
import time

from blitzgame.bots.sandbox import InProcessSeat
from blitzgame.classroom.shared import LateOrders, SharedClass

POLL = 0.05


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("team")
    parser.add_argument("bot")
    parser.add_argument("--late", default="")
    parser.add_argument("--stop-after", type=int, default=None)
    args = parser.parse_args()
    late = {int(q) for q in args.late.split(",") if q}
    shared = SharedClass(args.dir)
    team = shared.team_index(args.team)
    shared.claim(team)
    seat = InProcessSeat(args.bot)
    seat.new_game()
    print("claimed", flush=True)
    while not shared.game.over:
        q = shared.game.quarter
        if not shared.game.alive(team):
            shared.poll()
            time.sleep(POLL)
            continue
        orders = seat.decide(shared.game, team).orders or {}
        if q in late:
            while shared.resolved() == q:  # the quarter closes at its deadline without us
                time.sleep(POLL)
                shared.heartbeat()
                shared.resolve()
        try:
            shared.submit(team, orders, quarter=q)
            print("submitted", q, flush=True)
        except LateOrders as error:
            print("late", q, error, flush=True)
            shared.sync()
        if args.stop_after == q:
            print("stopped", flush=True)
            sys.stdout.flush()
            import os

            os._exit(0)  # as a killed process: no release, no clean-up
        while shared.game.quarter == q:
            shared.poll()
            time.sleep(POLL)
    print("done", shared.game.digest(), flush=True)
    shared.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
