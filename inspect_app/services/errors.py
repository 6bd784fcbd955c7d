"""Errors that services raise and that views turn into responses."""


class ServiceError(Exception):
    """Base of the errors a user can act on; `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


class NotFound(ServiceError):
    """The record does not exist, or the user may not see it (the two are not told apart)."""

    status = 404


class Forbidden(ServiceError):
    """The user may see the record but not do this to it."""

    status = 403


class Conflict(ServiceError):
    """The change clashes with the stored state: a duplicate key, or an edit on a stale copy."""

    status = 409


class Unavailable(ServiceError):
    """A service the request needs (the job queue) cannot be reached now; the API adds Retry-After."""

    status = 503


class InvalidInput(ServiceError):
    """Input that breaks a rule; `errors` maps each field to its messages."""

    status = 422


def within(rule, value, field: str):
    """`value` when the schema's validator (e.g. a marshmallow Range) accepts it, else InvalidInput on `field`.

    Services reuse the schemas' bounds through this, so a limit is written once.
    """
    from marshmallow import ValidationError

    try:
        rule(value)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field) from error
    return value
