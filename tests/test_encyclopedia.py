"""The encyclopedia explains every mechanic, archetype, hub, order and key, with the rules' own numbers."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blitzgame.assets import AssetError, assets_dir, load_archetypes, load_balance, load_hubs
from blitzgame.bots.knobs import KNOB_NAMES
from blitzgame.encyclopedia import (
    KNOB_PHRASES,
    PLACEHOLDER,
    UnknownTopic,
    fill_numbers,
    topic,
    topic_for_mechanic,
    topics,
)
from blitzgame.schemas.orders import Orders

MECHANICS = [f"M{k}" for k in range(1, 14)]


@pytest.mark.parametrize("mechanic", MECHANICS)
def test_every_mechanic_has_a_page_that_says_where_it_shows_and_what_to_do(mechanic):
    page = topic_for_mechanic(mechanic)
    assert page.group == "Mechanics"
    assert page.title.startswith(f"{mechanic} ·")
    assert "## Where you see it" in page.text
    assert "## What to do" in page.text


def test_mechanic_pages_are_the_files_m01_to_m13():
    files = sorted(p.stem for p in (assets_dir() / "encyclopedia").glob("m*.md"))
    assert [f[:3] for f in files] == [f"m{k:02d}" for k in range(1, 14)]
    assert [topic_for_mechanic(m).id for m in MECHANICS] == files


def test_every_archetype_has_a_page_with_its_title_summary_and_description():
    for bot in load_archetypes().bot:
        page = topic(f"archetype-{bot.name}")
        assert page.title == bot.title
        assert page.group == "Rivals"
        assert bot.summary in page.text and bot.description in page.text


def test_every_archetype_knob_is_said_in_words_on_its_page():
    """An archetype's page says each of its numbers as a sentence, never as a raw knob name."""
    assert set(KNOB_PHRASES) == set(KNOB_NAMES)
    page = topic("archetype-sprinter").text
    assert "asks investors for 8.5% of its valuation every quarter, whatever the mood" in page
    assert not any(f"- {name} " in page for name in KNOB_NAMES)


def test_every_hub_has_a_page_with_its_traits_and_every_number_with_its_source():
    for hub in load_hubs().hub:
        page = topic(f"hub-{hub.id}")
        assert page.title == hub.name
        assert hub.traits in page.text
        for number in hub.numbers.values():  # the design notes by name, as a player reads them
            assert number.source.replace("docs/design.md", "the game's design notes") in page.text


def test_the_orders_page_lists_every_order_with_its_description():
    page = topic("orders")
    for name, info in Orders.model_fields.items():
        assert f"`{name}`" in page.text
        assert info.description in page.text


def test_the_keys_page_lists_every_key_of_the_app():
    from blitzgame.tui.app import BlitzApp

    keys = topic("keys").text
    bound = [b.key_display or b.key for b in BlitzApp.BINDINGS] + ["ctrl+p", "ctrl+q", "escape"]
    for key in bound:
        assert f"`{key}`" in keys, f"keys.md does not mention `{key}`"


def test_the_keys_page_lists_the_views_own_keys():
    from blitzgame.tui.screens.debrief import DebriefScreen
    from blitzgame.tui.screens.news import NewsScreen

    keys = topic("keys").text
    for screen in (DebriefScreen, NewsScreen):
        for binding in screen.BINDINGS:
            assert f"`{binding.key}`" in keys


def test_numbers_come_from_the_balance_file():
    text = topic("m07-death-zone").text
    extra = load_balance().value("attrition_death_zone")
    assert f"{extra:.0%}" in text
    assert "{{" not in "".join(t.text for t in topics())


def test_every_placeholder_in_the_pages_names_a_balance_number():
    names = set()
    for path in (assets_dir() / "encyclopedia").glob("*.md"):
        names |= {m.group(1) for m in PLACEHOLDER.finditer(path.read_text(encoding="utf-8"))}
    balance = load_balance()
    for name in names:
        balance.value(name)  # KeyError if a page cites a number that does not exist
    assert len(names) > 40  # the pages cite the rules' numbers, not copies of them


def test_an_unknown_placeholder_or_format_is_refused():
    with pytest.raises(AssetError, match="no_such_number"):
        fill_numbers("{{no_such_number}}")
    with pytest.raises(AssetError, match="format"):
        fill_numbers("{{lock_in:furlongs}}")
    assert fill_numbers("{{lock_in:pct}} {{overhead_per_gpu:k}} {{silicon_cost:money}}") == "75% $1.5k $2.4B"


def test_topics_are_unique_and_links_between_them_resolve():
    ids = [t.id for t in topics()]
    assert len(ids) == len(set(ids))
    for t in topics():
        for target in re.findall(r"\]\(([^)#\s]+)\)", t.text):
            if not target.startswith("http"):
                topic(target)  # UnknownTopic if a link is broken


def test_an_unknown_topic_says_so():
    with pytest.raises(UnknownTopic):
        topic("m99-nothing")
    with pytest.raises(UnknownTopic):
        topic_for_mechanic("M14")


def test_the_reading_order_starts_with_how_to_play_then_the_mechanics():
    groups = [t.group for t in topics()]
    assert topics()[0].id == "intro"
    assert groups == sorted(groups, key=["Playing", "Mechanics", "Rivals", "Hubs"].index)


def test_the_encyclopedia_series_and_debrief_load_without_textual():
    code = ("import json, sys\n"
            "import blitzgame.encyclopedia, blitzgame.session.series, blitzgame.session.debrief\n"
            "blitzgame.encyclopedia.topics()\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.slow
def test_the_wheel_ships_the_encyclopedia(tmp_path):
    builders = pytest.importorskip("hatchling.builders.wheel")
    root = Path(__file__).resolve().parent.parent
    wheel = next(iter(builders.WheelBuilder(str(root)).build(directory=str(tmp_path), versions=["standard"])))
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("blitzgame/assets/encyclopedia/")}
    expected = {f"blitzgame/assets/encyclopedia/{p.name}" for p in (assets_dir() / "encyclopedia").glob("*.md")}
    assert shipped == expected and len(expected) >= 14


def test_pages_speak_to_players_never_of_code_or_the_source_tree():
    """A player reads mechanics and where they show, not module paths or files only a clone has."""
    code = re.compile(r"blitzgame/|\.py\b|docs/|\bdef \w+\(|DESIGN[ ]§")
    for t in topics():
        found = [line for line in t.text.splitlines() if code.search(line)]
        assert not found, (t.id, found)


def test_balance_keys_stay_out_of_the_prose_and_are_listed_at_the_end():
    """A player reads "debt above 125% of what lenders would lend", not "(`covenant`)"; the keys
    behind a page's numbers are listed once, at its end, for whoever changes the balance."""
    from blitzgame.encyclopedia import balance_keys_aside

    text = balance_keys_aside("Debt above 125% (`covenant`) is called; pay ($60k,\n  `overhead_per_gpu`) and\n"
                              "tiers (`share_beta` = 1.8). Orders (`gpus`, `power_mw`) stay.")
    prose, _, note = text.partition("*For modders:*")
    assert "`covenant`" not in prose and "`overhead_per_gpu`" not in prose and "`share_beta`" not in prose
    assert "Debt above 125% is called; pay ($60k) and\ntiers." in prose and "(`gpus`, `power_mw`)" in prose
    assert "`covenant`, `overhead_per_gpu`, `share_beta`" in note
    for t in topics():
        prose = t.text.partition("*For modders:*")[0]
        assert not re.search(r"`(covenant|music_gap|equity_min_sentiment|dominance_gpus|utilization_base)`", prose), t.id


def test_hub_pages_write_chances_as_percentages_and_counts_as_words():
    page = topic("hub-virginia").text
    assert "| Power build lead time | 3 quarters |" in page
    assert "| Chance of a fine per quarter | 1% |" in page
    assert "| Export controls, once on, stop deliveries here | no |" in page
    assert "| Fine per GPU when fined | $0.5k |" in page
    assert "(1 = yes)" not in page and "1 quarters" not in "".join(topic(f"hub-{h.id}").text for h in load_hubs().hub)


def test_the_orders_page_names_each_order_as_the_form_does():
    """The page said the form names orders `gpus`, `train_split`...: the form says "GPUs to order",
    "Training share". Every order has its form label on the page, from the labels the form uses."""
    from blitzgame.encyclopedia import _orders_topic
    from blitzgame.schemas.orders import Orders
    from blitzgame.session.order_words import form_labels

    labels, text = form_labels(), _orders_topic().text
    assert set(labels) == set(Orders.model_fields)
    for name, label in labels.items():
        assert f"| {label} | `{name}` |" in text
    assert "| Training share (Compute) | `train_split` |" in text
