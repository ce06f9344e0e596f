"""Exports for spreadsheets and analysts: typed Excel workbooks (:mod:`.sheets` and one module
per report), every municipality's schedule as one table (:mod:`.every`) and the rule that a
binary format is not written to a terminal (:mod:`.binary`). DataFrames: :mod:`plancycle.frames`.
"""
