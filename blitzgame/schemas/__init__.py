"""pydantic models: everything that crosses into the game from outside is validated here."""
