"""The terminal game (Textual). Imports the session layer; the engine never imports this."""
