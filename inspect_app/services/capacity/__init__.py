"""Capacity planning: inspector-days needed against available, by district, for a year; what-ifs by the engine.

`plan` computes the figures (the README's "Capacity planning" gives the definitions); `tables` writes them as
CSV/XLSX; `whatif` runs the engine on a sampled month as a background job.
"""
