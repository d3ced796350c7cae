"""A logging formatter that writes one JSON object per line (no Django imports:
logging is configured before the apps are loaded)."""

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    """``{"time": …, "event": …, "user": …, "address": …, …}`` per record."""

    def format(self, record):
        fields = getattr(record, "security", None) or {"event": record.getMessage()}
        time = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        return json.dumps(
            {"time": time.isoformat(timespec="milliseconds"), **fields},
            ensure_ascii=False,
            default=str,
        )
