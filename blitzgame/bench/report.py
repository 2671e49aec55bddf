"""The benchmark's results as a table: each figure, its target and PASS/FAIL, then the
flops breakdown, the checks, the warm start's parts and the machine. ``markdown`` writes the
headline figures (every figure not indented under another) as the README's Speed table."""

from __future__ import annotations

from blitzgame.bench import envs, shared, strategist, tui


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value >= 1e4:
            return f"{value:,.0f}"
        if value >= 100:
            return f"{value:.1f}"
        return f"{value:#.3g}"
    return str(value)


ROWS = (
    ("quarter_us_single", "one quarter, 5 labs, G=1 (us, Python call)"),
    ("quarter_us_single_in_kernel", "  same, inside a compiled loop (us)"),
    ("game_quarters_per_s_batched", "engine game-quarters/s, all cores"),
    ("game_quarters_per_s_serial", "  same, one core"),
    ("campaign_game_quarters_per_s", "campaign with bots, game-quarters/s"),
    ("campaign_game_quarters_per_s_serial", "  same, one core"),
    ("resolve_quarters_per_s_parallel", "resolve-only game-quarters/s, all cores"),
    ("resolve_quarters_per_s_serial", "  same, one core"),
    ("compiled_vs_interpreted", "interpreted / compiled, per quarter"),
    ("interpreted_quarter_us", "  interpreted quarter (us)"),
    ("flops_per_lab_quarter", "flops per lab-quarter (counted)"),
    ("resolve_ns_per_game_quarter_parallel", "resolve ns per game-quarter, all cores"),
    ("floor_ns_per_game_quarter", "floor ns per game-quarter, all cores"),
    ("floor_ratio", "resolve / floor"),
    ("floor_ratio_campaign", "  campaign / campaign floor"),
    ("warm_start_first_quarter_s", "new process to first quarter (s)"),
    ("import_turn_s", "  import blitzgame.engine.turn (s)"),
    ("warm_start_numba_floor_s", "  numba alone: import + one cached call (s)"),
    ("tournament_games_per_min", "tournament games/min, scripted built-in bots, 2 workers"),
    ("tournament_s", "  wall time (s), ratings and CSV included"),
    ("python_bot_games_per_min_2_workers", "games/min, example Python bot in every seat, 2 workers"),
    ("python_bot_games_per_min", "  same, one core"),
    ("python_bot_share_in_bot", "example Python bot: share of its games' time in its decide"),
    ("python_bot_share_in_engine", "  share in the session and engine"),
    ("python_bot_share_observe_validate", "    of which observations and order checks"),
    *tui.ROWS,
    *envs.ROWS,
    *shared.ROWS,
    *strategist.ROWS,
)


def render(results: dict) -> str:
    """A readable table: each figure, its target and PASS/FAIL."""
    targets = results.get("targets", {})
    rows = []
    for key, label in ROWS:
        if key not in results:
            continue
        t = targets.get(key)
        rows.append((label, _fmt(results[key]), t["target"] if t else "",
                     ("PASS" if t["met"] else "FAIL") if t else ""))
    widths = [max(len(r[c]) for r in rows + [("figure", "value", "target", "")]) for c in range(4)]

    def line(r: tuple) -> str:
        return f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip()

    out = [line(("figure", "value", "target", "")), "-" * (sum(widths) + 6)]
    out += [line(r) for r in rows]
    fb = results.get("flops_breakdown")
    if fb:
        out.append("")
        out.append("flops per lab-quarter: " + ", ".join(f"{k} {v:.1f}" for k, v in fb.items()))
    checks = results.get("checks", {})
    if checks:
        out.append("checks: " + ", ".join(f"{k} {_fmt(v)}" for k, v in checks.items()))
    if "warm_start_build_game_s" in results:
        out.append(f"warm start: python {results['warm_start_python_startup_s']:.3f} s, import turn "
                   f"{results['import_turn_s']:.3f} s, build game {results['warm_start_build_game_s']:.3f} s, "
                   f"load kernels + quarter {results['warm_start_resolve_s']:.3f} s "
                   f"(process exit adds {results['warm_start_process_wall_s'] - results['warm_start_first_quarter_s']:.2f} s)")
    if "python_bot_note" in results:
        out.append(f"python bot: {results['python_bot_note']}")
    m = results.get("machine", {})
    if m:
        out.append(f"machine: {m.get('cpu_model', '?')}, {m.get('cpus_usable')} CPUs "
                   f"({m.get('numba_threads')} numba threads), Python {m.get('python')}, "
                   f"numba {m.get('numba')}, numpy {m.get('numpy')}, load average "
                   f"{m.get('load_average_at_start')} -> {m.get('load_average')}")
        if m.get("bytecode"):
            out.append(f"child processes' bytecode: {m['bytecode']}")
    passed = sum(t["met"] for t in targets.values())
    mode = " (quick: small sizes)" if results.get("quick") else ""
    out.append(f"{passed}/{len(targets)} targets met in {results.get('elapsed_s', 0.0):.1f} s{mode}")
    return "\n".join(out)


def markdown(results: dict) -> str:
    """The headline figures as a Markdown table, then the machine and the run they came from:
    the README's Speed table is this, written from a saved ``blitzgame bench --json``."""
    targets = results.get("targets", {})
    out = ["| figure | key | target | measured | result |", "|---|---|---|---:|---|"]
    for key, label in ROWS:
        if label.startswith(" ") or key not in results:
            continue
        t = targets.get(key)
        met = ("met" if t["met"] else "**missed**") if t else ""
        out.append(f"| {label} | `{key}` | {t['target'] if t else '—'} | {_fmt(results[key])} | {met} |")
    m = results.get("machine", {})
    passed = sum(t["met"] for t in targets.values())
    mode = "a quick run (small sizes)" if results.get("quick") else "a full run"
    out += ["", f"Measured on {m.get('date', 'an unrecorded date')}, {mode} of {results.get('elapsed_s', 0.0):.0f} s: "
            f"{m.get('cpu_model', '?')}, {m.get('cpus_usable')} CPUs usable ({m.get('numba_threads')} numba "
            f"threads), Python {m.get('python')}, numba {m.get('numba')}, numpy {m.get('numpy')}, load average "
            f"{m.get('load_average_at_start')} at the start and {m.get('load_average')} at the end; "
            f"{passed}/{len(targets)} targets met."]
    return "\n".join(out)
