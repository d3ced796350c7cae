"""URL converters every app needs."""

# Years the app works with: in URLs, exports and months (indicators.months).
FIRST_YEAR = 2000
LAST_YEAR = 2100


class YearConverter:
    """``<year:year>``: four digits from FIRST_YEAR to LAST_YEAR, else 404.

    A year outside the range would reach date arithmetic that cannot handle
    it (``/uebersicht/0/`` answered 500); here it simply does not match.
    """

    regex = r"\d{4}"

    def to_python(self, value):
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(value)
        return year

    def to_url(self, value):
        return f"{int(value):04d}"
