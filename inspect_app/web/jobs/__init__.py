"""Background job pages: progress, live figures, cancel."""
