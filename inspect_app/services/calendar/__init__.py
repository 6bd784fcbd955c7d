"""Kazakhstan's calendar: working days (holidays, transfers), the school year's breaks, facility closures.

`rules` decides (pure); `store` reads and edits the database's part (transfers, breaks) with history;
`closures` are a facility's own dated closures.
"""
