"""Count each committed change, after its commit (see ``models.CommitCount``).

``history_written`` receives simple-history's signal for every history row;
``figures_written`` is called by ``services.figures_changed``, which every
write of figures goes through. Each registers one count per transaction, run
after the commit in a statement of its own: no lock is held while the
writing transaction lasts, so writers never wait for each other here.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import CommitCount


def history_written(sender=None, using=None, **kwargs):
    _count_after_commit(using, history=True)


def figures_written(using=None):
    _count_after_commit(using, history=False)


def _count_after_commit(using, *, history):
    connection = transaction.get_connection(using)
    count = _count_history if history else _count_figures
    if connection.in_atomic_block and any(
        func is count for _sids, func, _robust in connection.run_on_commit
    ):
        return  # this transaction is counted once, when it commits
    transaction.on_commit(count, using=using)


def _count_history():
    _count(history=F("history") + 1, changes=F("changes") + 1)


def _count_figures():
    _count(changes=F("changes") + 1)


def _count(**counts):
    if CommitCount.objects.filter(pk=1).update(**counts):
        return
    try:  # an emptied database (tests flush it) starts counting again
        with transaction.atomic():
            CommitCount.objects.create(pk=1, **dict.fromkeys(counts, 1))
    except IntegrityError:  # another process created it just now
        CommitCount.objects.filter(pk=1).update(**counts)
