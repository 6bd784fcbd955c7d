"""Services: the business rules and transactions. Each takes the session explicitly.

Views, API resources and CLI commands call these and nothing below them.
"""
