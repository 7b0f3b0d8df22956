"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def group_list(request, *args, **kwargs):
    raise Http404


def group_create(request, *args, **kwargs):
    raise Http404


def group_detail(request, *args, **kwargs):
    raise Http404


def group_edit(request, *args, **kwargs):
    raise Http404


def group_delete(request, *args, **kwargs):
    raise Http404


def member_add(request, *args, **kwargs):
    raise Http404


def member_remove(request, *args, **kwargs):
    raise Http404


def project_create(request, *args, **kwargs):
    raise Http404


def project_detail(request, *args, **kwargs):
    raise Http404


def project_edit(request, *args, **kwargs):
    raise Http404


def project_delete(request, *args, **kwargs):
    raise Http404


def milestone_create(request, *args, **kwargs):
    raise Http404


def milestone_edit(request, *args, **kwargs):
    raise Http404


def milestone_delete(request, *args, **kwargs):
    raise Http404
