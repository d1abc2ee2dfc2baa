"""What every app's forms share: how they render (NL Design System markup, label, hint and error
tied to the input), the revision check against lost updates, the search parameter of list pages, and the field
of a workbook to upload."""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from .spreadsheets import too_large

_WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    # Django puts a multiple-input widget's class on the group's <div> too: style those in CSS.
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    # Not the --html-textarea modifier: it paints every empty required textarea as invalid.
    forms.Textarea: "utrecht-textarea",
    forms.ClearableFileInput: "srm-file-input",
    forms.FileInput: "srm-file-input",
}


class PortalBoundField(BoundField):
    @property
    def is_checkbox(self) -> bool:
        return self.widget_type == "checkbox"

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = next(
            (classes for kind, classes in _WIDGET_CLASSES.items() if type(widget) is kind),
            "utrecht-textbox utrecht-textbox--html-input",
        )
        if self.errors and css.startswith(("utrecht-textbox", "utrecht-textarea")):
            css += " utrecht-textbox--invalid" if "textbox" in css else " utrecht-textarea--invalid"
        classes = f"{css} {attrs.get('class', '')}".strip()
        if classes:
            attrs["class"] = classes
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = PortalBoundField


class RevisionCheckForm(forms.Form):
    """A form that remembers which revision it was opened on, so a later save can't overwrite another."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The field is hidden, so its error would show nowhere: say it at the top of the form.
        if self.has_error("revision"):
            del self.errors["revision"]
            raise forms.ValidationError("Het formulier is onvolledig verstuurd. Open de pagina opnieuw.")
        return data


class RevisionForm(RevisionCheckForm, forms.ModelForm):
    """The edit form of a model with a `revision`, opened on the instance's current one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision


def search_param(request: Any, name: str = "q") -> str:
    """A free-text search from the query string, as the list pages filter on it.

    PostgreSQL refuses a NUL character in text, so it is dropped here instead of ending in a 500."""
    return request.GET.get(name, "").replace("\x00", "").strip()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookField(forms.FileField):
    """An Excel workbook to upload (.xlsx): refused by its name and size before a byte of it is read."""

    def __init__(self, *, max_bytes: int, wrong_kind: str = "Kies een Excel-werkmap (.xlsx).", **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}))
        kwargs.setdefault("error_messages", {"required": "Kies een bestand.", "empty": "Het gekozen bestand is leeg."})
        super().__init__(**kwargs)
        self.max_bytes, self.wrong_kind = max_bytes, wrong_kind

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(self.wrong_kind)
        if upload and upload.size > self.max_bytes:
            raise forms.ValidationError(too_large(self.max_bytes))
        return upload
