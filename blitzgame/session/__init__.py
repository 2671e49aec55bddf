"""A game in progress: world compilation, the Game, observations, reports, saves, headless play."""
