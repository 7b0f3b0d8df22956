"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def enrollment_list(request, *args, **kwargs):
    raise Http404


def enrollment_export(request, *args, **kwargs):
    raise Http404


def enrollment_create(request, *args, **kwargs):
    raise Http404


def enrollment_detail(request, *args, **kwargs):
    raise Http404


def enrollment_edit(request, *args, **kwargs):
    raise Http404


def enrollment_end(request, *args, **kwargs):
    raise Http404


def enrollment_delete(request, *args, **kwargs):
    raise Http404



class _NoImportYet:
    def urlpatterns(self, prefix):
        return []


IMPORT_PAGES = _NoImportYet()
