"""Accounts administered in the browser: the users page's operations and one-time password links (the
append-only history is `services/admin_history.py`). Passwords and API tokens stay in `services/users.py`, which the
CLI and the pages share."""
