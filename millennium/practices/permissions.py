"""Who may see, write and publish a practice. Django permissions for now; organisations and roles come in issue 5.

- Everyone sees published practices. A draft is seen only by its author and by editors and approvers: to
  anyone else it does not exist (404), so a draft's address tells nothing.
- An editor (practices.add_practice) drafts and edits their own drafts; practices.change_practice lets one edit
  any practice. Editing a published practice puts it back to draft: the changed text needs a new approval.
- An approver (practices.publish_practice) publishes a draft, but never one they wrote or last edited: four eyes
  see every published text.
"""

from django.db.models import Q

from .models import Practice

ADD, CHANGE, PUBLISH = "practices.add_practice", "practices.change_practice", "practices.publish_practice"


def sees_drafts(user) -> bool:
    return user.is_authenticated and (user.has_perm(CHANGE) or user.has_perm(PUBLISH))


def visible_to(user, practices=None):
    """The practices `user` may see: the published ones, plus drafts for editors, approvers and authors."""
    practices = Practice.objects.all() if practices is None else practices
    if sees_drafts(user):
        return practices
    if user.is_authenticated:
        return practices.filter(Q(status=Practice.Status.PUBLISHED) | Q(created_by=user))
    return practices.published()


def can_create(user) -> bool:
    return user.is_authenticated and user.has_perm(ADD)


def can_edit(user, practice: Practice) -> bool:
    """Editors edit any practice; whoever may only add edits their own drafts."""
    if not user.is_authenticated:
        return False
    return user.has_perm(CHANGE) or (user.has_perm(ADD) and not practice.is_published
                                     and practice.created_by_id == user.pk)


def wrote(user, practice: Practice) -> bool:
    """Did `user` write the practice's text, or change it last?"""
    return user.is_authenticated and user.pk in (practice.created_by_id, practice.updated_by_id)


def can_publish(user, practice: Practice) -> bool:
    return (user.is_authenticated and user.has_perm(PUBLISH) and not practice.is_published
            and not wrote(user, practice))
