"""Form fields that choose an enterprise or a person by searching (common.pickers.AutocompleteField),
validated against what the user may see.

    class MyForm(forms.Form):
        enterprise = EnterpriseField(label="企业")
        person = PersonField(label="人员", required=False)

        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["enterprise"].scope_to(user)
            self.fields["person"].scope_to(user)

or built for one user at once: `EnterpriseField(user=request.user, label="企业")`. A field never scoped
accepts nothing. The cleaned value is the `Enterprise` / `Person`; an id outside the user's scope or a
malformed one is refused with a Chinese message."""

from django.urls import reverse_lazy

from shanglian.common.pickers import AutocompleteField

from . import selectors
from .models import Enterprise, Person


class EnterpriseField(AutocompleteField):
    def __init__(self, *, user=None, **kwargs):
        kwargs.setdefault("label", "企业")
        super().__init__(Enterprise.objects.none(), url=reverse_lazy("members:pick_enterprises"), noun="企业",
                         placeholder="输入企业名称、拼音首字母或统一社会信用代码", **kwargs)
        if user is not None:
            self.scope_to(user)

    def scope_to(self, user):
        self.queryset = selectors.enterprises_visible_to(user)


class PersonField(AutocompleteField):
    def __init__(self, *, user=None, **kwargs):
        kwargs.setdefault("label", "人员")
        super().__init__(Person.objects.none(), url=reverse_lazy("members:pick_persons"), noun="人员",
                         placeholder="输入姓名或拼音首字母", **kwargs)
        if user is not None:
            self.scope_to(user)

    def scope_to(self, user):
        self.queryset = selectors.persons_visible_to(user)
