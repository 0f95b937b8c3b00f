"""The classroom page: `govsim demo` (server.py), the Solara app (app.py), one Session per tab."""
