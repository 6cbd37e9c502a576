"""The search table follows the practices: written after every save, removed after a delete.

Signals rather than Practice.save/delete, so that a queryset's delete() (which calls neither) is followed too.
Bulk create and update send no signals: use search.reindex after them.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import search
from .models import Practice


@receiver(post_save, sender=Practice, dispatch_uid="practices_index")
def _index(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: the rows may not be complete yet
        search.index(instance)


@receiver(post_delete, sender=Practice, dispatch_uid="practices_unindex")
def _unindex(sender, instance, **kwargs):
    search.unindex(instance.pk)
