"""The language-server front end: a thin pygls layer over the engine."""
