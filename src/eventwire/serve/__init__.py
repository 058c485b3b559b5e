"""The HTTP API and web page over a store (see ``serve.app``)."""
