"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def partner_list(request, *args, **kwargs):
    raise Http404


def partner_export(request, *args, **kwargs):
    raise Http404


def partner_create(request, *args, **kwargs):
    raise Http404


def partner_detail(request, *args, **kwargs):
    raise Http404


def partner_edit(request, *args, **kwargs):
    raise Http404


def partner_delete(request, *args, **kwargs):
    raise Http404


def agreement_create(request, *args, **kwargs):
    raise Http404


def agreement_edit(request, *args, **kwargs):
    raise Http404


def agreement_delete(request, *args, **kwargs):
    raise Http404


def exchange_create(request, *args, **kwargs):
    raise Http404


def exchange_list(request, *args, **kwargs):
    raise Http404


def exchange_export(request, *args, **kwargs):
    raise Http404


def exchange_edit(request, *args, **kwargs):
    raise Http404


def exchange_delete(request, *args, **kwargs):
    raise Http404
