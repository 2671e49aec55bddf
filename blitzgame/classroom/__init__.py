"""The classroom kit: one world for every team, and the debriefs that compare them.

A class is a folder: ``class.toml`` (the manifest: scenario, seed, rivals and the teams)
and one save per team under ``teams/``. Each team plays its own campaign of the same
scenario and seed, its lab in the same seat against the same rivals, so the teams' games
differ only through their own orders (two teams giving the same orders get bit-identical
games). ``blitzgame class new|status|autoplay|report|serve`` and
``blitzgame play --class DIR --team NAME`` are the commands (``classroom.cli``).

Modules: ``manifest`` (the class.toml schema, reading and writing), ``team`` (a team's
campaign that saves to the team's file), ``create`` (a new class), ``autoplay`` (bots in
the teams' seats), ``whatif`` (the rewind from a team's worst quarter), ``report`` (the
leaderboard, charts, CSV, HTML and Markdown debriefs), ``serve`` (the teams in browsers).
"""
