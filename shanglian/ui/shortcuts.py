from django.http import Http404

from shanglian.audit.models import AuditAction, AuditResult
from shanglian.audit.services import record


def get_visible_or_404(visible, pk):
    """The object from the user's scoped queryset, else 404 — and an audit row when it exists out of scope."""
    try:
        return visible.get(pk=pk)
    except visible.model.DoesNotExist:
        model = visible.model
        if model._base_manager.filter(pk=pk).exists():
            record(
                AuditAction.DENIED, result=AuditResult.DENIED,
                object_type=f"{model._meta.app_label}.{model._meta.model_name}", object_id=str(pk),
                object_repr=f"{model._meta.verbose_name} #{pk}",
                detail={"reason": "out_of_scope"},
            )
        raise Http404("您访问的记录不存在或无权查看。") from None
