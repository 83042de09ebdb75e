"""Pieces shared by the pages: the setup sidebar and its link, live run status, charts,
number boxes and escaping of user text."""
