"""The ``eventwire`` command line (entry point ``eventwire.cli.main:main``)."""
