"""Monthly figures live here (DataElement, MonthlyValue); see registry.py for indicators."""
