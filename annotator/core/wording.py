"""How counts are said in messages, the same way in the CLI and the window."""


def plural(n: int, noun: str) -> str:
    """ "1 article", "2 articles": for nouns that take an s."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
