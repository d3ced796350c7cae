"""Monthly figures (DataElement, MonthlyValue) will live here.

The indicators a target refers to are listed in registry.py.
"""
