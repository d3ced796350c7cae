"""Counting the SQL statements of one step, for every benchmark.

An ``execute_wrapper``, not Django's ``CaptureQueriesContext``: that one reads
the length of the connection's query log, which stops growing once it holds
its 9,000 entries (a demo loaded with DEBUG on fills it), and then counts 0.
"""

from django.db import connection


def count_queries(step):
    """How many SQL statements ``step()`` sends (whatever the DEBUG setting)."""
    statements = []

    def counter(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        step()
    return len(statements)
