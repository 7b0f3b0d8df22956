"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def prospect_list(request, *args, **kwargs):
    raise Http404


def prospect_export(request, *args, **kwargs):
    raise Http404


def prospect_create(request, *args, **kwargs):
    raise Http404


def prospect_detail(request, *args, **kwargs):
    raise Http404


def prospect_edit(request, *args, **kwargs):
    raise Http404


def prospect_delete(request, *args, **kwargs):
    raise Http404


def prospect_transition(request, *args, **kwargs):
    raise Http404


def target_list(request, *args, **kwargs):
    raise Http404


def target_create(request, *args, **kwargs):
    raise Http404


def target_edit(request, *args, **kwargs):
    raise Http404


def target_delete(request, *args, **kwargs):
    raise Http404



class _NoImportYet:
    def urlpatterns(self, prefix):
        return []


IMPORT_PAGES = _NoImportYet()
