"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def post_list(request, *args, **kwargs):
    raise Http404


def post_export(request, *args, **kwargs):
    raise Http404


def post_create(request, *args, **kwargs):
    raise Http404


def post_detail(request, *args, **kwargs):
    raise Http404


def post_edit(request, *args, **kwargs):
    raise Http404


def post_transition(request, *args, **kwargs):
    raise Http404


def contact_list(request, *args, **kwargs):
    raise Http404


def contact_transition(request, *args, **kwargs):
    raise Http404


def h5_board(request, *args, **kwargs):
    raise Http404


def h5_post_create(request, *args, **kwargs):
    raise Http404


def h5_post(request, *args, **kwargs):
    raise Http404


def h5_contact_request(request, *args, **kwargs):
    raise Http404


def h5_contacts(request, *args, **kwargs):
    raise Http404


def outcome_list(request, *args, **kwargs):
    raise Http404


def outcome_export(request, *args, **kwargs):
    raise Http404


def outcome_create(request, *args, **kwargs):
    raise Http404


def outcome_edit(request, *args, **kwargs):
    raise Http404


def outcome_delete(request, *args, **kwargs):
    raise Http404
