"""cloudwatch resources for the reference accounts (see mocks/scenarios.py)."""


def compliant(account):
    pass


def misconfigured(account):
    pass
