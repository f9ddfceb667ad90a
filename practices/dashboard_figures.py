"""The dashboard's figures, each from SQL aggregates (being written: see practices.dashboard)."""


def headline_numbers(session, viewer, filters) -> dict:
    raise NotImplementedError("issue 15: the headline numbers are being written")


def build(session, viewer, name, filters):
    raise NotImplementedError(f"issue 15: figure {name} is being written")
