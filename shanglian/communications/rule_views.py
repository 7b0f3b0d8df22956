"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def rule_list(request, *args, **kwargs):
    raise Http404


def rule_export(request, *args, **kwargs):
    raise Http404


def rule_create(request, *args, **kwargs):
    raise Http404


def rule_detail(request, *args, **kwargs):
    raise Http404


def rule_edit(request, *args, **kwargs):
    raise Http404


def rule_delete(request, *args, **kwargs):
    raise Http404


def rule_repeal(request, *args, **kwargs):
    raise Http404


def version_create(request, *args, **kwargs):
    raise Http404


def version_detail(request, *args, **kwargs):
    raise Http404
