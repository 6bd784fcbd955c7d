"""Framework-free scheduling engine for unannounced child-safety inspections.

Public entry points: :func:`scheduler.problem.parse_problem`, :func:`scheduler.solve.solve`,
:func:`scheduler.validate.validate`, :func:`scheduler.repair.repair_absence`,
:func:`scheduler.urgent.insertion_options` and the ``python -m scheduler`` command line.
"""
