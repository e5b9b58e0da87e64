"""Solara components of the classroom page (dashboards/app.py)."""
