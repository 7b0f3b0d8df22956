"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def notice_list(request, *args, **kwargs):
    raise Http404


def notice_export(request, *args, **kwargs):
    raise Http404


def notice_create(request, *args, **kwargs):
    raise Http404


def audience_preview(request, *args, **kwargs):
    raise Http404


def notice_detail(request, *args, **kwargs):
    raise Http404


def notice_edit(request, *args, **kwargs):
    raise Http404


def notice_delete(request, *args, **kwargs):
    raise Http404


def notice_transition(request, *args, **kwargs):
    raise Http404


def notice_remind(request, *args, **kwargs):
    raise Http404


def notice_recipients(request, *args, **kwargs):
    raise Http404


def notice_recipients_export(request, *args, **kwargs):
    raise Http404


def attachment_download(request, *args, **kwargs):
    raise Http404


def filter_list(request, *args, **kwargs):
    raise Http404


def filter_create(request, *args, **kwargs):
    raise Http404


def filter_edit(request, *args, **kwargs):
    raise Http404


def filter_delete(request, *args, **kwargs):
    raise Http404
