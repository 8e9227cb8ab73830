"""The JSON API and the app that also serves the dashboard: see app.create_app."""

from qala.api.app import create_app

__all__ = ["create_app"]
