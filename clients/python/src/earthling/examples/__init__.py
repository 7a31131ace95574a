"""Handlers that come with the package: the demo's text-mining stages in Python (``earthling.examples.textmining``)."""
