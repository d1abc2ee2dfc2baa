"""Store the engine's `PolicyRules` as rows of a policy version.

Takes the model classes as arguments so that the data migration (historical models) and the
publish service (real models) write the rules the same way.
"""

from typing import Any

from . import valuation as v

# Field of PolicySoortInzet → its name before the migration that renamed it (policy/0004).
RENAMED_SOORT_FIELDS = {"in_overleg_coordinatiepunt": "in_overleg_csr"}


def rules_save(*, version: Any, rules: v.PolicyRules, models: dict[str, Any]) -> None:
    """Write soorten (with niveau caps), doelgroepen, bouwblokken and bonuses of `rules` under `version`."""
    soort_model = models["soort"]
    # The data migrations call this with historical models: a field added later is left out there
    # (its own migration fills it), a field renamed later is written under its name of then.
    soort_fields = {field.name for field in soort_model._meta.get_fields()}
    renamed = {new: old for new, old in RENAMED_SOORT_FIELDS.items() if new not in soort_fields}
    for soort in rules.soorten:
        columns = {
            "version": version,
            "code": soort.code,
            "order": soort.order,
            "label": soort.label,
            "specification": soort.specification,
            "valuation_text": soort.valuation_text,
            "calculation": soort.calculation.value,
            "inputs": [field.value for field in soort.inputs],
            "period": soort.period,
            "value_hint": soort.value_hint,
            "amount_label": soort.amount_label,
            "hours_label": soort.hours_label,
            "kandidaat_required": soort.kandidaat_required,
            "counts_termijn": soort.counts_termijn,
            "is_work": soort.is_work,
            "within_project": soort.within_project,
            "months_before_project_start": soort.months_before_project_start,
            "max_months": soort.max_months,
            "hourly_rate": soort.hourly_rate,
            "max_per_week": soort.max_per_week,
            "min_hours_per_week": soort.min_hours_per_week,
            "max_per_kandidaat": soort.max_per_kandidaat,
            "in_overleg_coordinatiepunt": soort.in_overleg_coordinatiepunt,
        }
        columns = {renamed.get(name, name): value for name, value in columns.items()}
        row = soort_model.objects.create(**{name: value for name, value in columns.items() if name in soort_fields})
        models["cap"].objects.bulk_create(
            models["cap"](soort=row, niveau=cap.niveau.value, amount=cap.amount) for cap in soort.niveau_caps
        )
    models["doelgroep"].objects.bulk_create(
        models["doelgroep"](
            version=version,
            code=doelgroep.code,
            order=doelgroep.order,
            label=doelgroep.label,
            short_label=doelgroep.short_label,
            termijn=doelgroep.termijn.value,
            termijn_months=doelgroep.termijn_months,
            min_months_unemployed=doelgroep.min_months_unemployed,
            min_age=doelgroep.min_age,
            max_age=doelgroep.max_age,
        )
        for doelgroep in rules.doelgroepen
    )
    models["bouwblok"].objects.bulk_create(
        models["bouwblok"](
            version=version,
            order=order,
            code=bouwblok.code,
            label=bouwblok.label,
            yearly_value=bouwblok.yearly_value,
            soorten=list(bouwblok.soorten),
            doelgroepen=list(bouwblok.doelgroepen),
        )
        for order, bouwblok in enumerate(rules.bouwblokken)
    )
    models["bonus"].objects.bulk_create(
        models["bonus"](version=version, code=bonus.code, label=bonus.label, amount=bonus.amount)
        for bonus in rules.bonuses
    )
